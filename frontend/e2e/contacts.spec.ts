import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, shot, createVault, type Carnet } from './fixtures';
import { msg } from './i18n';
import type { Page } from '@playwright/test';

const fr = (key: string, p?: Record<string, unknown>) => msg('fr', key, p);

async function start(page: Page, carnet: Carnet) {
  await page.goto(carnet.url);
  await page.getByLabel(msg('en', 'settings.language')).selectOption('fr');
  await createVault(page);
}

test('create, edit, find without accents, delete and restore a contact (fr)', async ({ page, carnet }) => {
  await start(page, carnet);
  await expect(page.getByRole('heading', { name: fr('contacts.empty_title') })).toBeVisible();
  await shot(page, 'fr-40-contacts-empty');

  await page.getByRole('button', { name: fr('contact.new') }).first().click();
  await page.getByLabel(fr('field.givenName'), { exact: true }).fill('Hélène');
  await page.getByLabel(fr('field.familyName'), { exact: true }).fill('Dupont-Lefèvre');
  await page.getByLabel(`${fr('field.email')} 1`).fill('helene@boulangerie-lemaire.fr');
  await page.getByLabel(`${fr('field.phone')} 1`).fill('06 12 34 56 78');
  await page.getByRole('checkbox', { name: fr('relationship.customer') }).check();
  await page.getByRole('button', { name: '+ ' + fr('contact.add_company') }).click();
  await page.getByLabel(`${fr('field.company')} 1`).fill('Boulangerie Lemaire');
  await page.getByLabel(fr('field.source')).fill('carte de visite, salon de Lyon');
  await page.getByLabel(fr('field.tags')).fill('VIP, Lyon');
  await shot(page, 'fr-41-contact-form');
  await page.getByRole('button', { name: fr('common.save'), exact: true }).click();
  await expect(page.getByTestId('contact-name')).toHaveText('Hélène Dupont-Lefèvre');
  await expect(page.getByTestId('contact-source')).toHaveText('carte de visite, salon de Lyon');

  // A note and a task on the timeline.
  await page.getByPlaceholder(fr('timeline.placeholder.note')).fill('Intéressée par la véranda');
  await page.getByRole('button', { name: fr('timeline.add') }).click();
  await expect(page.getByText('Intéressée par la véranda')).toBeVisible();
  // A task whose reminder time has passed pops up at once.
  await page.getByRole('radiogroup', { name: fr('timeline.kind') }).getByText(fr('activity.kind.task')).click();
  await page.getByLabel(fr('timeline.task_title')).fill('Envoyer le devis');
  await page.getByLabel(fr('timeline.remind')).fill('2026-01-01T09:00');
  await page.getByRole('button', { name: fr('timeline.add') }).click();
  const reminder = page.getByRole('region', { name: fr('reminders.title') });
  await expect(reminder).toContainText(fr('reminders.line', { task: 'Envoyer le devis' }));
  await shot(page, 'fr-42-contact-detail');
  await reminder.getByRole('button', { name: fr('reminders.dismiss') }).click();
  await expect(reminder).toHaveCount(0);

  // Edit.
  await page.getByRole('button', { name: fr('common.edit'), exact: true }).click();
  await page.getByLabel(fr('field.jobTitle')).fill('Gérante');
  await page.getByRole('button', { name: fr('common.save'), exact: true }).click();
  await expect(page.getByText('Gérante')).toBeVisible();

  // Ctrl+K with no accents, then by phone in another format.
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: fr('search.title') }).fill('helene lefevre');
  await expect(page.locator('#palette-results').getByRole('option').first()).toContainText('Hélène Dupont-Lefèvre');
  await shot(page, 'fr-43-search');
  await page.getByRole('combobox', { name: fr('search.title') }).fill('+33612345678');
  await expect(page.locator('#palette-results').getByRole('option').first()).toContainText('Hélène Dupont-Lefèvre');
  await page.getByRole('combobox', { name: fr('search.title') }).fill('veranda');
  await expect(page.locator('#palette-results').getByRole('option').first()).toContainText(fr('search.kind.note'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('contact-name')).toHaveText('Hélène Dupont-Lefèvre');

  // Delete goes to the trash, with undo; restore from the trash too.
  await page.getByRole('button', { name: fr('common.delete') }).first().click();
  await page.getByRole('dialog').getByRole('button', { name: fr('contact.move_to_trash') }).click();
  await expect(page.getByText(fr('contact.moved_to_trash'))).toBeVisible();
  await page.getByRole('button', { name: fr('contacts.view.trash') }).click();
  await expect(page.getByText('Hélène Dupont-Lefèvre')).toBeVisible();
  await shot(page, 'fr-44-trash');
  await page.getByRole('button', { name: fr('trash.restore') }).click();
  await expect(page.getByText(fr('trash.empty'))).toBeVisible();
  await page.getByRole('button', { name: fr('contacts.view.contacts') }).click();
  await expect(page.getByTestId('contact-count')).toHaveText(fr('contacts.count_one', { count: 1 }));
});

test('import a French Excel CSV with preview, mapping and dry run, then merge duplicates (fr)', async ({ page, carnet }) => {
  await start(page, carnet);
  // What French Excel writes: Windows-1252, semicolons, CRLF.
  const csv = Buffer.from(
    'Nom;Prénom;Société;Téléphone;Adresse e-mail;Ville;Commentaire;Origine\r\n' +
      'Dupont;Hélène;Boulangerie Lemaire;06 12 34 56 78;helene@example.fr;Lyon;Cliente fidèle;salon 2025\r\n' +
      'Müller;François;Eaux du Rhône;04 72 00 00 00;fm@example.fr;Besançon;;\r\n' +
      'Dupont;Helene;Boulangerie Lemaire;+33 6 12 34 56 78;h.dupont@perso.example;Lyon;Doublon probable;\r\n' +
      'Lambert;Zoé;;02 40 00 00 00;zoe@@example.fr;Nantes;;\r\n',
    'latin1',
  );
  await page.getByRole('button', { name: fr('contacts.import') }).first().click();
  await page.locator('input[type=file]').setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: csv });
  await expect(page.getByText('clients.csv : 4 lignes, Windows-1252')).toBeVisible();
  await expect(page.getByLabel(fr('import.map_column', { column: 'Prénom' }))).toHaveValue('givenName');
  await expect(page.getByLabel(fr('import.map_column', { column: 'Société' }))).toHaveValue('company');
  // "Commentaire" goes to notes, "Origine" to the source: as recognised.
  await expect(page.getByLabel(fr('import.map_column', { column: 'Origine' }))).toHaveValue('source');
  await shot(page, 'fr-50-import-mapping');
  await page.getByRole('button', { name: fr('import.check') }).click();
  const summary = page.getByTestId('import-summary');
  await expect(summary).toContainText(fr('import.dry_run'));
  // Row 4 shares a phone with row 2: merged, not created twice. Row 5 has a
  // bad address: imported without it, the address named as skipped.
  await expect(summary.locator('li').nth(0)).toContainText('3');
  await expect(summary.locator('li').nth(2)).toContainText('1');
  await expect(summary.locator('li').nth(4)).toContainText(`0 ${fr('import.problems')}`);
  await expect(summary.locator('li').nth(5)).toContainText(`1 ${fr('import.skipped')}`);
  await expect(summary).toContainText(fr('import.problem.email'));
  await expect(summary).toContainText(fr('import.skipped_value', { field: fr('field.email'), value: 'zoe@@example.fr' }));
  await shot(page, 'fr-51-import-dry-run');
  await page.getByRole('button', { name: fr('import.run_other', { count: 3 }) }).click();
  await expect(summary).toContainText(fr('import.done'));
  await page.getByRole('button', { name: fr('common.close') }).click();
  await expect(page.getByTestId('contact-count')).toHaveText(fr('contacts.count_other', { count: 3 }));
  await shot(page, 'fr-52-after-import');

  // The same file again: nothing new, nothing to write.
  await page.getByRole('button', { name: fr('contacts.import') }).first().click();
  await page.locator('input[type=file]').setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: csv });
  await page.getByRole('button', { name: fr('import.check') }).click();
  await expect(summary).toContainText(`4 ${fr('import.unchanged')}`);
  await expect(page.getByRole('button', { name: fr('import.run_one', { count: 0 }) })).toBeDisabled(); // French: 0 is singular
  await shot(page, 'fr-52-import-again');
  await page.getByRole('button', { name: fr('common.cancel') }).click();

  // Two records of the same person, typed by hand: merge them.
  await page.getByRole('button', { name: fr('contact.new') }).first().click();
  await page.getByLabel(fr('field.givenName'), { exact: true }).fill('François');
  await page.getByLabel(fr('field.familyName'), { exact: true }).fill('Muller');
  await page.getByLabel(`${fr('field.email')} 1`).fill('FM@example.fr');
  await page.getByLabel(fr('field.jobTitle')).fill('Directeur technique');
  await page.getByRole('button', { name: fr('common.save'), exact: true }).click();
  await page.getByRole('button', { name: fr('contacts.view.duplicates') }).click();
  await expect(page.getByText(fr('duplicates.reason.email', { value: 'fm@example.fr' }))).toBeVisible();
  await shot(page, 'fr-53-duplicates');
  await page.getByRole('button', { name: fr('duplicates.review') }).click();
  await page.getByRole('radio', { name: 'François Müller' }).or(page.getByRole('radio', { name: 'Müller' })).first().check();
  await shot(page, 'fr-54-merge');
  await page.getByRole('button', { name: fr('duplicates.merge') }).click();
  await expect(page.getByTestId('contact-name')).toContainText('François');
  await expect(page.getByText('Directeur technique')).toBeVisible();
  await expect(page.getByText('04 72 00 00 00')).toBeVisible();
  await page.getByRole('button', { name: fr('contacts.view.contacts') }).click();
  await expect(page.getByTestId('contact-count')).toHaveText(fr('contacts.count_other', { count: 3 }));

  // Export for French Excel and read it back.
  await page.getByRole('button', { name: fr('contacts.export') }).click();
  await expect(page.getByText(fr('contacts.exported', { path: join(carnet.exportDir, 'carnet-contacts.csv') }))).toBeVisible();
  const out = readFileSync(join(carnet.exportDir, 'carnet-contacts.csv'), 'utf8');
  expect(out.startsWith('\ufeffPrénom;Nom;Adresse e-mail')).toBe(true);
  expect(out).toContain('Hélène;Dupont;');
});

test('sample data, filters, segments and a long list (en)', async ({ page, carnet }) => {
  await page.goto(carnet.url);
  await createVault(page);
  const en = (key: string, p?: Record<string, unknown>) => msg('en', key, p);
  await page.getByRole('button', { name: en('contacts.try_demo') }).click();
  await expect(page.getByText(en('contacts.demo_done', { contacts: 200, companies: 40 }))).toBeVisible();
  await expect(page.getByTestId('contact-count')).toHaveText(en('contacts.count_other', { count: 200 }));
  await page.getByLabel(en('contacts.filter_relationship')).selectOption('supplier');
  await expect(page.getByTestId('contact-count')).not.toHaveText(en('contacts.count_other', { count: 200 }));
  const filtered = Number((await page.getByTestId('contact-count').innerText()).split(' ')[0]);
  expect(filtered).toBeGreaterThan(0);
  expect(filtered).toBeLessThan(200);
  await page.getByRole('button', { name: en('contacts.save_segment') }).click();
  await page.getByRole('dialog').getByRole('textbox').fill('Suppliers');
  await page.getByRole('dialog').getByRole('button', { name: en('common.save') }).click();
  await expect(page.getByLabel(en('contacts.segments'))).toContainText('Suppliers');
  // Keyboard: the list takes arrows and Enter.
  await page.getByRole('listbox', { name: en('nav.contacts') }).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('contact-name')).toBeVisible();
  await shot(page, 'en-45-contacts-demo');
  await page.getByRole('button', { name: en('contacts.view.tasks') }).click();
  await expect(page.getByRole('heading', { name: en('tasks.today') })).toBeVisible();
  await shot(page, 'en-46-tasks');
  await page.getByRole('button', { name: en('contacts.view.companies') }).click();
  await page.getByRole('listbox', { name: en('contacts.view.companies') }).getByRole('option').first().click();
  await expect(page.getByTestId('company-name')).toBeVisible();
  await shot(page, 'en-47-company');
  const company = await page.getByTestId('company-name').innerText();
  const people = await page.locator('ul.people li').count();
  await page.getByRole('button', { name: en('company.show_in_list') }).click();
  await expect(page.getByText(en('contacts.of_company', { name: company }))).toBeVisible();
  await expect(page.getByTestId('contact-count')).toHaveText(en(people === 1 ? 'contacts.count_one' : 'contacts.count_other', { count: people }));
});
