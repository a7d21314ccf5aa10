// Loads race: a list reloads when a filter changes, a panel when an action
// is done, and the answers may come back in another order than the calls.
// latest() keeps only the answer of the most recent load, so an older one
// arriving late never overwrites what the user asked for last:
//
//   const loads = latest();
//   async function load() {
//     const current = loads.start();
//     items = await current(Products(archived));
//   }
//
// A superseded call's promise never settles: its load stops where it waits.

export interface Latest {
  /** start begins a load; the function it returns passes answers through
   *  while no later load has started, and holds them back afterwards. */
  start(): <T>(answer: Promise<T>) => Promise<T>;
}

export function latest(): Latest {
  let seq = 0;
  return {
    start() {
      const mine = ++seq;
      return <T>(answer: Promise<T>) =>
        new Promise<T>((resolve, reject) => {
          answer.then(
            (v) => mine === seq && resolve(v),
            (e) => mine === seq && reject(e),
          );
        });
    },
  };
}
