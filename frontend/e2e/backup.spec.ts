import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, shot, passphrase, createVault } from './fixtures';
import { msg, langs } from './i18n';

// Each test creates, backs up and restores whole vaults: more steps than most.
test.describe.configure({ timeout: 120_000 });

async function addContact(page: Page, m: (k: string) => string, given: string, family: string) {
  await page.getByRole('tab', { name: m('nav.contacts') }).click();
  await page.getByRole('button', { name: m('contact.new') }).first().click();
  await page.getByLabel(m('field.givenName'), { exact: true }).fill(given);
  await page.getByLabel(m('field.familyName'), { exact: true }).fill(family);
  await page.getByRole('button', { name: m('common.save'), exact: true }).click();
  await expect(page.getByTestId('contact-name')).toHaveText(`${given} ${family}`);
}

for (const lang of langs) {
  test(`backups: folder, back up now, automatic at lock, restore from the unlock screen (${lang})`, async ({ page, carnet }) => {
    const m = (key: string, p?: Record<string, unknown>) => msg(lang, key, p);
    await page.goto(carnet.url);
    if (lang === 'fr') await page.getByLabel(msg('en', 'settings.language')).selectOption('fr');
    await createVault(page);
    await addContact(page, m, 'Aurélie', 'Avant');

    await page.getByRole('tab', { name: m('nav.settings') }).click();
    const panel = page.getByTestId('backup-settings');
    await expect(panel.getByText(m('backup.settings.no_folder'))).toBeVisible();
    await expect(panel.getByRole('button', { name: m('backup.settings.now') })).toBeDisabled();
    await panel.getByRole('button', { name: m('backup.settings.choose_folder') }).click();
    const folder = join(carnet.exportDir, 'backups');
    await expect(panel.getByTestId('backup-folder')).toHaveText(folder);
    // Choosing a folder turns automatic backups on.
    await expect(panel.getByRole('checkbox', { name: m('backup.settings.automatic') })).toBeChecked();
    await panel.getByRole('button', { name: m('backup.settings.now') }).click();
    await expect(panel.getByTestId('backup-note')).toContainText('.carnetbackup');
    await expect(panel.getByTestId('backup-list').getByRole('listitem')).toHaveCount(1);
    await shot(page, `${lang}-96-backup-settings`);

    // Changed after the backup, then locked: the lock writes a second one.
    await addContact(page, m, 'Bruno', 'Après');
    await page.keyboard.press('Control+l');
    await expect(page.getByRole('heading', { name: m('unlock.title') })).toBeVisible();
    expect(readdirSync(folder).filter((f) => f.endsWith('.carnetbackup'))).toHaveLength(2);

    // Restore the first backup from the unlock screen.
    await page.getByRole('button', { name: m('backup.restore.link') }).click();
    await expect(page.getByRole('heading', { name: m('backup.restore.title') })).toBeVisible();
    const rows = page.getByTestId('backup-list').getByRole('listitem');
    await expect(rows).toHaveCount(2);
    await shot(page, `${lang}-97-restore-list`);
    await rows.last().getByRole('button', { name: m('backup.list.restore') }).click();
    const form = page.getByTestId('restore-form');
    await expect(form.getByText(m('backup.restore.replaces', { path: carnet.dataDir }))).toBeVisible();
    await form.getByLabel(m('backup.restore.passphrase'), { exact: true }).fill('not the passphrase');
    await form.getByRole('button', { name: m('backup.restore.submit') }).click();
    await expect(form.getByTestId('restore-error')).toContainText(m('error.wrong_passphrase'));
    await form.getByLabel(m('backup.restore.passphrase'), { exact: true }).fill(passphrase);
    await shot(page, `${lang}-98-restore-form`);
    await form.getByRole('button', { name: m('backup.restore.submit') }).click();
    await expect(form.getByTestId('restore-done')).toBeVisible();
    await expect(form).toContainText(join(carnet.dataDir, 'replaced'));
    await shot(page, `${lang}-99-restore-done`);
    await form.getByRole('button', { name: m('backup.restore.continue') }).click();

    // The backup's state: Aurélie, not Bruno.
    await page.getByRole('tab', { name: m('nav.contacts') }).click();
    await expect(page.getByText('Aurélie Avant').first()).toBeVisible();
    await expect(page.getByText('Bruno Après')).toHaveCount(0);
  });
}

test('a backup restores on another computer with the recovery code, and a damaged one is refused', async ({ page, carnet, browser }) => {
  const en = (key: string, p?: Record<string, unknown>) => msg('en', key, p);
  await page.goto(carnet.url);
  const code = await createVault(page);
  await addContact(page, en, 'Camille', 'Voyageuse');
  await page.getByRole('tab', { name: en('nav.settings') }).click();
  const panel = page.getByTestId('backup-settings');
  await panel.getByRole('button', { name: en('backup.settings.choose_folder') }).click();
  await panel.getByRole('button', { name: en('backup.settings.now') }).click();
  await expect(panel.getByTestId('backup-note')).toBeVisible();
  const folder = join(carnet.exportDir, 'backups');
  const file = readdirSync(folder).find((f) => f.endsWith('.carnetbackup'))!;

  // The other computer: a second Carnet on an empty folder, with the file
  // copied where its "open file" dialog looks.
  const other = await carnet.startOther();
  copyFileSync(join(folder, file), join(other.exportDir, 'from-the-old-laptop.carnetbackup'));
  const page2 = await browser.newPage();
  await page2.goto(other.url);
  await page2.getByRole('button', { name: en('backup.restore.link_new') }).click();
  await expect(page2.getByText(en('backup.list.empty'))).toBeVisible();
  await page2.getByRole('button', { name: en('backup.list.choose_file') }).click();
  const form = page2.getByTestId('restore-form');
  await expect(form.getByText(en('backup.restore.into', { path: other.dataDir }))).toBeVisible();
  await form.getByRole('button', { name: en('unlock.use_recovery') }).click();
  await form.getByLabel(en('unlock.recovery_code')).fill(code);
  await form.getByRole('button', { name: en('backup.restore.submit') }).click();
  await expect(form.getByText(en('backup.restore.new_passphrase'))).toBeVisible();
  await form.getByRole('button', { name: en('backup.restore.continue') }).click();
  await expect(page2.getByRole('heading', { name: en('newpass.title') })).toBeVisible();
  const next = 'nouvelle machine, nouvelle phrase';
  await page2.getByLabel(en('newpass.passphrase'), { exact: true }).fill(next);
  await page2.getByLabel(en('newpass.repeat')).fill(next);
  await page2.getByRole('button', { name: en('newpass.submit') }).click();
  await page2.getByRole('tab', { name: en('nav.contacts') }).click();
  await expect(page2.getByText('Camille Voyageuse').first()).toBeVisible();
  await page2.close();

  // A damaged copy: refused with a clear message, nothing changed.
  const bytes = readFileSync(join(folder, file));
  bytes[Math.floor(bytes.length / 2)] ^= 1;
  writeFileSync(join(carnet.exportDir, 'damaged.carnetbackup'), bytes);
  await panel.getByRole('button', { name: en('backup.list.choose_file') }).click();
  const bad = page.getByTestId('restore-form');
  await expect(bad).toContainText('damaged.carnetbackup');
  await bad.getByLabel(en('backup.restore.passphrase'), { exact: true }).fill(passphrase);
  await bad.getByRole('button', { name: en('backup.restore.submit') }).click();
  await expect(bad.getByTestId('restore-error')).toHaveText(en('backup.error.damaged'));
  await shot(page, 'en-99-restore-damaged');
  await bad.getByRole('button', { name: en('common.cancel') }).click();
  await page.getByRole('tab', { name: en('nav.contacts') }).click();
  await expect(page.getByText('Camille Voyageuse').first()).toBeVisible();
});
