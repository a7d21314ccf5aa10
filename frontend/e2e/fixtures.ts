// Each test gets its own real Carnet: the bridge binary (the production
// services over loopback) on a fresh vault folder, serving the built
// frontend. Nothing is mocked.
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const root = resolve(here, '..', '..');
export const bridgeBin = process.env.CARNET_BRIDGE ?? join(root, 'build', 'bin', 'carnet-bridge');
const dist = join(root, 'frontend', 'dist');
export const shotsDir = process.env.CARNET_SHOTS ?? join(root, 'frontend', 'e2e', 'screenshots');
mkdirSync(shotsDir, { recursive: true });

export interface Carnet {
  url: string;
  dataDir: string;
  /** Where the bridge's "save file" dialogs write. */
  exportDir: string;
  /** Starts another bridge on the same folder (to test a second instance). */
  startAnother(): Promise<{ url: string; stop: () => void }>;
  /** Starts a second Carnet on its own empty folder: another computer. */
  startOther(): Promise<{ url: string; dataDir: string; exportDir: string }>;
  /** Runs a headless subcommand on this vault. */
  cli(args: string[], env?: Record<string, string>): { status: number | null; stdout: string; stderr: string };
  stop(): Promise<void>;
}

function startBridge(dataDir: string, exportDir: string, lang = 'en'): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(bridgeBin, ['bridge', '--data-dir', dataDir, '--static', dist, '--export-dir', exportDir], {
    env: { ...process.env, LANG: lang === 'fr' ? 'fr_FR.UTF-8' : 'C.UTF-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('bridge did not start: ' + out)), 20_000);
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        ok({ url: m[1], proc });
      }
    });
    proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    proc.on('exit', (code) => fail(new Error(`bridge exited with ${code}: ${out}`)));
  });
}

function stopProc(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    proc.once('exit', () => ok());
    proc.kill('SIGTERM');
  });
}

export const test = base.extend<{ carnet: Carnet }>({
  carnet: async ({}, use) => {
    // The vault folder and the folder the dialogs save to are siblings:
    // backups may not go inside the vault folder.
    const root = mkdtempSync(join(tmpdir(), 'carnet-e2e-'));
    const dataDir = join(root, 'vault');
    const exportDir = join(root, 'exports');
    mkdirSync(exportDir);
    const extra: ChildProcess[] = [];
    const others: string[] = [];
    let { url, proc } = await startBridge(dataDir, exportDir);
    const carnet: Carnet = {
      get url() {
        return url;
      },
      dataDir,
      exportDir,
      async startAnother() {
        const b = await startBridge(dataDir, exportDir);
        extra.push(b.proc);
        return { url: b.url, stop: () => b.proc.kill('SIGTERM') };
      },
      async startOther() {
        const dir = mkdtempSync(join(tmpdir(), 'carnet-e2e-other-'));
        mkdirSync(join(dir, 'exports'));
        others.push(dir);
        const b = await startBridge(join(dir, 'vault'), join(dir, 'exports'));
        extra.push(b.proc);
        return { url: b.url, dataDir: join(dir, 'vault'), exportDir: join(dir, 'exports') };
      },
      cli(args, env = {}) {
        const r = spawnSync(bridgeBin, ['--data-dir', dataDir, ...args], {
          env: { ...process.env, LANG: 'C.UTF-8', ...env },
          encoding: 'utf8',
        });
        return { status: r.status, stdout: r.stdout, stderr: r.stderr };
      },
      async stop() {
        await stopProc(proc);
      },
    };
    await use(carnet);
    for (const p of extra) await stopProc(p);
    await stopProc(proc);
    for (const d of [root, ...others]) rmSync(d, { recursive: true, force: true });
  },
});

export { expect };

/** Saves a full-page screenshot named after the step. */
export async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
}

export const passphrase = 'tulipe rouge cheval agrafe';

/** Creates a vault through the setup screen and returns its recovery code. */
export async function createVault(page: Page, pass = passphrase): Promise<string> {
  await page.getByLabel(/^(Passphrase|Phrase de passe)$/).fill(pass);
  await page.getByLabel(/^(Repeat the passphrase|Répétez la phrase de passe)$/).fill(pass);
  await page.getByRole('button', { name: /Create the vault|Créer le coffre/ }).click();
  const code = (await page.getByTestId('recovery-code').innerText()).split(/\s+/).join('-');
  await page.getByRole('checkbox').check();
  await page.getByRole('button', { name: /Continue|Continuer/ }).click();
  return code;
}

/** A TCP port nothing listens on: a mail account's servers there are never reached. */
export function closedPort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}
