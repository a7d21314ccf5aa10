// The GDPR area as a DPO uses it in front of an inspector: a consent
// recorded with its proof, withdrawn in one click, the history and the
// audit log that show it, the chains intact, the purposes and the register.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect, shot, createVault, type Carnet } from './fixtures';
import { msg } from './i18n';

const wording = {
  en: 'Yes, I would like to receive the monthly newsletter of Atelier Carnet by e-mail. I can unsubscribe at any time.',
  fr: 'Oui, je souhaite recevoir par e-mail la lettre d’information mensuelle de l’Atelier Carnet. Je peux me désinscrire à tout moment.',
};
const evidence = { en: 'Website form, submission n° 2026-0412', fr: 'Formulaire du site, envoi n° 2026-0412' };

/** The file names in the export folder that end with ext. */
function exported(carnet: Carnet, ext: string): string[] {
  return readdirSync(carnet.exportDir).filter((f) => f.endsWith(ext));
}

/** A screenshot in a taller window, for screens longer than 800 pixels, showing the end of `end` if given. */
async function tallShot(page: Page, name: string, height: number, end?: Locator) {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: size.width, height });
  await end?.evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await shot(page, name);
  await page.setViewportSize(size);
}

async function scenario(page: Page, carnet: Carnet, lang: 'en' | 'fr') {
  const m = (key: string, p?: Record<string, unknown>) => msg(lang, key, p);
  const newsletter = m('privacy.default.newsletter.name');
  await page.goto(carnet.url);
  if (lang === 'fr') await page.getByLabel(msg('en', 'settings.language')).selectOption('fr');
  await createVault(page);

  // A contact, typed in.
  await page.getByRole('button', { name: m('contact.new') }).first().click();
  await page.getByLabel(m('field.givenName'), { exact: true }).fill('Hélène');
  await page.getByLabel(m('field.familyName'), { exact: true }).fill('Dupont');
  await page.getByLabel(`${m('field.email')} 1`).fill('helene@boulangerie-lemaire.fr');
  await page.getByRole('button', { name: m('common.save'), exact: true }).click();
  await expect(page.getByTestId('contact-name')).toHaveText('Hélène Dupont');
  const consents = page.getByRole('region', { name: m('privacy.consent.title') });
  await expect(consents).toContainText(m('privacy.consent.none'));

  // Record a consent: nothing is chosen for the person.
  await consents.getByRole('button', { name: m('privacy.consent.record_button') }).click();
  const form = page.getByRole('form', { name: m('privacy.consent.record_title') });
  await expect(form).toContainText(m('privacy.consent.not_consent'));
  await expect(form.getByRole('radio', { name: m('privacy.consent.answer_grant') })).not.toBeChecked();
  await expect(form.getByRole('radio', { name: m('privacy.consent.answer_refuse') })).not.toBeChecked();
  await expect(form.getByRole('checkbox')).toHaveCount(0);
  await form.getByLabel(m('privacy.consent.purpose')).selectOption({ label: newsletter });
  await form.getByLabel(m('privacy.consent.channel')).selectOption('email');
  await form.getByRole('radio', { name: m('privacy.consent.answer_grant') }).check();
  await form.getByLabel(m('privacy.consent.wording'), { exact: true }).fill(wording[lang]);
  await form.getByLabel(m('privacy.consent.wording_version')).fill('site-2026-03');
  await form.getByLabel(m('privacy.consent.method')).selectOption('form');
  await form.getByLabel(m('privacy.consent.evidence'), { exact: true }).fill(evidence[lang]);
  await form.locator('input[type=file]').setInputFiles({ name: 'formulaire-signe.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 scan') });
  await expect(form).toContainText('formulaire-signe.pdf');
  await tallShot(page, `${lang}-71-privacy-record-consent`, 1250, form);
  await form.getByRole('button', { name: m('privacy.consent.record'), exact: true }).click();
  await expect(consents.getByRole('status')).toHaveText(m('privacy.consent.recorded_grant', { purpose: newsletter }));
  const state = consents.getByTestId('consent-newsletter-email');
  await expect(state).toContainText(m('privacy.status_on.granted', { date: '' }).trim());

  // Withdraw in one click, after a confirmation that says what is recorded.
  await state.getByRole('button', { name: m('privacy.consent.withdraw_label', { purpose: newsletter, channel: m('privacy.channel.email') }) }).click();
  const confirm = consents.getByRole('group', { name: m('privacy.consent.withdraw_title') });
  await expect(confirm).toContainText('Hélène Dupont');
  await expect(confirm).toContainText(newsletter);
  await shot(page, `${lang}-76-privacy-withdraw-confirm`);
  await confirm.getByRole('button', { name: m('privacy.consent.withdraw_do') }).click();
  await expect(state).toContainText(m('privacy.status_on.withdrawn', { date: '' }).trim());
  await expect(state.getByRole('button')).toHaveCount(0);

  // The history: both entries, the wording, the proof and who recorded it.
  await consents.getByText(m('privacy.history.title_other', { count: 2 })).click();
  const history = consents.getByRole('list', { name: m('privacy.history.label') });
  await expect(history.getByRole('listitem').filter({ hasText: m('privacy.entry_action.grant') })).toHaveCount(1);
  await expect(history.getByRole('listitem').filter({ hasText: m('privacy.entry_action.withdraw') })).toHaveCount(1);
  const grant = history.getByRole('listitem').first();
  await expect(grant).toContainText(wording[lang]);
  await expect(grant).toContainText('site-2026-03');
  await expect(grant).toContainText(m('privacy.method.form'));
  await expect(grant).toContainText(evidence[lang]);
  await expect(grant).toContainText('formulaire-signe.pdf');
  await tallShot(page, `${lang}-72-privacy-contact-consents`, 1100, history);

  // Who touched this record, on its page.
  await consents.getByText(m('privacy.contact_audit.title')).click();
  const access = consents.getByRole('list', { name: m('privacy.contact_audit.title') });
  await expect(access).toContainText(m('privacy.audit.action.consent.withdraw', { purpose: newsletter, channel: m('privacy.channel.email'), method: m('privacy.method.email') }));
  await expect(access).toContainText(m('privacy.audit.action.contact.view'));

  // Two older consents, recorded through the bound API: one expires in ten
  // days, one expired five days ago (both purposes' consents last 3 years).
  const ago = (days: number) => {
    const d = new Date();
    d.setFullYear(d.getFullYear() - 3);
    d.setDate(d.getDate() + days);
    return d.toISOString().slice(0, 10);
  };
  for (const [purpose, channel, occurredAt] of [
    ['prospecting_email', 'email', ago(10)],
    ['newsletter', 'post', ago(-5)],
  ]) {
    await page.evaluate(
      (e) => (window as any).go.app.Consents.Record(e),
      { contactId: 1, purpose, channel, action: 'grant', wording: wording[lang], wordingVersion: 'paper-2023', method: 'paper', evidence: '', occurredAt },
    );
  }

  // The dashboard: the chains are intact; nobody consents to the newsletter
  // any more, one person still to prospecting, whose consent is to renew.
  await page.getByRole('tab', { name: m('nav.privacy') }).click();
  await expect(page.getByTestId('granted-prospecting_email')).toHaveText(m('privacy.dashboard.people_one', { count: 1 }));
  const renew = page.getByRole('region', { name: m('privacy.dashboard.renew') });
  await expect(renew.getByRole('listitem')).toHaveCount(2);
  await expect(renew.getByRole('listitem').first()).toContainText(m('privacy.renew.expired_on', { date: '' }).trim());
  await expect(renew.getByRole('listitem').last()).toContainText(m('privacy.renew.expires_on', { date: '' }).trim());
  // French counts 0 as singular.
  await expect(page.getByTestId('granted-newsletter')).toHaveText(m(lang === 'fr' ? 'privacy.dashboard.people_one' : 'privacy.dashboard.people_other', { count: 0 }));
  await page.getByRole('button', { name: m('privacy.chain.check_now') }).click();
  // "Chain intact: N entries, checked on …", N any number of entries.
  const intact = (n: string) => new RegExp('^' + m('privacy.chain.intact_other', { count: 'N' }).split('{at}')[0].replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace('N', n));
  await expect(page.getByTestId('chain-ledger').locator('p').first()).toHaveText(intact('4'));
  await expect(page.getByTestId('chain-audit').locator('p').first()).toHaveText(intact('\\d+'));
  await tallShot(page, `${lang}-70-privacy-dashboard`, 1100);

  // The register, in the three formats, written where the user chose.
  for (const [button, ext] of [
    ['privacy.export.pdf', '.pdf'],
    ['privacy.export.ods', '.ods'],
    ['privacy.export.csv', '.csv'],
  ] as const) {
    await page.getByRole('button', { name: m(button), exact: true }).click();
    const saved = page.getByTestId('register-saved');
    await expect(saved).toContainText(carnet.exportDir);
    await expect(saved).toContainText(ext);
    const files = exported(carnet, ext);
    expect(files, ext).toHaveLength(1);
    expect(statSync(join(carnet.exportDir, files[0])).size, ext).toBeGreaterThan(100);
  }
  const pdf = join(carnet.exportDir, exported(carnet, '.pdf')[0]);
  expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).toContain(m('register.title'));
  expect(text).toContain(newsletter);
  expect(readFileSync(join(carnet.exportDir, exported(carnet, '.csv')[0]), 'utf8')).toContain(newsletter);

  // The consents to renew, over a longer window too.
  await page.getByRole('button', { name: m('privacy.tab.renewals') }).click();
  const renewals = page.getByRole('list', { name: m('privacy.tab.renewals') });
  await expect(renewals.getByRole('listitem')).toHaveCount(2);
  await expect(renewals).toContainText(m('privacy.default.prospecting_email.name'));
  await shot(page, `${lang}-77-privacy-renewals`);
  await renewals.getByRole('button', { name: 'Hélène Dupont' }).first().click();
  await expect(page.getByTestId('contact-name')).toHaveText('Hélène Dupont');
  await expect(page.getByTestId('consent-prospecting_email-email')).toContainText(m('privacy.status_on.granted', { date: '' }).trim());
  await expect(page.getByTestId('consent-newsletter-post')).toContainText(m('privacy.status_on.expired', { date: '' }).trim());
  await page.getByRole('tab', { name: m('nav.privacy') }).click();

  // The audit log: the consents, the view of the contact, the exports.
  await page.getByRole('button', { name: m('privacy.tab.audit') }).click();
  const log = page.getByRole('list', { name: m('privacy.tab.audit') });
  await expect(log).toContainText(m('privacy.audit.action.consent.grant', { purpose: newsletter, channel: m('privacy.channel.email'), method: m('privacy.method.form') }));
  await expect(log).toContainText(m('privacy.audit.action.consent.withdraw', { purpose: newsletter, channel: m('privacy.channel.email'), method: m('privacy.method.email') }));
  await expect(log).toContainText(m('privacy.audit.action.contact.view'));
  await expect(log).toContainText(m('privacy.audit.action.export.register', { format: 'PDF' }));
  await expect(log).toContainText(m('privacy.audit.action.vault.unlock'));
  await shot(page, `${lang}-74-privacy-audit-log`);
  // Each register saved from the window added exactly one entry, naming the window (Art. 5(2)).
  await page.getByLabel(m('privacy.audit.filter_action')).selectOption('export.');
  for (const format of ['PDF', 'ODS', 'CSV']) {
    const entry = log.getByRole('listitem').filter({ hasText: m('privacy.audit.action.export.register', { format }) });
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText('(window');
  }
  await page.getByLabel(m('privacy.audit.filter_action')).selectOption('consent.');
  await expect(log.getByRole('listitem')).toHaveCount(4);
  await log.getByRole('button', { name: m('privacy.audit.this_contact') }).first().click();
  await expect(page.getByTestId('audit-contact')).toBeVisible();
  await expect(log.getByRole('listitem')).toHaveCount(4);
  await page.getByRole('button', { name: m('privacy.audit.clear') }).click();
  await expect(page.getByTestId('audit-contact')).toHaveCount(0);
  // From a line back to the contact.
  await log.getByRole('button', { name: 'Hélène Dupont' }).first().click();
  await expect(page.getByTestId('contact-name')).toHaveText('Hélène Dupont');
  await page.getByRole('tab', { name: m('nav.privacy') }).click();

  // Purposes: legitimate interests need the balancing test.
  await page.getByRole('button', { name: m('privacy.tab.purposes') }).click();
  await page.getByRole('button', { name: new RegExp(m('privacy.default.customers.name')) }).click();
  const editor = page.getByRole('form', { name: m('privacy.purpose.editor') });
  await editor.getByLabel(m('privacy.purpose.basis')).selectOption('legitimate_interests');
  await expect(editor).toContainText(m('privacy.basis_help.legitimate_interests'));
  await editor.getByRole('button', { name: m('common.save'), exact: true }).click();
  await expect(editor.getByRole('alert')).toHaveText(m('error.balancing_missing'));
  await expect(editor.getByLabel(m('privacy.purpose.balancing'))).toBeFocused();
  await tallShot(page, `${lang}-73-privacy-purpose-editor`, 1000);
  await editor.getByLabel(m('privacy.purpose.balancing')).fill(
    lang === 'fr'
      ? 'Suivre nos clients est nécessaire à notre activité ; ils s’y attendent et peuvent s’y opposer à tout moment.'
      : 'Following up our customers is necessary for our business; they expect it and may object at any time.',
  );
  await editor.getByRole('button', { name: m('common.save'), exact: true }).click();
  await expect(editor.getByRole('status')).toHaveText(m('common.saved'));
  await expect(page.getByRole('list', { name: m('privacy.tab.purposes') })).toContainText(m('privacy.basis.legitimate_interests'));

  // A purpose with consents cannot be deleted: the refusal is shown.
  await page.getByRole('button', { name: new RegExp(newsletter) }).click();
  await editor.getByRole('button', { name: m('privacy.purpose.delete') }).click();
  await page.getByRole('dialog').getByRole('button', { name: m('common.delete') }).click();
  await expect(editor.getByRole('alert')).toHaveText(m('error.purpose_in_use'));

  // Who answers for the data.
  await page.getByRole('button', { name: m('privacy.tab.profile') }).click();
  const profile = page.getByRole('form', { name: m('privacy.tab.profile') });
  await profile.getByLabel(m('privacy.profile.user_label'), { exact: true }).fill('Hélène Martin');
  await profile.getByLabel(m('privacy.profile.name'), { exact: true }).first().fill('Jeanne Lefort');
  await profile.getByLabel(m('field.email'), { exact: true }).fill('dpo@atelier-carnet.fr');
  await profile.getByRole('button', { name: m('common.save'), exact: true }).click();
  await expect(profile.getByRole('status')).toHaveText(m('common.saved'));
  await shot(page, `${lang}-75-privacy-settings`);
  await page.getByRole('button', { name: m('privacy.tab.audit') }).click();
  await expect(log.getByRole('listitem').first()).toContainText('Hélène Martin');
  await expect(log.getByRole('listitem').first()).toContainText(m('privacy.audit.action.privacy.profile'));
}

test('consent with proof, one-click withdrawal, history, audit log, chains, purposes and the register (fr)', async ({ page, carnet }) => {
  await scenario(page, carnet, 'fr');
});

test('consent with proof, one-click withdrawal, history, audit log, chains, purposes and the register (en)', async ({ page, carnet }) => {
  await scenario(page, carnet, 'en');
});
