import { test, expect, shot, passphrase, createVault } from './fixtures';
import { msg, langs } from './i18n';

for (const lang of langs) {
  test(`the recovery code is shown, never put on the clipboard (${lang})`, async ({ page, context, carnet }) => {
    const m = (key: string, p?: Record<string, unknown>) => msg(lang, key, p);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(carnet.url).origin });
    await page.goto(carnet.url);
    if (lang === 'fr') await page.getByLabel(msg('en', 'settings.language')).selectOption('fr');
    await page.evaluate(() => navigator.clipboard.writeText('before'));
    await page.getByLabel(m('setup.passphrase'), { exact: true }).fill(passphrase);
    await page.getByLabel(m('setup.repeat')).fill(passphrase);
    await page.getByRole('button', { name: m('setup.create') }).click();
    const code = page.getByTestId('recovery-code');
    await expect(code).not.toBeEmpty();
    await expect(page.getByTestId('recovery-no-copy')).toHaveText(m('recovery.no_copy'));
    await expect(page.getByRole('button', { name: m('recovery.copy') })).toHaveCount(0);
    await shot(page, `${lang}-recovery-no-copy`);
    await page.getByRole('checkbox').check();
    await page.getByRole('button', { name: m('recovery.continue') }).click();
    await expect(page.getByRole('tab', { name: m('nav.contacts') })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('before');
  });

  test(`the recovery code unlocks and forces a new passphrase (${lang})`, async ({ page, carnet }) => {
    const m = (key: string, p?: Record<string, unknown>) => msg(lang, key, p);
    await page.goto(carnet.url);
    if (lang === 'fr') await page.getByLabel(msg('en', 'settings.language')).selectOption('fr');
    const code = await createVault(page);
    await page.keyboard.press('Control+l');

    await page.getByRole('button', { name: m('unlock.use_recovery') }).click();
    const field = page.getByLabel(m('unlock.recovery_code'));
    await field.fill('0000-0000-0000-0000-0000-0000');
    await page.getByRole('button', { name: m('unlock.recovery_submit') }).click();
    await expect(page.getByTestId('unlock-error')).toContainText(m('error.wrong_recovery_code'));
    await shot(page, `${lang}-10-recovery-wrong`);

    // Typed the way people copy from paper: lower case, spaces.
    await field.fill(code.toLowerCase().replaceAll('-', ' '));
    await page.getByRole('button', { name: m('unlock.recovery_submit') }).click();
    await expect(page.getByRole('heading', { name: m('newpass.title') })).toBeVisible();
    await shot(page, `${lang}-11-new-passphrase`);
    const next = 'violette bleue ane sage';
    await page.getByLabel(m('newpass.passphrase'), { exact: true }).fill(next);
    await page.getByLabel(m('newpass.repeat')).fill(next);
    await page.getByRole('button', { name: m('newpass.submit') }).click();
    await expect(page.getByRole('tab', { name: m('nav.contacts') })).toBeVisible();

    // The old passphrase stopped working; the new one works.
    await page.keyboard.press('Control+l');
    const pass = page.getByLabel(m('unlock.passphrase'), { exact: true });
    await pass.fill(passphrase);
    await page.getByRole('button', { name: m('unlock.submit') }).click();
    await expect(page.getByTestId('unlock-error')).toContainText(m('error.wrong_passphrase'));
    await pass.fill(next);
    await page.getByRole('button', { name: m('unlock.submit') }).click();
    await expect(page.getByRole('tab', { name: m('nav.contacts') })).toBeVisible();
  });
}
