import { test, expect, shot, passphrase, createVault } from './fixtures';
import { msg, langs } from './i18n';

for (const lang of langs) {
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
