// The one modal dialog (src/lib/ui/Modal.svelte), as a keyboard and mouse
// user meets it: the focus goes in, stays in, comes back; Escape leaves; a
// stray click outside never loses what was typed.
import { test, expect, shot, createVault } from './fixtures';
import { msg, langs } from './i18n';

for (const lang of langs) {
  test(`a dialog takes the focus, keeps it, gives it back, and keeps typed text on a click outside (${lang})`, async ({ page, carnet }) => {
    const m = (key: string, p?: Record<string, unknown>) => msg(lang, key, p);
    await page.goto(carnet.url);
    await page.getByLabel(msg('en', 'settings.language')).selectOption(lang);
    await createVault(page);
    await page.getByRole('button', { name: m('contacts.try_demo') }).click();
    await page.getByLabel(m('contacts.filter_relationship')).selectOption('supplier');

    // A prompt: named by its question, the field has the focus.
    const opener = page.getByRole('button', { name: m('contacts.save_segment') });
    await opener.click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toHaveAccessibleName(m('contacts.segment_name'));
    const field = dialog.getByRole('textbox');
    await expect(field).toBeFocused();
    await field.fill('Fournisseurs de Lyon');
    await shot(page, `${lang}-modal-prompt`);

    // Tab and Shift+Tab go round inside the dialog, never behind it.
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);

    // A click on the backdrop keeps the dialog and what was typed.
    await page.mouse.click(5, 5);
    await expect(dialog).toBeVisible();
    await expect(field).toHaveValue('Fournisseurs de Lyon');

    // Escape closes it and the focus is back on the button that opened it.
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(opener).toBeFocused();

    // The search palette holds nothing worth keeping: a click outside closes it.
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: m('search.title') });
    await expect(palette.getByRole('combobox')).toBeFocused();
    await page.mouse.click(5, 5);
    await expect(palette).toHaveCount(0);
  });
}

test('Escape still closes a dialog whose focused button went away, keys do not reach the page behind, and a deletion starts on Cancel (en)', async ({ page, carnet }) => {
  const m = (key: string, p?: Record<string, unknown>) => msg('en', key, p);
  await page.goto(carnet.url);
  await createVault(page);
  await page.getByRole('button', { name: m('contacts.try_demo') }).click();

  // The import wizard: "Check" has the focus when it is clicked, then the
  // step changes and the button is gone; the focus falls out of the dialog.
  await page.getByRole('button', { name: m('contacts.import') }).first().click();
  const wizard = page.getByRole('dialog', { name: m('import.title') });
  await page.locator('input[type=file]').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('First name,Last name,Email\nAda,Lovelace,ada@example.org\n'),
  });
  const check = wizard.getByRole('button', { name: m('import.check') });
  await check.focus();
  await page.keyboard.press('Enter');
  await expect(check).toHaveCount(0);
  await expect(wizard).toContainText(m('import.dry_run'));
  // No shortcut fires behind the open dialog ("n" would start a new contact).
  await page.keyboard.press('n');
  await expect(page.getByRole('heading', { name: m('contact.new') })).toHaveCount(0);
  await shot(page, 'en-modal-import-summary');
  await page.keyboard.press('Escape');
  await expect(wizard).toHaveCount(0);

  // Even with the focus dropped onto <body> by hand, Escape closes.
  await page.getByRole('button', { name: m('contacts.import') }).first().click();
  await expect(wizard).toBeVisible();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Escape');
  await expect(wizard).toHaveCount(0);

  // A destructive question: danger tone, Cancel has the focus, Enter keeps the segment.
  await page.getByLabel(m('contacts.filter_relationship')).selectOption('supplier');
  await page.getByRole('button', { name: m('contacts.save_segment') }).click();
  await page.getByRole('dialog').getByRole('textbox').fill('Suppliers');
  await page.keyboard.press('Enter');
  const del = page.getByRole('button', { name: m('contacts.delete_segment') });
  await del.click();
  const confirm = page.getByRole('dialog', { name: m('contacts.segment_delete_confirm', { name: 'Suppliers' }) });
  await expect(confirm.getByRole('button', { name: m('common.cancel') })).toBeFocused();
  await shot(page, 'en-modal-confirm-delete');
  await page.keyboard.press('Enter');
  await expect(confirm).toHaveCount(0);
  await expect(del).toBeVisible();
});
