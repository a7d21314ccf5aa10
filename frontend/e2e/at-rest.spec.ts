// No plaintext at rest: a whole working session (import, mail synced from
// a real Dovecot, an invoice and its PDF, a person's access bundle, search,
// lock) in the browser, then the same vault in the production desktop
// window (WebKitGTK), every process with its own private home, temp and
// XDG folders. Afterwards not one of the session's unique marker strings
// may be found, as raw bytes, in any file written outside the folder the
// user chose for the export — while the export itself holds them all.
//
// Run by `make test-at-rest` (after `make build`: it needs build/bin/carnet).
import { chromium, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, passphrase, createVault, closedPort, bridgeBin, shotsDir } from './fixtures';
import { startDovecot } from './dovecot';
import { startXvfb, onDisplay, settled, snapshot, written, descendants, gone, exited } from './desktop';
import { needles, scanTrees, type Scan } from './scan';
import { msg } from './i18n';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const desktopBin = process.env.CARNET_BINARY ?? join(root, 'build', 'bin', 'carnet');
const dist = process.env.CARNET_STATIC ?? join(root, 'frontend', 'dist');
const m = (key: string, p?: Record<string, unknown>) => msg('en', key, p);

/** What the test started, stopped in reverse order even when it fails or times out. */
const undo: (() => unknown)[] = [];
test.afterEach(async () => {
  while (undo.length) {
    try {
      await undo.pop()!();
    } catch (e) {
      console.error('at rest: cleaning up:', e);
    }
  }
});

/** The folders a process of the app may write to, all under one private home. */
interface Home {
  home: string;
  tmp: string;
  data: string;
  logs: string;
  chromium: string;
  env: Record<string, string>;
}

function privateHome(dir: string): Home {
  const home = join(dir, 'home');
  const p = {
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_RUNTIME_DIR: join(home, 'run'),
    TMPDIR: join(home, 'tmp'),
  };
  for (const d of Object.values(p)) mkdirSync(d, { recursive: true, mode: 0o700 });
  const h: Home = {
    home,
    tmp: p.TMPDIR,
    data: join(p.XDG_CONFIG_HOME, 'Carnet'),
    logs: join(home, 'logs'),
    chromium: join(p.XDG_CONFIG_HOME, 'chromium'),
    // Nothing inherited but the search path: no stray D-Bus or display.
    env: { ...p, HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
  };
  mkdirSync(h.logs);
  // A steady caret, so that a screen that has finished drawing looks the same twice.
  mkdirSync(join(p.XDG_CONFIG_HOME, 'gtk-3.0'));
  writeFileSync(join(p.XDG_CONFIG_HOME, 'gtk-3.0', 'settings.ini'), '[Settings]\ngtk-cursor-blink = false\n');
  return h;
}

/** Starts a program with the private environment, its output kept in logs/<name>.log. */
function startLogged(h: Home, name: string, cmd: string, args: string[], env: Record<string, string> = {}) {
  const log: WriteStream = createWriteStream(join(h.logs, `${name}.log`));
  const proc = spawn(cmd, args, { env: { ...h.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.pipe(log, { end: false });
  proc.stderr!.pipe(log, { end: false });
  const closed = new Promise<void>((ok) => proc.once('close', () => log.end(ok)));
  return { proc, log, closed };
}

/** The bridge: the real services over loopback, with the private environment. */
async function startBridge(h: Home, exportDir: string) {
  const b = startLogged(h, 'bridge', bridgeBin, ['bridge', '--data-dir', h.data, '--static', dist, '--export-dir', exportDir]);
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    b.proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const found = out.match(/listening on (http:\/\/\S+)/);
      if (found) ok(found[1]);
    });
    b.proc.once('exit', (code) => fail(new Error(`bridge exited with ${code}`)));
  });
  return { url, ...b };
}

async function stop(p: { proc: ChildProcess; closed: Promise<void> }) {
  if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGTERM');
  await p.closed;
}

interface Markers {
  given: string;
  family: string;
  mailbox: string;
  company: string;
  note: string;
  phone: string;
  subject: string;
  text: string;
  html: string;
  attachment: string;
  attached: string;
  line: string;
}

/** Unique strings, one per field, none found anywhere before this run. */
function makeMarkers(): Markers {
  const mk = (what: string) => `Zq7${what}${randomBytes(5).toString('hex')}`;
  let digits = '';
  for (let i = 0; i < 8; i++) digits += randomInt(10);
  return {
    given: mk('Given'), family: mk('Family'), mailbox: mk('mbox').toLowerCase(), company: mk('Company'), note: mk('Note'),
    phone: '06' + digits, subject: mk('Subject'), text: mk('Text'), html: mk('Html'), attachment: mk('File'), attached: mk('Inside'),
    line: mk('Line'),
  };
}

/** Every spelling a marker is looked for in (the phone as typed, national and international). */
function spellings(k: Markers): string[] {
  const national = k.phone;
  return [
    ...Object.entries(k).filter(([f]) => f !== 'phone').map(([, v]) => v),
    national, '+33' + national.slice(1), national.replace(/(\d\d)(?=\d)/g, '$1 '),
  ];
}

function messageFrom(k: Markers): string {
  const b = 'b' + randomBytes(6).toString('hex');
  const date = new Date().toUTCString().replace('GMT', '+0000');
  return [
    `From: ${k.given} ${k.family} <${k.mailbox}@example.org>`, 'To: Claire Martin <moi@atelier.example>', `Subject: ${k.subject}`, `Date: ${date}`,
    `Message-ID: <${randomBytes(8).toString('hex')}@example.org>`, 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${b}"`, '',
    `--${b}`, `Content-Type: multipart/alternative; boundary="${b}a"`, '',
    `--${b}a`, 'Content-Type: text/plain; charset=utf-8', '', `Hello, ${k.text} about the order.`, '',
    `--${b}a`, 'Content-Type: text/html; charset=utf-8', '', `<p>Hello, <b>${k.html}</b> about the order.</p>`, '',
    `--${b}a--`,
    `--${b}`, `Content-Type: text/plain; name="${k.attachment}.txt"`, `Content-Disposition: attachment; filename="${k.attachment}.txt"`,
    'Content-Transfer-Encoding: base64', '', Buffer.from(`Inside the file: ${k.attached}\n`).toString('base64'), '',
    `--${b}--`, '',
  ].join('\r\n');
}

/** The browser half: everything through the real frontend. */
async function browserSession(page: Page, k: Markers, dovecot: { port: number; user: string; password: string }, inputDir: string, exportDir: string) {
  await createVault(page);

  // A CSV import; the file is the user's own, outside the scanned folders.
  const csv = join(inputDir, 'clients.csv');
  writeFileSync(csv, `First name,Last name,Company,Phone,Email,Notes\r\n${k.given},${k.family},${k.company},${k.phone},${k.mailbox}@example.org,${k.note}\r\n`);
  await page.getByRole('button', { name: m('contacts.import') }).first().click();
  await page.locator('input[type=file]').setInputFiles(csv);
  await page.getByRole('button', { name: m('import.check') }).click();
  await page.getByRole('button', { name: m('import.run_one', { count: 1 }) }).click();
  await expect(page.getByTestId('import-summary')).toContainText(m('import.done'));
  await page.getByRole('button', { name: m('common.close') }).click();
  await expect(page.getByTestId('contact-count')).toHaveText(m('contacts.count_one', { count: 1 }));

  // A mail account on the real Dovecot, through the form; the message syncs.
  await page.getByRole('tab', { name: m('nav.mail') }).click();
  await page.getByRole('button', { name: m('mail.add_account') }).click();
  await page.getByLabel(m('mail.account.address')).fill('moi@atelier.example');
  await page.getByLabel(m('mail.account.username')).fill(dovecot.user);
  await page.getByLabel(m('mail.account.password'), { exact: true }).fill(dovecot.password);
  const smtp = await closedPort();
  for (const [server, port] of [['imap', dovecot.port], ['smtp', smtp]] as const) {
    await page.locator(`#af-${server}-host`).fill('127.0.0.1');
    await page.locator(`#af-${server}-sec`).selectOption('none');
    await page.locator(`#af-${server}-port`).fill(String(port));
  }
  await page.getByRole('button', { name: m('common.save'), exact: true }).click();
  await expect(page.getByText(m('mail.account.created'))).toBeVisible();
  const pane = page.getByRole('complementary', { name: m('mail.folders_label') });
  await pane.getByRole('button', { name: m('mail.folder.inbox') }).click();
  const row = page.getByTestId('mail-row').filter({ hasText: k.subject });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await row.click();
  await expect(page.getByTestId('mail-subject')).toHaveText(k.subject);
  await expect(page.frameLocator(`iframe[title="${m('mail.body')}"]`).getByText(k.html)).toBeVisible();
  const files = page.getByRole('region', { name: m('mail.attachments') });
  await expect(files).toContainText(`${k.attachment}.txt`);
  await files.getByRole('button', { name: m('mail.save') }).click();
  await expect(files).toContainText(m('mail.saved_to', { path: join(exportDir, `${k.attachment}.txt`) }));

  // An invoice to the person, issued, its PDF saved and opened.
  await page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const s = (window as any).go.app.Seller;
    const p = await s.Profile();
    await s.SaveProfile({ ...p, legalName: 'Atelier Carnet', street: '1 place Bellecour', postalCode: '69002', city: 'Lyon', country: 'FR', siren: '443061841', vatNumber: 'FR64443061841' });
  });
  await page.getByRole('tab', { name: m('nav.sales') }).click();
  await page.getByRole('button', { name: m('sales.tab.invoice') }).click();
  await page.getByRole('button', { name: m('sales.new.invoice') }).click();
  await page.getByRole('textbox', { name: m('sales.customer'), exact: true }).fill(k.family);
  await page.getByRole('option', { name: new RegExp(k.family) }).click();
  await page.getByRole('button', { name: m('sales.add_line') }).click();
  await page.getByLabel(`${m('pdf.col.description')} 1`).fill(k.line);
  await page.getByLabel(`${m('pdf.col.quantity')} 1`).fill('2');
  await page.getByLabel(`${m('pdf.col.unit_price')} 1`).fill('150');
  await page.getByRole('button', { name: m('sales.save_draft') }).click();
  await page.getByRole('button', { name: m('sales.issue'), exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: m('sales.issue') }).click();
  await expect(page.getByTestId('doc-title')).toContainText(/F-\d{4}-0001/);
  const number = (await page.getByTestId('doc-title').innerText()).match(/F-\d{4}-0001/)![0];
  await page.getByRole('button', { name: 'PDF' }).click();
  await expect(page.getByText(m('sales.pdf_saved', { path: join(exportDir, `${number}.pdf`) }))).toBeVisible();
  await page.getByRole('button', { name: m('sales.open_pdf') }).click();

  // The person's access bundle, from their page, to the chosen folder.
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: m('search.title') }).fill(k.given);
  await expect(page.locator('#palette-results').getByRole('option').first()).toContainText(k.family);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('contact-name')).toHaveText(`${k.given} ${k.family}`);
  const rights = page.getByRole('region', { name: m('rights.group') });
  await rights.getByRole('button', { name: m('rights.export') }).click();
  await expect(rights.getByRole('status').filter({ hasText: exportDir })).toBeVisible({ timeout: 30_000 });

  // Search for the mail and the note too, then lock.
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: m('search.title') }).fill(k.subject);
  await expect(page.locator('#palette-results').getByRole('option').first()).toContainText(k.subject);
  // Leaving the page makes the browser keep the state of its fields (for
  // the back button); the app comes back at the new address, still unlocked.
  const again = new URL(page.url()); // its query holds the bridge's token: keep it
  again.searchParams.set('again', '');
  await page.goto(again.href);
  await expect(page.getByTestId('contact-count')).toHaveText(m('contacts.count_one', { count: 1 }));
  await page.keyboard.press('Control+l');
  await expect(page.getByRole('heading', { name: m('unlock.title') })).toBeVisible();
}

/**
 * The desktop half: the production window, in its own D-Bus session (so
 * that GTK's settings store, dconf, really writes), unlocks the same vault,
 * opens the mail, saves its attachment through the native GTK dialog to
 * the chosen folder, shows the person, locks and quits.
 */
async function desktopSession(h: Home, k: Markers, exportDir: string) {
  const display = await startXvfb();
  undo.push(() => display.stop());
  const session = startLogged(h, 'desktop', 'dbus-run-session', ['--', desktopBin, '--data-dir', h.data], { DISPLAY: display.name });
  undo.push(() => {
    for (const p of [...descendants(session.proc.pid!), session.proc.pid!]) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  const x = (...args: string[]) => onDisplay(display, 'xdotool', ...args);
  const shot = (name: string) => join(shotsDir, `at-rest-desktop-${name}.png`);
  const win = x('search', '--sync', '--onlyvisible', '--name', '^Carnet$').trim().split('\n').pop()!;
  const app = Number(x('getwindowpid', win).trim());
  const locked = await settled(display, shot('1-locked'));
  // Real key presses: the passphrase field has the focus.
  x('windowfocus', '--sync', win);
  x('type', '--delay', '15', passphrase);
  const before = snapshot(h.data);
  x('key', 'Return');
  await written(h.data, before); // the unlock goes into the audit log
  let now = await settled(display, shot('2-unlocked'), locked.hash);

  // Ctrl+K finds the mail by its subject, Enter opens it.
  x('key', 'ctrl+k');
  x('type', '--delay', '15', k.subject);
  now = await settled(display, shot('3-mail-search'), now.hash);
  x('key', 'Return');
  now = await settled(display, shot('3-mail'), now.hash);
  // "Save…" beside the first attachment, where the 1200×800 window draws
  // it (see the screenshot above); the GTK dialog takes a full path.
  x('mousemove', '--window', win, '1120', '404', 'click', '1');
  let dialog: string;
  try {
    dialog = x('search', '--sync', '--onlyvisible', '--name', `^${m('mail.save_attachment')}$`).trim().split('\n').pop()!;
  } catch (e) {
    throw new Error(`no save dialog after clicking Save… (see ${shot('3-mail')}): ${e}`);
  }
  const saved = join(exportDir, `${k.attachment}-desktop.txt`);
  x('windowfocus', '--sync', dialog);
  x('key', 'ctrl+a');
  x('type', '--delay', '10', saved);
  x('key', 'Return');
  await expect.poll(() => existsSync(saved), { message: saved, timeout: 30_000 }).toBe(true);
  now = await settled(display, shot('3-mail-saved'), now.hash);

  // Then the person, found by name.
  x('key', 'ctrl+k');
  x('type', '--delay', '15', k.given);
  now = await settled(display, shot('4-contact-search'), now.hash);
  x('key', 'Return');
  now = await settled(display, shot('4-contact'), now.hash);
  x('key', 'ctrl+l');
  await settled(display, shot('5-locked-again'), now.hash);

  // Wails quits cleanly on SIGTERM; WebKit's processes and the session bus follow.
  const all = descendants(session.proc.pid!);
  process.kill(app, 'SIGTERM');
  expect(await exited(session.proc)).toBe(0);
  await gone(all);
  await session.closed;
  await display.stop();
}

function describe(s: Scan): string {
  return `${s.files.length} files, ${(s.bytes / 1048576).toFixed(1)} MiB`;
}

test('no marker of a whole session is left in plaintext outside the chosen export folder', async () => {
  test.setTimeout(240_000);
  if (!existsSync(desktopBin)) throw new Error(`no desktop binary at ${desktopBin}: run make build first`);
  const started = Date.now() - 1000;
  const lap = (what: string) => console.log(`at rest: ${what} at ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const dir = mkdtempSync('/tmp/carnet-at-rest-');
  undo.push(() => process.env.CARNET_KEEP || rmSync(dir, { recursive: true, force: true }));
  const exportDir = join(dir, 'export'); // the folder the user chose: outside every scan
  mkdirSync(exportDir);
  const h = privateHome(dir);
  const k = makeMarkers();
  const list = needles(spellings(k));

  // The scanner finds a marker however it is written down.
  const control = join(dir, 'control');
  mkdirSync(control);
  writeFileSync(join(control, 'upper-utf16'), Buffer.concat([Buffer.alloc(999, 0xff), Buffer.from(k.note.toUpperCase(), 'utf16le')]));
  writeFileSync(join(control, 'base64'), 'x' + Buffer.from(`..${k.line}..`).toString('base64'));
  writeFileSync(join(control, 'spaced-phone'), `tel: ${spellings(k).at(-1)}`);
  const c = scanTrees([control], list);
  expect(c.hits.map((x) => `${x.marker} ${x.form}`).sort()).toEqual([`${k.note} UTF-16LE`, `${k.line} base64/2`, `${spellings(k).at(-1)} UTF-8`].sort());
  rmSync(control, { recursive: true });

  const dovecot = await startDovecot();
  undo.push(() => dovecot.stop());
  dovecot.deliver(messageFrom(k));
  const bridge = await startBridge(h, exportDir);
  undo.push(() => stop(bridge));
  const context = await chromium.launchPersistentContext(h.chromium, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    env: h.env,
    viewport: { width: 1200, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  undo.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(bridge.url);
  await browserSession(page, k, dovecot, dir, exportDir);
  await page.screenshot({ path: join(shotsDir, 'at-rest-browser-locked.png') });
  // The browser writes its profile as it closes; the vault folder is then free for the window.
  await context.close();
  await stop(bridge);
  lap('browser session done');

  await desktopSession(h, k, exportDir);
  lap('desktop session done');

  // The desktop window really unlocked this vault: its unlock is in the audit log.
  const audit = spawnSync(bridgeBin, ['--data-dir', h.data, '--json', 'privacy', 'audit'], {
    env: { ...h.env, CARNET_PASSPHRASE: passphrase }, encoding: 'utf8',
  });
  expect(audit.status, audit.stderr).toBe(0);
  expect(audit.stdout.split('vault.unlock').length - 1).toBeGreaterThanOrEqual(2);

  // The export holds every marker: they reached the data.
  const zips = readdirSync(exportDir).filter((f) => f.endsWith('.zip'));
  expect(zips).toHaveLength(1);
  const unzipped = join(dir, 'unzipped');
  expect(spawnSync('unzip', ['-q', join(exportDir, zips[0]), '-d', unzipped]).status).toBe(0);
  const found = new Set(scanTrees([unzipped], list).hits.map((x) => x.marker));
  for (const marker of Object.values(k)) expect(found, `${marker} in the access bundle`).toContain(marker);
  rmSync(unzipped, { recursive: true });

  // Every file the bridge, the browser, the desktop window and the command
  // line wrote in the private home (vault, caches, WebKit and Chromium
  // storage, GTK and dconf settings, temp files, their logs)…
  const scan = scanTrees([h.home], list);
  console.log(`at rest: scanned ${describe(scan)} under ${h.home}`);
  for (const [where, n] of topFolders(scan, h.home)) console.log(`  ${where}: ${n}`);
  if (process.env.CARNET_KEEP) console.log(scan.files.join('\n'));
  // …and whatever changed meanwhile in the shared temp folders and the real
  // home's, in case something ignored the environment. Other tests' large
  // files (benchmark vaults) are left out there.
  const realHome = process.env.HOME ?? '/root';
  const elsewhere = scanTrees(['/tmp', '/var/tmp', '/dev/shm', ...['.cache', '.config', '.local'].map((d) => join(realHome, d))], list, {
    since: started,
    maxSize: 16 << 20,
    exclude: [dir, dovecot.dir, join(realHome, '.cache', 'go-build')],
  });
  console.log(`at rest: and ${describe(elsewhere)} changed since the start in /tmp, /var/tmp, /dev/shm and ${realHome}'s .cache, .config, .local` +
    ` (${elsewhere.skipped.length} larger than 16 MiB not read)`);
  lap('scans done');
  expect([...scan.hits, ...elsewhere.hits].map((x) => `${x.file} @${x.offset}: ${x.marker} (${x.form})`)).toEqual([]);
  expect(scan.files.length).toBeGreaterThan(50); // the browser profile, WebKit's folders, the vault, the logs
});

/** File counts per folder two levels under home, for the log. */
function topFolders(s: Scan, home: string): [string, number][] {
  const n = new Map<string, number>();
  for (const f of s.files) {
    const rel = f.slice(home.length + 1).split('/');
    const key = rel.length > 2 ? rel.slice(0, 2).join('/') : rel.length > 1 ? rel[0] : '.';
    n.set(key, (n.get(key) ?? 0) + 1);
  }
  return [...n.entries()].sort();
}
