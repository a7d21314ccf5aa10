import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, shot, createVault } from './fixtures';
import { msg } from './i18n';

const fr = (key: string, p?: Record<string, unknown>) => msg('fr', key, p);

test('a sensitive field: Art. 9 condition required, hidden until shown, out of exports unless chosen (fr)', async ({ page, carnet }) => {
  await page.goto(carnet.url);
  await page.getByLabel(msg('en', 'settings.language')).selectOption('fr');
  await createVault(page);

  // Define the field in the settings; sensitive needs its category and condition.
  await page.getByRole('tab', { name: fr('nav.settings') }).click();
  await page.getByRole('button', { name: fr('fields.add') }).click();
  await page.getByLabel(fr('fields.name')).fill('Allergies');
  await page.getByLabel(fr('fields.sensitive')).check();
  const editor = page.getByRole('form', { name: fr('fields.editor') });
  await editor.getByRole('button', { name: fr('common.save'), exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText(fr('error.field_condition'));
  await page.getByLabel(fr('fields.category')).selectOption('health');
  await page.getByLabel(fr('fields.condition')).selectOption('a');
  await shot(page, 'fr-90-custom-field');
  await editor.getByRole('button', { name: fr('common.save'), exact: true }).click();
  await expect(page.getByText(`${fr('fields.sensitive_badge')} · ${fr('fields.category.health')}`)).toBeVisible();

  // A contact with a value: hidden when edited again until "Show".
  await page.getByRole('tab', { name: fr('nav.contacts') }).click();
  await page.getByRole('button', { name: fr('contact.new') }).first().click();
  await page.getByLabel(fr('field.givenName'), { exact: true }).fill('Hélène');
  await page.getByLabel(fr('field.familyName'), { exact: true }).fill('Dupont');
  await page.getByLabel(/^Allergies/).fill('arachides');
  await page.getByRole('button', { name: fr('common.save'), exact: true }).click();
  await expect(page.getByTestId('contact-name')).toHaveText('Hélène Dupont');
  // On the page: hidden until shown.
  await expect(page.getByText(fr('fields.hidden_value'), { exact: true })).toBeVisible();
  await expect(page.getByText('arachides')).toHaveCount(0);
  await page.getByRole('button', { name: fr('fields.show') }).click();
  await expect(page.getByText('arachides')).toBeVisible();
  await page.getByRole('button', { name: fr('common.edit'), exact: true }).click();
  await expect(page.getByPlaceholder(fr('fields.hidden'))).toBeVisible();
  await expect(page.getByText('arachides')).toHaveCount(0);
  await shot(page, 'fr-91-sensitive-hidden');
  await page.getByRole('button', { name: fr('fields.show') }).click();
  await expect(page.getByLabel(/^Allergies/)).toHaveValue('arachides');
  await page.getByRole('button', { name: fr('common.cancel'), exact: true }).click();

  // Search never finds it.
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: fr('search.title') }).fill('arachides');
  await expect(page.locator('#palette-results').getByRole('option')).toHaveCount(0);
  await page.keyboard.press('Escape');

  // Export: asked; leaving it out keeps the value out of the file.
  await page.getByRole('button', { name: fr('contacts.export') }).click();
  await expect(page.getByText(fr('contacts.export_sensitive', { fields: 'Allergies' }))).toBeVisible();
  await page.getByRole('button', { name: fr('common.cancel') }).click();
  await expect(page.getByRole('status')).toContainText('carnet-contacts.csv');
  const csv = readFileSync(join(carnet.exportDir, 'carnet-contacts.csv'), 'utf8');
  expect(csv).toContain('Dupont');
  expect(csv).not.toContain('arachides');

  // Each showing is in the audit log, with the contact's name.
  await page.getByRole('tab', { name: fr('nav.privacy') }).click();
  await page.getByRole('button', { name: fr('privacy.tab.audit') }).click();
  await expect(page.getByText(fr('privacy.audit.action.contact.reveal', { field: 'Allergies' })).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Hélène Dupont' }).first()).toBeVisible();
});
