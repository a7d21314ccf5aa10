// Requests from people exercising their rights: one registered through the
// form, its one-month clock, an extension that needs the date the person was
// told, a refusal with its reasons and the letter that names the CNIL, and
// the dashboard that counts the open, late and urgent ones.
import type { Page } from '@playwright/test';
import { test, expect, shot, createVault, type Carnet } from './fixtures';
import { msg } from './i18n';

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** Today, n days earlier, as YYYY-MM-DD (UTC, as the bridge counts). */
function daysAgo(n: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - n);
  return iso(d);
}

/** n calendar months after a day, clamped to the month's last day (Art. 12(3)). */
function addMonths(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return iso(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))));
}

const daysUntil = (day: string) => Math.round((Date.parse(day) - Date.parse(daysAgo(0))) / 86_400_000);

const reasons = {
  en: 'The data asked for concerns other customers of the shop and cannot be disclosed without harming their rights (Art. 15(4)).',
  fr: 'Les données demandées concernent d’autres clients de la boutique et ne peuvent être communiquées sans porter atteinte à leurs droits (art. 15.4).',
};

async function scenario(page: Page, carnet: Carnet, lang: 'en' | 'fr') {
  const m = (key: string, p?: Record<string, unknown>) => msg(lang, key, p);
  await page.goto(carnet.url);
  if (lang === 'fr') await page.getByLabel(msg('en', 'settings.language')).selectOption('fr');
  await createVault(page);

  // The person, already a contact.
  await page.getByRole('button', { name: m('contact.new') }).first().click();
  await page.getByLabel(m('field.givenName'), { exact: true }).fill('Hélène');
  await page.getByLabel(m('field.familyName'), { exact: true }).fill('Dupont');
  await page.getByLabel(`${m('field.email')} 1`).fill('helene@boulangerie-lemaire.fr');
  await page.getByRole('button', { name: m('common.save'), exact: true }).click();
  await expect(page.getByTestId('contact-name')).toHaveText('Hélène Dupont');

  // An access request received by e-mail ten days ago, linked to her.
  await page.getByRole('tab', { name: m('nav.privacy') }).click();
  await page.getByRole('button', { name: m('privacy.tab.requests'), exact: true }).click();
  await expect(page.getByText(m('privacy.request.empty'))).toBeVisible();
  await page.getByRole('button', { name: m('privacy.request.new') }).click();
  const form = page.getByRole('form', { name: m('privacy.request.form') });
  await form.getByLabel(m('privacy.request.kind_label')).selectOption('access');
  await expect(form).toContainText(m('privacy.request.kind_help.access'));
  await form.getByLabel(m('privacy.request.contact')).fill('Dupont');
  await form.getByRole('list', { name: m('privacy.request.contact_results') }).getByRole('button', { name: /Hélène Dupont/ }).click();
  await expect(form.getByTestId('request-contact')).toContainText('Hélène Dupont');
  await expect(form.getByLabel(m('privacy.request.requester'))).toHaveValue('Hélène Dupont');
  await form.getByLabel(m('privacy.request.channel'), { exact: true }).selectOption('email');
  const received = daysAgo(10);
  await form.getByLabel(m('privacy.request.received'), { exact: true }).fill(received);
  const left = daysUntil(addMonths(received, 1));
  await expect(form.getByTestId('request-deadline')).toContainText(m('privacy.request.days_left_other', { count: left }));
  await shot(page, `${lang}-80-requests-new`);
  await form.getByRole('button', { name: m('common.save'), exact: true }).click();
  await expect(form.getByRole('status')).toHaveText(m('common.saved'));
  await form.getByRole('button', { name: m('common.close') }).click();
  const list = page.getByRole('list', { name: m('privacy.tab.requests') });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list.getByRole('listitem').first()).toContainText(m('privacy.request.days_left_other', { count: left }));
  await expect(list.getByRole('listitem').first()).toContainText('Hélène Dupont');

  // An extension needs its reason and the date the person was told.
  await list.getByRole('button', { name: m('privacy.request.kind.access') }).click();
  await form.getByLabel(m('privacy.request.extension_months'), { exact: true }).selectOption('1');
  await expect(form).toContainText(m('privacy.request.told_help').split('{date}')[0].trim());
  await form.getByLabel(m('privacy.request.extension_reason')).fill(
    lang === 'fr' ? 'Dix ans d’historique de commandes à rassembler depuis les archives papier.' : 'Ten years of order history to gather from the paper archive.',
  );
  await form.getByRole('button', { name: m('common.save'), exact: true }).click();
  await expect(form.getByRole('alert')).toHaveText(m('error.extension'));
  await expect(form.getByLabel(m('privacy.request.told_on'))).toBeFocused();
  await shot(page, `${lang}-80-requests-extension-error`);
  await form.getByLabel(m('privacy.request.told_on')).fill(daysAgo(2));
  await form.getByRole('button', { name: m('common.save'), exact: true }).click();
  await expect(form.getByRole('status')).toHaveText(m('common.saved'));
  const extended = daysUntil(addMonths(received, 2));
  await expect(form.getByTestId('request-deadline')).toContainText(m('privacy.request.days_left_other', { count: extended }));

  // A refusal states its reasons; the letter names the CNIL and the remedies.
  await form.getByLabel(m('privacy.request.status_label')).selectOption('refused');
  await form.getByRole('button', { name: m('common.save'), exact: true }).click();
  await expect(form.getByRole('alert')).toHaveText(m('error.refusal_reasons'));
  await expect(form.getByLabel(m('privacy.request.reasons'))).toBeFocused();
  await form.getByLabel(m('privacy.request.reasons')).fill(reasons[lang]);
  await form.getByRole('button', { name: m('common.save'), exact: true }).click();
  await expect(form.getByRole('status')).toHaveText(m('common.saved'));
  await form.getByRole('button', { name: m('privacy.request.letter_button') }).click();
  const letter = form.getByTestId('refusal-letter');
  await expect(letter).toContainText('Hélène Dupont');
  await expect(letter).toContainText(reasons[lang]);
  await expect(letter).toContainText('Commission nationale de l’informatique et des libertés (CNIL), 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, www.cnil.fr');
  await expect(letter).toContainText(lang === 'fr' ? 'articles 12.4, 77 et 79' : 'Articles 12(4), 77 and 79');
  await letter.evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await shot(page, `${lang}-80-requests-refusal-letter`);
  await form.getByRole('button', { name: m('common.close') }).click();

  // Two more, through the bound API: one late, one due within days.
  for (const [kind, ago, requester] of [
    ['erasure', 40, 'Marc Lemaire <marc@exemple.fr>'],
    ['objection', 25, 'Sophie Martin'],
  ] as const) {
    await page.evaluate(
      (r) => (window as any).go.app.Requests.Save(r),
      { id: 0, kind, contactId: 0, requester, channel: 'letter', receivedOn: daysAgo(ago), idCheckMethod: '', idCheckOn: '', idCheckResult: '', status: 'open',
        extensionMonths: 0, extensionReason: '', personToldOn: '', decision: '', reasons: '', documents: [], closedOn: '', dueOn: '', daysLeft: 0 },
    );
  }
  await page.getByRole('button', { name: m('privacy.tab.dashboard'), exact: true }).click();
  await page.getByRole('button', { name: m('privacy.tab.requests'), exact: true }).click();
  await expect(list.getByRole('listitem')).toHaveCount(3);
  await expect(list.getByRole('listitem').nth(0)).toContainText(m('privacy.request.kind.erasure'));
  await expect(list.getByRole('listitem').nth(0)).toContainText(m('privacy.request.overdue_other', { count: -daysUntil(addMonths(daysAgo(40), 1)) }));
  await expect(list.getByRole('listitem').nth(1)).toContainText(m('privacy.request.kind.objection'));
  await expect(list.getByRole('listitem').nth(2)).toContainText(m('privacy.request.status.refused'));
  await shot(page, `${lang}-80-requests-list`);

  // The dashboard counts them and leads to the tab.
  await page.getByRole('button', { name: m('privacy.tab.dashboard'), exact: true }).click();
  const card = page.getByRole('region', { name: m('privacy.dashboard.requests') });
  await expect(card.getByTestId('requests-open')).toContainText('2');
  await expect(card.getByTestId('requests-overdue')).toContainText('1');
  await expect(card.getByTestId('requests-due-soon')).toContainText('1');
  await shot(page, `${lang}-80-requests-dashboard`);
  await card.getByRole('button', { name: m('privacy.dashboard.see_requests') }).click();
  await expect(list.getByRole('listitem')).toHaveCount(3);

  // Every step is in the audit log.
  await page.getByRole('button', { name: m('privacy.tab.audit'), exact: true }).click();
  const log = page.getByRole('list', { name: m('privacy.tab.audit') });
  await expect(log).toContainText(m('privacy.audit.action.request.create', { kind: m('privacy.request.kind.access'), status: m('privacy.request.status.open') }));
  await expect(log).toContainText(m('privacy.audit.action.request.update', { kind: m('privacy.request.kind.access'), status: m('privacy.request.status.refused') }));
}

test('requests: the one-month clock, an extension, a refusal letter and the dashboard (fr)', async ({ page, carnet }) => {
  await scenario(page, carnet, 'fr');
});

test('requests: the one-month clock, an extension, a refusal letter and the dashboard (en)', async ({ page, carnet }) => {
  await scenario(page, carnet, 'en');
});
