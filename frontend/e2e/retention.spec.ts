// Retention and breaches: the periods (a bound refused, then saved), the
// sweep preview with its decisions (re-permission e-mails queued, an
// erasure with its certificate, old e-mails deleted) and the dashboard;
// a breach recorded with everyone in scope, counted by the server, its
// 72-hour countdown on every screen, the CNIL draft, the notification that
// stops the clock, and the PDF report.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, shot, createVault, closedPort } from './fixtures';
import { msg, langs } from './i18n';

type Lang = (typeof langs)[number];

/* eslint-disable @typescript-eslint/no-explicit-any */
async function openVault(page: Page, url: string, lang: Lang) {
  await page.goto(url);
  if (lang !== 'en') await page.getByLabel(msg('en', 'settings.language')).selectOption(lang);
  await createVault(page);
  // The business (the controller named in letters and the CNIL draft).
  await page.evaluate(async () => {
    const s = (window as any).go.app.Seller;
    const p = await s.Profile();
    await s.SaveProfile({ ...p, legalName: 'Atelier Carnet', street: '1 place Bellecour', postalCode: '69002', city: 'Lyon', country: 'FR',
      siren: '443061841', vatNumber: 'FR64443061841', email: 'contact@atelier.example' });
  });
}

/** A contact through the bound API; lastInboundAt dates the person's last contact. */
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

const monthsAgo = (n: number) => {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() - n);
  return d;
};

/** A mail account whose servers cannot be reached, holding one e-mail from a stranger sent `when`. */
async function addOldMail(page: Page, when: Date): Promise<void> {
  const port = await closedPort();
  const eml = [
    'From: Démarcheur <offres@prospection.example>', 'To: Claire Martin <moi@atelier.example>', 'Subject: Offre de référencement',
    `Date: ${when.toUTCString()}`, 'Message-ID: <old-1@test.example>', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '',
    'Bonjour, nous proposons…', '',
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

/** A moment as a datetime-local value in this machine's time zone (the browser's too). */
function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

async function confirmDialog(page: Page, label: string) {
  await page.getByRole('dialog').getByRole('button', { name: label, exact: true }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

for (const lang of langs) {
  test(`retention: the periods, the sweep and its decisions (${lang})`, async ({ page, carnet }) => {
    const m = (key: string, p?: Record<string, unknown>) => msg(lang, key, p);
    await openVault(page, carnet.url, lang);
    await page.getByRole('tab', { name: m('nav.privacy') }).click();
    await page.getByRole('button', { name: m('privacy.tab.retention'), exact: true }).click();

    // The CNIL's periods, and nothing due in a new vault.
    const policy = page.getByRole('form', { name: m('retention.title') });
    await expect(policy.getByLabel(m('retention.policy.prospectMonths'), { exact: true })).toHaveValue('36');
    await expect(policy.getByLabel(m('retention.policy.archiveMonths'), { exact: true })).toHaveValue('60');
    await expect(policy).toContainText(m('retention.policy.invoices'));
    await expect(page.getByTestId('retention-empty')).toHaveText(m('retention.nothing_due'));
    await shot(page, `${lang}-90-retention-empty`);

    // A period out of bounds is pointed at; then saved.
    const prospects = policy.getByLabel(m('retention.policy.prospectMonths'), { exact: true });
    await prospects.fill('0');
    await policy.getByRole('button', { name: m('common.save'), exact: true }).click();
    await expect(policy.getByRole('alert')).toHaveText(m('retention.error.range', { min: 1, max: 120 }));
    await expect(prospects).toBeFocused();
    await shot(page, `${lang}-90-retention-policy-error`);
    await prospects.fill('48');
    await policy.getByRole('button', { name: m('common.save'), exact: true }).click();
    await expect(policy.getByRole('status')).toHaveText(m('common.saved'));
    await expect(policy.getByRole('alert')).toHaveCount(0);

    // Two former customers silent for four years, one for 35 months and a half, and an old e-mail from a stranger.
    await addContact(page, 'Hélène', 'Lemaire', 'helene@lemaire.example', { lastInboundAt: monthsAgo(48).toISOString() });
    await addContact(page, 'Marc', 'Roux', 'marc@roux.example', { lastInboundAt: monthsAgo(49).toISOString() });
    const soon = monthsAgo(36);
    soon.setUTCDate(soon.getUTCDate() + 15);
    await addContact(page, 'Sophie', 'Martin', 'sophie@martin.example', { lastInboundAt: soon.toISOString() });
    await addOldMail(page, monthsAgo(30));

    // The dashboard counts them and leads to the tab.
    await page.getByRole('button', { name: m('privacy.tab.dashboard'), exact: true }).click();
    const card = page.getByRole('region', { name: m('privacy.dashboard.retention') });
    await expect(card.getByTestId('retention-card')).toHaveText(m('privacy.dashboard.retention_counts', { due: 3, soon: 1 }));
    await expect(page.getByTestId('breaches-card')).toHaveText(m('privacy.dashboard.breaches_none'));
    await shot(page, `${lang}-90-retention-dashboard`);
    await card.getByRole('button', { name: m('privacy.dashboard.see_retention') }).click();

    await expect(page.getByTestId('retention-summary')).toContainText(m('retention.due_now_other', { count: 3 }));
    // The privacy area's badge counts what is due, on every screen.
    await expect(page.getByTestId('retention-due')).toHaveAttribute('title', m('retention.nav_due_other', { count: 3 }));
    const customers = page.getByTestId('retention-group-customers');
    await expect(customers).toContainText(m('retention.group.customers', { period: m('retention.period.years_other', { count: 3 }) }));
    await expect(customers).toContainText(m('retention.count.due_other', { count: 2 }));
    await expect(customers).toContainText(m('retention.count.soon_one', { count: 1 }));
    await customers.getByRole('button', { expanded: false }).first().click();
    await expect(customers.getByRole('list', { name: m('retention.due') }).getByRole('listitem')).toHaveCount(2);
    await expect(customers.getByRole('list', { name: m('retention.soon') })).toContainText('Sophie Martin');
    await shot(page, `${lang}-90-retention-sweep`);

    // Hélène is asked to confirm; her e-mail goes to the outbox.
    await customers.getByRole('checkbox', { name: m('retention.pick', { name: 'Hélène Lemaire' }) }).check();
    await expect(customers).toContainText(m('retention.applies_picked_one', { count: 1 }));
    await customers.getByRole('button', { name: m('retention.decide.repermission'), exact: true }).click();
    await expect(page.getByRole('dialog')).toContainText(m('retention.confirm.repermission_one', { count: 1 }));
    await confirmDialog(page, m('retention.decide.repermission'));
    const outcome = page.getByTestId('retention-outcome');
    await expect(outcome.getByRole('status').first()).toHaveText(m('retention.done.repermission_one', { count: 1 }));
    await expect(outcome.getByTestId('letter')).toHaveCount(1);
    await expect(outcome.getByTestId('letter')).toContainText('helene@lemaire.example');
    await expect(outcome.getByTestId('letter')).toContainText('Atelier Carnet');
    await outcome.getByRole('button', { name: m('letters.queue_all_one', { count: 1 }) }).click();
    await expect(outcome.getByTestId('letter').getByRole('status')).toHaveText(m('letters.queued', { to: 'helene@lemaire.example' }));
    await shot(page, `${lang}-90-retention-repermission`);
    await expect(page.getByTestId('retention-group-repermission')).toContainText(m('retention.count.soon_one', { count: 1 }));

    // Marc is erased, with a typed confirmation; the certificate number shows.
    await expect(customers).toContainText(m('retention.count.due_one', { count: 1 }));
    await customers.getByRole('button', { name: m('retention.decide.erase'), exact: true }).click();
    const erase = customers.getByLabel(m('retention.erase_type_one', { count: 1 }));
    await expect(customers.getByRole('button', { name: m('retention.erase_n_one', { count: 1 }) })).toBeDisabled();
    await expect(customers).toContainText('Marc Roux');
    await erase.fill('1');
    await shot(page, `${lang}-90-retention-erase`);
    await customers.getByRole('button', { name: m('retention.erase_n_one', { count: 1 }) }).click();
    await confirmDialog(page, m('retention.decide.erase'));
    await expect(outcome.getByRole('status').first()).toHaveText(m('retention.done.erase_one', { count: 1 }));
    await expect(outcome.getByTestId('certificate-number')).toHaveText(/^E-\d{4}-\d{4,}$/);

    // The stranger's old e-mail is deleted after a confirmation.
    const messages = page.getByTestId('retention-group-messages');
    await messages.getByRole('button', { name: m('retention.decide.delete'), exact: true }).click();
    await confirmDialog(page, m('retention.decide.delete'));
    await expect(outcome.getByRole('status').first()).toHaveText(m('retention.done.delete_one', { count: 1 }));
    await expect(messages).toHaveCount(0);
    await expect(customers).toContainText(m('retention.count.soon_one', { count: 1 }));
    await expect(page.getByTestId('retention-due')).toHaveCount(0);
    await shot(page, `${lang}-90-retention-after`);
  });

  test(`an archived contact leaves the lists until taken out again (${lang})`, async ({ page, carnet }) => {
    const m = (key: string, p?: Record<string, unknown>) => msg(lang, key, p);
    await openVault(page, carnet.url, lang);
    await addContact(page, 'Paul', 'Girard', 'paul@girard.example', { lastInboundAt: monthsAgo(50).toISOString() });
    await addContact(page, 'Léa', 'Petit', 'lea@petit.example');

    // Archived from the sweep, with the legal reason.
    await page.getByRole('tab', { name: m('nav.privacy') }).click();
    await page.getByRole('button', { name: m('privacy.tab.retention'), exact: true }).click();
    const customers = page.getByTestId('retention-group-customers');
    await customers.getByRole('button', { name: m('retention.decide.archive'), exact: true }).click();
    await customers.getByRole('button', { name: m('retention.archive_n_one', { count: 1 }) }).click();
    await expect(customers.getByText(m('retention.error.reason'))).toBeVisible();
    const reason = lang === 'fr' ? 'Litige en cours sur la facture de 2022 (prescription de 5 ans).' : 'Dispute over the 2022 invoice (5-year limitation).';
    await customers.getByLabel(m('retention.decide.archive_reason')).fill(reason);
    await customers.getByRole('button', { name: m('retention.archive_n_one', { count: 1 }) }).click();
    await expect(page.getByTestId('retention-outcome').getByRole('status').first()).toHaveText(m('retention.done.archive_one', { count: 1 }));

    // Out of the list and search; the Archived filter finds it, read-only.
    await page.getByRole('tab', { name: m('nav.contacts') }).click();
    await expect(page.getByRole('listbox')).toContainText('Léa Petit');
    await expect(page.getByRole('listbox').getByText('Paul Girard')).toHaveCount(0);
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: m('search.title') }).fill('Girard');
    await expect(page.getByText(m('search.none'))).toBeVisible();
    await page.keyboard.press('Escape');
    await page.getByLabel(m('contacts.archived')).check();
    await expect(page.getByText(m('contacts.archived_help'))).toBeVisible();
    await expect(page.getByRole('listbox')).toContainText(m('contacts.archived_badge'));
    await page.getByRole('listbox').getByText('Paul Girard').click();
    const banner = page.getByTestId('archive-banner');
    await expect(banner).toContainText(reason);
    await expect(page.getByRole('button', { name: m('common.edit'), exact: true })).toBeDisabled();
    await shot(page, `${lang}-92-retention-archived-contact`);

    // Taken out after a confirmation: back in the list, editable.
    await banner.getByRole('button', { name: m('rights.archived.unarchive') }).click();
    await confirmDialog(page, m('rights.archived.unarchive'));
    await expect(page.getByTestId('archive-banner')).toHaveCount(0);
    await expect(page.getByRole('button', { name: m('common.edit'), exact: true })).toBeEnabled();
    await page.getByLabel(m('contacts.archived')).uncheck();
    await expect(page.getByRole('listbox')).toContainText('Paul Girard');
  });

  test(`breaches: record, count, countdown everywhere, CNIL draft, notification and report (${lang})`, async ({ page, carnet }) => {
    const m = (key: string, p?: Record<string, unknown>) => msg(lang, key, p);
    await openVault(page, carnet.url, lang);
    await addContact(page, 'Hélène', 'Lemaire', 'helene@lemaire.example');
    await addContact(page, 'Marc', 'Roux', 'marc@roux.example');

    await page.getByRole('tab', { name: m('nav.privacy') }).click();
    await page.getByRole('button', { name: m('privacy.tab.breaches'), exact: true }).click();
    await expect(page.getByText(m('breach.empty'))).toBeVisible();
    await page.getByRole('button', { name: m('breach.new') }).click();

    const form = page.getByRole('form', { name: m('breach.form') });
    await expect(form).toContainText(m('breach.discovered_at.help'));
    await expect(form.getByLabel(m('breach.discovered_at'))).not.toHaveValue('');
    // The server says what is missing.
    await form.getByRole('button', { name: m('breach.record') }).click();
    await expect(form.getByRole('alert')).toHaveText(m('breach.error.no_description'));
    await expect(form.getByLabel(m('breach.description'))).toBeFocused();
    const description = lang === 'fr'
      ? 'Ordinateur portable volé dans la voiture, disque non chiffré, avec la base clients.'
      : 'Laptop stolen from the car, unencrypted disk, with the customer database.';
    await form.getByLabel(m('breach.description')).fill(description);
    await form.getByRole('checkbox', { name: new RegExp(m('breach.nature.confidentiality')) }).check();
    await expect(form.getByLabel(m('breach.scope.kind'))).toHaveValue('all');
    await form.getByLabel(m('breach.consequences')).fill(lang === 'fr' ? 'Hameçonnage ciblé possible.' : 'Targeted phishing possible.');
    await form.getByLabel(m('breach.measures_taken')).fill(lang === 'fr' ? 'Plainte déposée, mots de passe changés.' : 'Police report filed, passwords changed.');
    await form.getByRole('radio', { name: new RegExp(m('breach.risk.risk')) }).check();
    await expect(form).toContainText(m('breach.risk.high.guidance'));
    await form.getByRole('button', { name: m('breach.record') }).click();

    const year = new Date().getFullYear();
    const reference = `V-${year}-0001`;
    await expect(form.getByRole('status')).toHaveText(m('breach.saved', { reference }));
    await expect(form.getByTestId('breach-people')).toHaveText(m('breach.counts_other', { count: 2 }));
    await expect(form.getByTestId('breach-clock')).toContainText(/7[12] h/);
    await form.getByTestId('breach-people').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot(page, `${lang}-91-breach-recorded`);

    // The countdown shows on every screen and leads back to the breach.
    await page.getByRole('tab', { name: m('nav.contacts') }).click();
    const banner = page.getByTestId('breach-banner');
    await expect(banner).toContainText(reference);
    await expect(banner).toContainText(m('breach.banner.running_other', { reference, count: 71, deadline: '' }).split(' 71 ')[0]);
    await shot(page, `${lang}-91-breach-banner-contacts`);
    await banner.click();
    await expect(form.getByRole('heading', { name: m('breach.heading', { reference }) })).toBeVisible();

    // The draft for the CNIL carries the items of Art. 33(3).
    await form.getByRole('button', { name: m('breach.notification.draft_button') }).click();
    const draft = form.getByTestId('breach-notification');
    for (const key of ['controller', 'timing', 'nature', 'people', 'dpo', 'consequences', 'measures', 'risk']) {
      await expect(draft).toContainText(m(`breach.notice.${key}`));
    }
    await expect(draft).toContainText(description);
    await expect(draft).toContainText('Atelier Carnet');
    await expect(draft).toContainText(m('breach.notice.people_total_other', { n: 2 }));
    await draft.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await shot(page, `${lang}-91-breach-draft`);

    // Notified within the 72 hours: the clock stops and the banner goes.
    await form.getByLabel(m('breach.notified_at')).fill(localInput(new Date()));
    await form.getByLabel(m('breach.notice_reference')).fill('DN-2026-004217');
    await form.getByRole('button', { name: m('common.save'), exact: true }).click();
    await expect(form.getByRole('status')).toHaveText(m('breach.saved', { reference }));
    await expect(form.getByTestId('breach-clock')).toContainText(m('breach.clock.notified'));
    await expect(page.getByTestId('breach-banner')).toHaveCount(0);

    // A complement follows the notification.
    await form.getByLabel(m('breach.complement.summary')).fill(lang === 'fr' ? 'Liste définitive des personnes concernées.' : 'Final list of the people concerned.');
    await form.getByRole('button', { name: m('breach.complement.add') }).click();
    await expect(form).toContainText(lang === 'fr' ? 'Liste définitive des personnes concernées.' : 'Final list of the people concerned.');

    // The report, as a PDF.
    await form.getByRole('button', { name: m('breach.report.button') }).click();
    const path = join(carnet.exportDir, `${reference}.pdf`);
    await expect(form.getByRole('status')).toHaveText(m('breach.report_saved', { path }));
    expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');
    await shot(page, `${lang}-91-breach-notified`);

    await form.getByRole('button', { name: m('breach.back') }).click();
    const row = page.getByTestId('breach-row');
    await expect(row).toContainText(reference);
    await expect(row).toContainText(m('breach.clock.notified'));
    await shot(page, `${lang}-91-breach-register`);
  });
}
