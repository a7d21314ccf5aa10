import { describe, expect, it } from 'vitest';
import { latest } from './latest';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('latest', () => {
  it('drops an older answer that arrives after a newer one', async () => {
    const loads = latest();
    const shown: string[] = [];
    const first = deferred<string>();
    const second = deferred<string>();
    const load = async (p: Promise<string>) => {
      const current = loads.start();
      shown.push(await current(p));
    };
    void load(first.promise);
    void load(second.promise);
    second.resolve('filtered');
    await tick();
    first.resolve('everything');
    await tick();
    expect(shown).toEqual(['filtered']);
  });

  it('passes answers and errors of the latest load, step after step', async () => {
    const loads = latest();
    const current = loads.start();
    expect(await current(Promise.resolve(1))).toBe(1);
    expect(await current(Promise.resolve(2))).toBe(2);
    await expect(current(Promise.reject(new Error('down')))).rejects.toThrow('down');
  });

  it('holds back the error of a superseded load', async () => {
    const loads = latest();
    const old = deferred<number>();
    let caught: unknown = null;
    const current = loads.start();
    current(old.promise).catch((e) => (caught = e));
    loads.start();
    old.reject(new Error('stale'));
    await tick();
    expect(caught).toBeNull();
  });
});
