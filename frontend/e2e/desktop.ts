// The production desktop window (build/bin/carnet, WebKitGTK) in a
// private X server, driven with real key presses: Xvfb, xdotool and
// ImageMagick, as app/smoke does from Go.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Display {
  name: string;
  stop(): Promise<void>;
}

/** Starts Xvfb on a display it picks itself. */
export function startXvfb(): Promise<Display> {
  const proc = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((ok) => proc.once('exit', () => ok()));
  return new Promise((ok, fail) => {
    let out = '';
    proc.stdio[3]!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('\n')) {
        ok({
          name: ':' + out.trim(),
          async stop() {
            proc.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    proc.once('exit', (code) => fail(new Error(`Xvfb exited with ${code}`)));
  });
}

/** Runs a command on the display and returns its output; fails loudly. */
export function onDisplay(display: Display, cmd: string, ...args: string[]): string {
  const r = spawnSync(cmd, args, { env: { ...process.env, DISPLAY: display.name }, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.error ?? ''} ${r.stderr}`);
  return r.stdout;
}

/** What a screenshot of the whole screen shows: a pixel hash and a colour count. */
export function screen(display: Display, file: string): { hash: string; colours: number } {
  onDisplay(display, 'import', '-window', 'root', file);
  const [hash, colours] = onDisplay(display, 'convert', file, '-format', '%# %k', 'info:').trim().split(' ');
  return { hash, colours: Number(colours) };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the screen shows something other than `from` and then stays
 * the same for two looks in a row: the app has drawn what it was asked to.
 */
export async function settled(display: Display, file: string, from = ''): Promise<{ hash: string; colours: number }> {
  let last = '';
  for (let i = 0; i < 100; i++) {
    const s = screen(display, file);
    if (s.hash !== from && s.hash === last && s.colours > 200) return s;
    last = s.hash;
    await pause(200);
  }
  throw new Error(`the window did not settle (see ${file})`);
}

/** Names, sizes and times of the files in dir, to notice a write. */
export function snapshot(dir: string): string {
  return readdirSync(dir)
    .sort()
    .map((f) => {
      try {
        const st = statSync(join(dir, f));
        return `${f} ${st.size} ${st.mtimeMs}`;
      } catch {
        return f;
      }
    })
    .join('\n');
}

/** Waits until something in dir is written. */
export async function written(dir: string, before: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (snapshot(dir) !== before) return;
    await pause(100);
  }
  throw new Error(`nothing was written in ${dir}`);
}

/** The processes below pid: its children, theirs, and so on. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(join('/proc', name, 'stat'), 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  for (let i = -1; i < out.length; i++) {
    const of = i < 0 ? pid : out[i];
    for (const [p, pp] of parent) if (pp === of) out.push(p);
  }
  return out;
}

/** Waits until none of pids is left (zombies count as gone). */
export async function gone(pids: number[]): Promise<void> {
  const alive = (p: number) => {
    try {
      return existsSync(`/proc/${p}`) && !/\) Z /.test(readFileSync(`/proc/${p}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 300 && pids.some(alive); i++) await pause(100);
  const left = pids.filter(alive);
  if (left.length) throw new Error(`processes ${left.join(', ')} still running`);
}

export function exited(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((ok) => proc.once('exit', (code) => ok(code)));
}
