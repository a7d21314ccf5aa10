import { test, expect, shot, passphrase, createVault } from './fixtures';
import { msg } from './i18n';

test('settings: change passphrase, auto-lock, recovery code and language', async ({ page, carnet }) => {
  test.setTimeout(120_000);
  const en = (key: string, p?: Record<string, unknown>) => msg('en', key, p);
  const fr = (key: string, p?: Record<string, unknown>) => msg('fr', key, p);
  await page.goto(carnet.url);
  const oldCode = await createVault(page);
  await page.getByRole('tab', { name: en('nav.settings') }).click();
  await expect(page.getByRole('heading', { name: en('settings.title') })).toBeVisible();
  await expect(page.getByTestId('data-dir')).toHaveText(carnet.dataDir);
  await shot(page, 'en-20-settings');

  // Changing the passphrase checks the current one.
  const form = page.locator('form', { has: page.getByRole('heading', { name: en('settings.change_passphrase') }) });
  await form.getByLabel(en('settings.current_passphrase'), { exact: true }).fill('wrong current passphrase');
  await form.getByLabel(en('settings.new_passphrase'), { exact: true }).fill('new passphrase here');
  await form.getByLabel(en('settings.repeat_new')).fill('new passphrase here');
  await form.getByRole('button', { name: en('settings.change_passphrase') }).click();
  await expect(form.getByRole('alert')).toContainText(en('error.wrong_passphrase'));
  // Re-encrypting is offered and recommended (checked): it gives a new
  // recovery code and says what old key files can still open.
  await expect(form.getByLabel(en('settings.rekey_option'))).toBeChecked();
  await form.getByLabel(en('settings.current_passphrase'), { exact: true }).fill(passphrase);
  await form.getByRole('button', { name: en('settings.change_passphrase') }).click();
  // Three key derivations at the real costs and a copy of the database.
  await expect(page.getByText(en('settings.rekey_done'))).toBeVisible({ timeout: 45_000 });
  const rekeyCode = (await page.getByTestId('recovery-code').innerText()).split(/\s+/).join('-');
  expect(rekeyCode).not.toBe(oldCode);
  await page.getByLabel(en('recovery.confirm')).check();
  await page.getByRole('button', { name: en('recovery.continue') }).click();

  // Auto-lock minutes are stored in the vault.
  const autolock = page.locator('form').filter({ has: page.getByLabel(en('settings.autolock')) });
  await autolock.getByLabel(en('settings.autolock')).fill('5');
  await autolock.getByRole('button', { name: en('common.save') }).click();
  await expect(autolock.getByText(en('common.saved'), { exact: true })).toBeVisible();

  // The mail size limit is stored in the vault too (read back after a reload).
  const mailSize = page.getByTestId('mail-size-setting');
  await expect(mailSize.getByLabel(en('settings.mail_max_size'))).toHaveValue('50');
  await mailSize.getByLabel(en('settings.mail_max_size')).fill('25');
  await mailSize.getByRole('button', { name: en('common.save') }).click();
  await expect(mailSize.getByText(en('common.saved'), { exact: true })).toBeVisible();

  // A new recovery code replaces the old one; without re-encrypting, it is
  // instant.
  await page.getByLabel(en('settings.new_recovery_rekey')).uncheck();
  await page.getByLabel(en('settings.current_passphrase'), { exact: true }).nth(1).fill('new passphrase here');
  await page.getByRole('button', { name: en('settings.new_recovery_submit') }).click();
  await expect(page.getByText(en('settings.new_recovery_done'))).toBeVisible();
  const newCode = (await page.getByTestId('recovery-code').innerText()).split(/\s+/).join('-');
  expect(newCode).not.toBe(oldCode);
  expect(newCode).not.toBe(rekeyCode);
  await page.getByLabel(en('recovery.confirm')).check();
  await page.getByRole('button', { name: en('recovery.continue') }).click();

  // Language from Settings applies at once, everywhere.
  await page.getByLabel(en('settings.language')).selectOption('fr');
  await expect(page.getByRole('heading', { name: fr('settings.title') })).toBeVisible();
  await expect(page.getByRole('tab', { name: fr('nav.contacts') })).toBeVisible();
  await shot(page, 'fr-20-settings');

  // After a reload the vault is still open and the settings persisted.
  await page.reload();
  await page.getByRole('tab', { name: fr('nav.settings') }).click();
  await expect(page.getByLabel(fr('settings.autolock'))).toHaveValue('5');
  await expect(page.getByLabel(fr('settings.mail_max_size'))).toHaveValue('25');

  // The new passphrase is the one that works; the old recovery code does not.
  await page.keyboard.press('Control+l');
  await page.getByRole('button', { name: fr('unlock.use_recovery') }).click();
  await page.getByLabel(fr('unlock.recovery_code')).fill(oldCode);
  await page.getByRole('button', { name: fr('unlock.recovery_submit') }).click();
  // A key derivation at the real cost: seconds on a loaded machine.
  await expect(page.getByTestId('unlock-error')).toContainText(fr('error.wrong_recovery_code'), { timeout: 30_000 });
  await page.getByRole('button', { name: fr('unlock.use_passphrase') }).click();
  await page.getByLabel(fr('unlock.passphrase'), { exact: true }).fill('new passphrase here');
  await page.getByRole('button', { name: fr('unlock.submit') }).click();
  await expect(page.getByRole('tab', { name: fr('nav.contacts') })).toBeVisible();
});

// A lock (sleep, screen lock, idle) that comes while a new recovery code is
// on screen does not lose it: the old code no longer works, so it is shown
// again once the vault is unlocked, and only then.
test('a new recovery code survives a lock before it is confirmed (fr)', async ({ page, carnet }) => {
  const fr = (key: string, p?: Record<string, unknown>) => msg('fr', key, p);
  await page.goto(carnet.url);
  await page.getByLabel(msg('en', 'settings.language')).selectOption('fr');
  await createVault(page);
  await page.getByRole('tab', { name: fr('nav.settings') }).click();
  await page.getByLabel(fr('settings.new_recovery_rekey')).uncheck();
  await page.getByLabel(fr('settings.current_passphrase'), { exact: true }).nth(1).fill(passphrase);
  await page.getByRole('button', { name: fr('settings.new_recovery_submit') }).click();
  await expect(page.getByText(fr('settings.new_recovery_done'))).toBeVisible();
  const code = await page.getByTestId('recovery-code').innerText();

  // The computer goes to sleep: the vault locks as backend/sessionlock has it.
  await page.evaluate(async () => {
    const w = window as unknown as {
      go: { app: { Vault: { Lock(): Promise<void> } } };
      runtime: { EventsEmit(name: string, data: unknown): void };
    };
    await w.go.app.Vault.Lock();
    w.runtime.EventsEmit('vault:locked', { reason: 'suspend', minutes: 0 });
  });
  await expect(page.getByRole('heading', { name: fr('unlock.title') })).toBeVisible();
  await expect(page.getByTestId('recovery-code')).toHaveCount(0);

  await page.getByLabel(fr('unlock.passphrase'), { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: fr('unlock.submit') }).click();
  await expect(page.getByText(fr('recovery.shown_again'))).toBeVisible();
  expect(await page.getByTestId('recovery-code').innerText()).toBe(code);
  await shot(page, 'fr-recovery-shown-again');
  await page.getByLabel(fr('recovery.confirm')).check();
  await page.getByRole('button', { name: fr('recovery.continue') }).click();
  await expect(page.getByRole('tab', { name: fr('nav.contacts') })).toBeVisible();
});
