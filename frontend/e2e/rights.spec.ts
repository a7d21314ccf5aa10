// A person's rights answered end to end on a real vault: the access bundle
// exported from the request that asked for it, an erasure previewed, carried
// out and certified (with the invoice it must keep sealed), and a
// restriction that takes the record out of every list until it is lifted.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, shot, createVault, closedPort, passphrase } from './fixtures';
import { msg, langs } from './i18n';

type Lang = (typeof langs)[number];

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** Today, n days later (negative: earlier), as YYYY-MM-DD. */
function inDays(n: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d);
}

async function openVault(page: Page, url: string, lang: Lang) {
  await page.goto(url);
  if (lang !== 'en') await page.getByLabel(msg('en', 'settings.language')).selectOption(lang);
  await createVault(page);
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/** A contact through the bound API (the form has its own tests); returns its id. */
function addContact(page: Page, given: string, family: string, email: string, extra: Record<string, unknown> = {}): Promise<number> {
  return page.evaluate(
    (c) =>
      (window as any).go.app.Contacts.Save({
        id: 0, givenName: c.given, familyName: c.family, jobTitle: '', website: '', birthday: '', language: '', notes: '', owner: '',
        relationships: ['customer'], emails: [{ address: c.email, label: '' }], phones: [], addresses: [], companies: [], tags: [],
        source: '', lastInboundAt: '', createdAt: '', updatedAt: '', deletedAt: '', ...c.extra,
      }),
    { given, family, email, extra },
  );
}

/** A request in the register, linked to a contact. */
function addRequest(page: Page, kind: string, contactId: number, requester: string, receivedOn: string): Promise<{ id: number }> {
  return page.evaluate(
    (r) =>
      (window as any).go.app.Requests.Save({
        id: 0, kind: r.kind, contactId: r.contactId, requester: r.requester, channel: 'email', receivedOn: r.receivedOn, idCheckMethod: '',
        idCheckOn: '', idCheckResult: '', status: 'open', extensionMonths: 0, extensionReason: '', personToldOn: '', decision: '', reasons: '',
        documents: [], closedOn: '', dueOn: '', daysLeft: 0,
      }),
    { kind, contactId, requester, receivedOn },
  );
}

/** A mail account whose servers cannot be reached, and one message from the person in it. */
async function addMailFrom(page: Page, from: string, subject: string): Promise<void> {
  const port = await closedPort();
  const eml = [
    `From: ${from}`, 'To: Claire Martin <moi@atelier.example>', `Subject: ${subject}`, `Date: ${new Date(Date.now() - 86_400_000).toUTCString()}`,
    'Message-ID: <erasure-1@test.example>', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'Merci d’effacer mes données.', '',
  ].join('\r\n');
  await page.evaluate(
    async ([port, data]) => {
      const go = (window as any).go.app;
      const id = await go.MailAccounts.SaveAccount({
        id: 0, name: 'Atelier', address: 'moi@atelier.example', displayName: 'Claire Martin',
        imapHost: '127.0.0.1', imapPort: port, imapSecurity: 'none', smtpHost: '127.0.0.1', smtpPort: port, smtpSecurity: 'none',
        username: '', password: 'secret', caPem: '', pinnedCert: '', signature: '',
      });
      await go.Mail.ImportFile(id, data);
    },
    [port, Buffer.from(eml, 'utf8').toString('base64')] as const,
  );
}

/** An issued invoice addressed to the contact (the seller's profile first). */
async function addIssuedInvoice(page: Page, contactId: number): Promise<string> {
  return page.evaluate(async (contactId) => {
    const seller = (window as any).go.app.Seller;
    const s = (window as any).go.app.Sales;
    const p = await seller.Profile();
    await seller.SaveProfile({ ...p, legalName: 'Atelier Carnet', street: '1 place Bellecour', postalCode: '69002', city: 'Lyon', country: 'FR',
      siren: '443061841', vatNumber: 'FR64443061841' });
    const id = await s.SaveDraft({ id: 0, kind: 'invoice', contactId, companyId: 0, b2c: true, operation: 'services', issueDate: '', saleDate: '', dueDate: '',
      validUntil: '', discountRate: 0, discountAmount: 0, notes: '', terms: '', delivery: '',
      lines: [{ productId: 0, description: 'Atelier de reliure', quantity: 1000, unit: '', unitPrice: 12000, discountRate: 0, discountAmount: 0, vatRate: 2000, exemption: '' }] });
    return (await s.Issue(id)).number as string;
  }, contactId);
}
/* eslint-enable @typescript-eslint/no-explicit-any */

for (const lang of langs) {
  const m = (key: string, p?: Record<string, unknown>) => msg(lang, key, p);
  // French counts 0 as singular, as the app does.
  const contacts = (n: number) => m((lang === 'fr' ? n <= 1 : n === 1) ? 'contacts.count_one' : 'contacts.count_other', { count: n });

  test(`an access request answered with the bundle exported from the register (${lang})`, async ({ page, carnet }) => {
    await openVault(page, carnet.url, lang);
    const id = await addContact(page, 'Hélène', 'Dupont', 'helene@boulangerie-lemaire.fr');
    await addRequest(page, 'access', id, 'Hélène Dupont', inDays(-3));

    await page.getByRole('tab', { name: m('nav.privacy') }).click();
    await page.getByRole('button', { name: m('privacy.tab.requests'), exact: true }).click();
    const list = page.getByRole('list', { name: m('privacy.tab.requests') });
    const row = list.getByRole('listitem').first();
    await expect(row).toContainText('Hélène Dupont');
    await row.getByRole('button', { name: m('rights.request.export') }).click();

    // The bundle lands where the save dialog points, and says what it holds.
    const done = list.getByRole('status').filter({ hasText: carnet.exportDir });
    await expect(done).toBeVisible({ timeout: 30_000 });
    const zips = readdirSync(carnet.exportDir).filter((f) => f.endsWith('.zip'));
    expect(zips).toHaveLength(1);
    const zip = join(carnet.exportDir, zips[0]);
    await expect(done).toContainText(zip);
    expect(statSync(zip).size).toBeGreaterThan(1000);
    expect(readFileSync(zip).subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    const listing = spawnSync('unzip', ['-l', zip], { encoding: 'utf8' }).stdout;
    for (const f of ['report.pdf', 'data.json', 'manifest.json', 'README.txt']) expect(listing).toContain(f);
    await shot(page, `${lang}-85-rights-access-exported`);

    // Once sent to the person, the request is closed from the same place.
    await list.getByRole('button', { name: m('rights.request.mark_done') }).click();
    await expect(row).toContainText(m('privacy.request.status.done'));
    await expect(row.getByRole('button', { name: m('rights.request.export') })).toHaveCount(0);

    // The export is in the audit log.
    await page.getByRole('button', { name: m('privacy.tab.audit'), exact: true }).click();
    await expect(page.getByRole('list', { name: m('privacy.tab.audit') })).toContainText(m('privacy.audit.action.export.subject_access').split('(')[0].trim());

    // From her page: an objection to the newsletter puts her address on the suppression list.
    await page.getByRole('tab', { name: m('nav.contacts') }).click();
    await page.getByRole('listbox').getByText('Hélène Dupont').click();
    const rights = page.getByRole('region', { name: m('rights.group') });
    await rights.getByRole('button', { name: m('rights.object') }).click();
    const form = page.getByRole('form', { name: m('rights.object.title') });
    await expect(form).toContainText(m('rights.object.help'));
    await form.getByLabel(m('rights.object.purpose')).selectOption('newsletter');
    await form.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot(page, `${lang}-85-rights-objection-form`);
    await form.getByRole('button', { name: m('rights.object.do') }).click();
    const newsletter = m('privacy.default.newsletter.name');
    await expect(rights.getByRole('status')).toHaveText(m('rights.object.done', { name: 'Hélène Dupont', purpose: newsletter }));
    await page.getByRole('tab', { name: m('nav.privacy') }).click();
    await page.getByRole('button', { name: m('privacy.tab.audit'), exact: true }).click();
    await expect(page.getByRole('list', { name: m('privacy.tab.audit') })).toContainText(m('privacy.audit.action.contact.object', { purpose: newsletter }));
  });

  test(`an erasure previewed, carried out and certified from its request (${lang})`, async ({ page, carnet }) => {
    await openVault(page, carnet.url, lang);
    const id = await addContact(page, 'Marc', 'Lemaire', 'marc@exemple.fr', {
      phones: [{ number: '06 12 34 56 78', label: '' }], tags: ['salon-2026'], notes: 'Client depuis 2019',
    });
    await addContact(page, 'Paul', 'Durand', 'paul@exemple.fr');
    await addMailFrom(page, 'Marc Lemaire <marc@exemple.fr>', 'Effacement de mes données');
    const invoice = await addIssuedInvoice(page, id);
    await addRequest(page, 'erasure', id, 'Marc Lemaire', inDays(-5));

    await page.getByRole('tab', { name: m('nav.privacy') }).click();
    await page.getByRole('button', { name: m('privacy.tab.requests'), exact: true }).click();
    const list = page.getByRole('list', { name: m('privacy.tab.requests') });
    await list.getByRole('button', { name: m('rights.request.erase') }).click();

    // The preview: what goes, what stays and why, what Carnet cannot reach.
    await expect(page.getByTestId('erasure-title')).toHaveText(m('rights.erasure.title', { name: 'Marc Lemaire' }), { timeout: 30_000 });
    const erased = page.getByRole('list', { name: m('rights.erasure.will_erase') });
    for (const [what, count] of [['contact', 1], ['emails', 1], ['phones', 1], ['tags', 1], ['messages', 1]] as const) {
      await expect(erased).toContainText(m(`erasure.item.${what}_one`, { count }));
    }
    const kept = page.getByRole('list', { name: m('rights.erasure.will_keep') });
    await expect(kept).toContainText(m('erasure.hold.invoices_one', { count: 1 }));
    await expect(kept).toContainText(m('erasure.reason.accounting'));
    await expect(kept).toContainText(m('erasure.hold.suppression_one', { count: 1 }));
    await expect(page.getByRole('list', { name: m('rights.erasure.mail_accounts') })).toHaveText('Atelier');
    await expect(page.getByText(m('rights.erasure.backups'))).toBeVisible();
    const recipients = page.getByRole('list', { name: m('rights.erasure.recipients_title') });
    await expect(recipients).toContainText(m('privacy.default.recipient.accountant'));
    await expect(page.getByText(m('rights.erasure.for_request', { date: '' }).split('{')[0].slice(0, 25))).toBeVisible();
    await shot(page, `${lang}-86-rights-erasure-preview`);
    await page.getByRole('button', { name: m('rights.erasure.do') }).scrollIntoViewIfNeeded();
    await shot(page, `${lang}-86-rights-erasure-preview-end`);

    // Erasing asks for the person's name, typed.
    await page.getByRole('button', { name: m('rights.erasure.do') }).click();
    const dialog = page.getByRole('dialog', { name: m('rights.erasure.confirm_title', { name: 'Marc Lemaire' }) });
    const confirm = dialog.getByRole('button', { name: m('rights.erasure.do') });
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel(m('rights.erasure.confirm_label')).fill('Marc');
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel(m('rights.erasure.confirm_label')).fill('marc lemaire');
    await shot(page, `${lang}-87-rights-erasure-confirm`);
    await confirm.click();

    // The result: the certificate, addressed to the requester as the request named them.
    const number = page.getByTestId('certificate-number');
    await expect(number).toHaveText(/^E-\d{4}-\d{4}$/, { timeout: 30_000 });
    const certificate = await number.innerText();
    await expect(page.getByText(m('rights.erasure.request_closed'))).toBeVisible();
    await expect(page.getByLabel(m('rights.erasure.addressed_to'))).toHaveValue('Marc Lemaire');
    await page.getByRole('button', { name: m('rights.erasure.save_certificate') }).click();
    const pdf = join(carnet.exportDir, `${certificate}.pdf`);
    await expect(page.getByText(m('rights.erasure.certificate_saved', { path: pdf }))).toBeVisible();
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    if (text.status === 0) {
      expect(text.stdout).toContain(certificate);
      expect(text.stdout).toContain('Marc Lemaire');
    }

    // Each recipient told is recorded with its day (Art. 19).
    const accountant = m('privacy.default.recipient.accountant');
    await page.getByLabel(m('rights.erasure.told_on_label', { name: accountant })).fill(inDays(0));
    await expect(page.getByRole('list', { name: m('rights.erasure.told_title') }).getByText(m('common.saved'))).toBeVisible();
    await shot(page, `${lang}-88-rights-erasure-recipients`);
    await page.locator('main').evaluate((el) => el.scrollTo(0, 0));
    await shot(page, `${lang}-88-rights-erasure-done`);
    await page.getByRole('button', { name: m('common.close'), exact: true }).click();

    // The request is done, nameless; the person is nowhere to be found.
    const row = list.getByRole('listitem').first();
    await expect(row).toContainText(m('rights.request.erased_person'));
    await expect(row).toContainText(m('privacy.request.status.done'));
    await expect(row).not.toContainText('Marc Lemaire');
    await expect(row.getByRole('button', { name: m('rights.request.certificate', { number: certificate }) })).toBeVisible();
    await shot(page, `${lang}-89-rights-erasure-request-done`);

    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: m('search.title') }).fill('Lemaire');
    await expect(page.getByText(m('search.none'))).toBeVisible();
    await page.keyboard.press('Escape');

    await page.getByRole('tab', { name: m('nav.contacts') }).click();
    await expect(page.getByTestId('contact-count')).toHaveText(contacts(1));
    await expect(page.getByText('Marc Lemaire')).toHaveCount(0);

    // The invoice stays, sealed for the accountant.
    await page.getByRole('tab', { name: m('nav.sales') }).click();
    await page.getByRole('button', { name: m('sales.tab.invoice') }).click();
    const docs = page.getByRole('list', { name: m('sales.tab.invoice') });
    await expect(docs).toContainText(m('sales.sealed_badge'));
    await docs.getByRole('button', { name: new RegExp(invoice) }).click();
    await expect(page.getByTestId('sealed-banner')).toContainText(m('sales.sealed_banner', { date: '' }).split('{')[0].slice(0, 25));
    await shot(page, `${lang}-90-rights-sealed-invoice`);
  });

  test(`a restriction takes the record out of lists and mail until lifted (${lang})`, async ({ page, carnet }) => {
    await openVault(page, carnet.url, lang);
    await addContact(page, 'Sophie', 'Martin', 'sophie.martin@exemple.fr');
    await addContact(page, 'Paul', 'Durand', 'paul@exemple.fr');
    // The contacts area reloads when it is opened again.
    await page.getByRole('tab', { name: m('nav.privacy') }).click();
    await page.getByRole('tab', { name: m('nav.contacts') }).click();
    await expect(page.getByTestId('contact-count')).toHaveText(contacts(2));
    await page.getByRole('listbox').getByText('Sophie Martin').click();
    await expect(page.getByTestId('contact-name')).toHaveText('Sophie Martin');

    // The form explains, needs a reason and a future end date.
    const rights = page.getByRole('region', { name: m('rights.group') });
    await rights.getByRole('button', { name: m('rights.restrict') }).click();
    const form = page.getByRole('form', { name: m('rights.restrict.title') });
    await expect(form).toContainText(m('rights.restrict.help'));
    await form.getByRole('button', { name: m('rights.restrict.do') }).click();
    await expect(form.getByRole('alert')).toHaveText(m('error.no_reason'));
    const reason = lang === 'fr' ? 'Exactitude de l’adresse contestée' : 'Accuracy of the address contested';
    await form.getByLabel(m('rights.restrict.reason')).fill(reason);
    await form.getByLabel(m('rights.restrict.until')).fill(inDays(-1));
    await form.getByRole('button', { name: m('rights.restrict.do') }).click();
    await expect(form.getByRole('alert')).toHaveText(m('rights.restrict.until_future'));
    await form.getByLabel(m('rights.restrict.until')).fill(inDays(45));
    await expect(form.getByRole('alert')).toHaveCount(0);
    await form.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, `${lang}-91-rights-restrict-form`);
    await form.getByRole('button', { name: m('rights.restrict.do') }).click();

    // The banner; the record read-only; out of the default list.
    const banner = page.getByTestId('restriction-banner');
    await expect(banner).toContainText(m('rights.restricted.since', { date: '' }).trim());
    await expect(banner).toContainText(reason);
    await expect(banner).toContainText(m('rights.restricted.effect'));
    await expect(page.getByRole('button', { name: m('common.edit'), exact: true })).toBeDisabled();
    await expect(page.getByTestId('contact-count')).toHaveText(contacts(1));
    await expect(page.getByRole('listbox').getByText('Sophie Martin')).toHaveCount(0);
    await shot(page, `${lang}-92-rights-restricted-contact`);

    // Only the Restricted filter finds it.
    await page.getByLabel(m('contacts.restricted')).check();
    await expect(page.getByText(m('contacts.restricted_help'))).toBeVisible();
    await expect(page.getByTestId('contact-count')).toHaveText(contacts(1));
    await expect(page.getByRole('listbox')).toContainText('Sophie Martin');
    await expect(page.getByRole('listbox')).toContainText(m('contacts.restricted_badge'));
    await shot(page, `${lang}-93-rights-restricted-filter`);
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: m('search.title') }).fill('Sophie');
    await expect(page.getByText(m('search.none'))).toBeVisible();
    await page.keyboard.press('Escape');

    // Mail to her is refused, unless it answers her own request.
    await addMailFrom(page, 'Paul Durand <paul@exemple.fr>', 'Commande');
    await page.getByRole('tab', { name: m('nav.mail') }).click();
    await page.getByRole('button', { name: m('mail.new_message') }).click();
    const composer = page.getByRole('form', { name: m('mail.compose.new') });
    await composer.getByLabel(m('mail.to'), { exact: true }).fill('sophie.martin@exemple.fr');
    await composer.getByLabel(m('mail.subject')).fill(lang === 'fr' ? 'Votre demande de limitation' : 'Your request for restriction');
    await composer.getByLabel(m('mail.compose.body')).fill(lang === 'fr' ? 'Bonjour, votre fiche est en sommeil.' : 'Hello, your record is now restricted.');
    await composer.getByRole('button', { name: m('mail.send'), exact: true }).click();
    await expect(composer.getByRole('alert')).toContainText(m('error.restricted').slice(0, 40));
    await expect(composer.getByLabel(m('mail.compose.answers_request'))).toBeFocused();
    await shot(page, `${lang}-94-rights-composer-restricted`);
    await composer.getByLabel(m('mail.compose.answers_request')).check();
    await composer.getByRole('button', { name: m('mail.send'), exact: true }).click();
    await expect(page.getByText(m('mail.queued'))).toBeVisible();

    // Lifting reminds that she must be told first, then all is back.
    await page.getByRole('tab', { name: m('nav.contacts') }).click();
    await page.getByLabel(m('contacts.restricted')).check();
    await page.getByRole('listbox').getByText('Sophie Martin').click();
    await page.getByTestId('restriction-banner').getByRole('button', { name: m('rights.restricted.lift') }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText(lang === 'fr' ? 'art. 18.3' : 'Art. 18(3)');
    await shot(page, `${lang}-95-rights-lift-confirm`);
    await dialog.getByRole('button', { name: m('rights.restricted.lift_do') }).click();
    await expect(page.getByTestId('restriction-banner')).toHaveCount(0);
    await expect(page.getByText(m('rights.restricted.lifted'))).toBeVisible();
    await expect(page.getByRole('button', { name: m('common.edit'), exact: true })).toBeEnabled();
    await expect(page.getByTestId('contact-count')).toHaveText(contacts(0));
    await page.getByLabel(m('contacts.restricted')).uncheck();
    await expect(page.getByTestId('contact-count')).toHaveText(contacts(2));
    await expect(page.getByRole('listbox')).toContainText('Sophie Martin');

    await page.getByRole('tab', { name: m('nav.privacy') }).click();
    await page.getByRole('button', { name: m('privacy.tab.audit'), exact: true }).click();
    const log = page.getByRole('list', { name: m('privacy.tab.audit') });
    await expect(log).toContainText(m('privacy.audit.action.contact.restrict'));
    await expect(log).toContainText(m('privacy.audit.action.contact.unrestrict'));
  });
}

// Art. 17 beyond the live database: the erasure screen names the backup
// and the vault a restore set aside that still hold the person, offers to
// purge that vault, and restoring the older backup erases them again.
test('an erasure names the backups and replaced vaults that hold the person, and survives a restore (fr)', async ({ page, carnet }) => {
  test.setTimeout(120_000);
  const m = (key: string, p?: Record<string, unknown>) => msg('fr', key, p);
  await openVault(page, carnet.url, 'fr');
  const id = await addContact(page, 'Ysolde', 'Quenouillard', 'ysolde.q@exemple.fr');
  await addContact(page, 'Paul', 'Durand', 'paul@exemple.fr');

  // A backup holding her, then a restore of it: the vault it replaces is set aside.
  await page.getByRole('tab', { name: m('nav.settings') }).click();
  const panel = page.getByTestId('backup-settings');
  await panel.getByRole('button', { name: m('backup.settings.choose_folder') }).click();
  await panel.getByRole('button', { name: m('backup.settings.now') }).click();
  await expect(panel.getByTestId('backup-note')).toContainText('.carnetbackup');
  const backupName = readdirSync(join(carnet.exportDir, 'backups')).find((f) => f.endsWith('.carnetbackup'))!;
  async function restoreTheBackup() {
    await panel.getByTestId('backup-list').getByRole('listitem').first().getByRole('button', { name: m('backup.list.restore') }).click();
    const form = page.getByTestId('restore-form');
    await form.getByLabel(m('backup.restore.passphrase'), { exact: true }).fill(passphrase);
    await form.getByRole('button', { name: m('backup.restore.submit') }).click();
    await expect(form.getByTestId('restore-done')).toBeVisible();
    return form;
  }
  await (await restoreTheBackup()).getByRole('button', { name: m('backup.restore.continue') }).click();
  // Continuing reloads the page: the bound API is there again once it has.
  await page.waitForLoadState();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  await page.waitForFunction(() => (window as any).go?.app?.Requests !== undefined);

  await addRequest(page, 'erasure', id, 'Ysolde Quenouillard', inDays(-2));
  await page.getByRole('tab', { name: m('nav.privacy') }).click();
  await page.getByRole('button', { name: m('privacy.tab.requests'), exact: true }).click();
  await page.getByRole('list', { name: m('privacy.tab.requests') }).getByRole('button', { name: m('rights.request.erase') }).click();
  await expect(page.getByTestId('erasure-title')).toHaveText(m('rights.erasure.title', { name: 'Ysolde Quenouillard' }), { timeout: 30_000 });
  const copies = page.getByTestId('erasure-backups');
  await expect(copies).toContainText(m('rights.erasure.backups_held_one', { count: 1 }));
  await expect(copies).toContainText(m('rights.erasure.backup_expires', { date: '', expires: '' }).replace(/^\s*:?\s*/, '').trim());
  await expect(copies).toContainText(m('rights.erasure.replaced_held_one', { count: 1 }));
  await expect(copies.getByTestId('replaced-vaults')).toContainText(join(carnet.dataDir, 'replaced'));
  await expect(copies.getByRole('button', { name: m('backup.replaced.purge') })).toBeVisible();
  await copies.scrollIntoViewIfNeeded();
  await shot(page, 'fr-91-rights-erasure-copies');

  await page.getByRole('button', { name: m('rights.erasure.do') }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(m('rights.erasure.confirm_label')).fill('Ysolde Quenouillard');
  await dialog.getByRole('button', { name: m('rights.erasure.do') }).click();
  await expect(page.getByTestId('certificate-number')).toBeVisible();
  // The result says the same, and the replaced vault can go from here.
  const after = page.getByTestId('erasure-backups');
  await expect(after).toContainText(m('rights.erasure.backups_held_one', { count: 1 }));
  await expect(after).toContainText(m('rights.erasure.replaced_held_one', { count: 1 }));
  await after.getByRole('button', { name: m('backup.replaced.purge') }).click();
  await page.getByRole('button', { name: m('backup.replaced.confirm_button'), exact: true }).click();
  await expect(after.getByTestId('replaced-note')).toHaveText(m('backup.replaced.purged_one', { count: 1 }));
  await expect(after.getByTestId('replaced-vaults')).toHaveCount(0);
  await page.getByRole('button', { name: m('rights.erasure.save_certificate') }).click();
  await expect(page.getByRole('status').filter({ hasText: '.pdf' })).toBeVisible();
  await page.getByRole('button', { name: m('common.close'), exact: true }).click();

  // Restoring the backup made before the erasure: she is erased again at once, and told.
  await page.getByRole('tab', { name: m('nav.settings') }).click();
  const form = await restoreTheBackup();
  await expect(form.getByTestId('restore-reapplied')).toHaveText(m('backup.restore.reapplied_one', { count: 1 }));
  await shot(page, 'fr-92-restore-reapplied');
  await form.getByRole('button', { name: m('backup.restore.continue') }).click();
  await page.getByRole('tab', { name: m('nav.contacts') }).click();
  await expect(page.getByText('Paul Durand').first()).toBeVisible();
  await expect(page.getByText('Ysolde Quenouillard')).toHaveCount(0);
  expect(backupName).toMatch(/^carnet-/);
});
