import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, shot, passphrase, createVault } from './fixtures';
import { msg, langs } from './i18n';

for (const lang of langs) {
  test(`a second instance on the same vault is told so (${lang})`, async ({ page, carnet, browser }) => {
    await page.goto(carnet.url);
    await createVault(page);
    const other = await carnet.startAnother();
    const page2 = await browser.newPage();
    await page2.goto(other.url);
    if (lang === 'fr') await page2.getByLabel(msg('en', 'settings.language')).selectOption('fr');
    await expect(page2.getByTestId('vault-problem')).toHaveText(msg(lang, 'error.in_use'));
    await shot(page2, `${lang}-30-in-use`);
    await page2.close();
    // The first instance is unaffected.
    await expect(page.getByRole('tab', { name: msg('en', 'nav.contacts') })).toBeVisible();
  });
}

test('damaged key files are explained and nothing is offered that could lose data', async ({ page, carnet }) => {
  await carnet.stop();
  const init = carnet.cli(['init'], { CARNET_PASSPHRASE: passphrase });
  expect(init.status, init.stderr).toBe(0);
  for (const f of ['carnet.keys', 'carnet.keys.bak']) writeFileSync(join(carnet.dataDir, f), '{"broken":');
  const again = await carnet.startAnother();
  await page.goto(again.url);
  await expect(page.getByTestId('vault-problem')).toHaveText(msg('en', 'error.key_file_damaged'));
  await expect(page.getByRole('button', { name: msg('en', 'setup.create') })).toHaveCount(0);
  await shot(page, 'en-31-key-file-damaged');
  await page.getByLabel(msg('en', 'settings.language')).selectOption('fr');
  await expect(page.getByTestId('vault-problem')).toHaveText(msg('fr', 'error.key_file_damaged'));
  await shot(page, 'fr-31-key-file-damaged');
});
