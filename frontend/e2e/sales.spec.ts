import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, shot, createVault } from './fixtures';
import { msg } from './i18n';

const fr = (key: string, p?: Record<string, unknown>) => msg('fr', key, p);

test('quote from the catalogue, accept, invoice, issue, payment, credit note, PDF (fr)', async ({ page, carnet }) => {
  await page.goto(carnet.url);
  await page.getByLabel(msg('en', 'settings.language')).selectOption('fr');
  await createVault(page);

  // A customer to bill.
  await page.getByRole('button', { name: fr('contact.new') }).first().click();
  await page.getByLabel(fr('field.givenName'), { exact: true }).fill('Hélène');
  await page.getByLabel(fr('field.familyName'), { exact: true }).fill('Dupont');
  await page.getByRole('button', { name: '+ ' + fr('contact.add_company') }).click();
  await page.getByLabel(`${fr('field.company')} 1`).fill('Boulangerie Lemaire');
  await page.getByRole('button', { name: fr('common.save'), exact: true }).click();
  await expect(page.getByTestId('contact-name')).toHaveText('Hélène Dupont');

  await page.getByRole('tab', { name: fr('nav.sales') }).click();

  // The company profile, needed to issue.
  await page.getByRole('button', { name: fr('sales.tab.profile') }).click();
  await page.getByLabel(fr('sales.profile.legal_name')).fill('Atelier Carnet');
  await page.getByLabel(fr('field.street'), { exact: true }).fill('1 place Bellecour');
  await page.getByLabel(fr('field.postalCode'), { exact: true }).fill('69002');
  await page.getByLabel(fr('field.city'), { exact: true }).fill('Lyon');
  await page.getByLabel('SIREN', { exact: true }).fill('443 061 841');
  await page.getByLabel(fr('company.vat')).fill('FR64443061841');
  await page.getByRole('button', { name: fr('common.save'), exact: true }).click();
  await expect(page.getByText(fr('common.saved'), { exact: true })).toBeVisible();
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  await page.locator('.logo input[type=file]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
  await expect(page.getByRole('img', { name: fr('sales.profile.logo') })).toBeVisible();
  await shot(page, 'fr-59-company-profile');

  // A product in the catalogue.
  await page.getByRole('button', { name: fr('sales.tab.catalogue') }).click();
  await page.getByRole('button', { name: fr('sales.new_product') }).click();
  await page.getByLabel(fr('sales.label')).fill('Journée de conseil');
  await page.getByLabel(fr('sales.unit')).fill('jour');
  await page.getByLabel(fr('pdf.col.unit_price')).fill('650');
  await page.getByRole('button', { name: fr('common.save'), exact: true }).click();
  await expect(page.getByText('Journée de conseil')).toBeVisible();

  // The quote.
  await page.getByRole('button', { name: fr('sales.tab.quote') }).click();
  await page.getByRole('button', { name: fr('sales.new.quote') }).click();
  await page.getByRole('textbox', { name: fr('sales.customer'), exact: true }).fill('Lemaire');
  await page.getByRole('option', { name: /Boulangerie Lemaire/ }).click();
  await page.getByLabel(fr('sales.add_product')).selectOption({ index: 1 });
  await page.getByLabel(`${fr('pdf.col.quantity')} 1`).fill('2,5');
  await expect(page.getByTestId('editor-totals')).toContainText('1 950,00');
  await shot(page, 'fr-60-quote-editor');
  await page.getByRole('button', { name: fr('sales.save_draft') }).click();
  await page.getByRole('button', { name: fr('sales.send') }).click();
  await expect(page.getByTestId('doc-title')).toContainText(/Devis D-\d{4}-0001/);
  await page.getByRole('button', { name: fr('sales.accept') }).click();
  await page.getByRole('button', { name: fr('sales.convert') }).click();

  // The invoice: issue, pay part, credit the rest.
  await expect(page.getByTestId('doc-title')).toContainText(fr('pdf.invoice'));
  await page.getByRole('button', { name: fr('sales.issue'), exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: fr('sales.issue') }).click();
  await expect(page.getByTestId('doc-title')).toContainText(/Facture F-\d{4}-0001/);
  await expect(page.getByTestId('doc-gross')).toContainText('1 950,00');
  await page.getByLabel(fr('sales.amount')).fill('1000');
  await page.getByRole('button', { name: fr('sales.record_payment') }).click();
  await expect(page.getByText(fr('sales.payment_recorded'))).toBeVisible();
  await expect(page.getByTestId('doc-due')).toContainText('950,00');
  await expect(page.getByRole('button', { name: fr('common.edit'), exact: true })).toHaveCount(0);
  await shot(page, 'fr-61-invoice-issued');
  await page.getByRole('button', { name: 'PDF' }).click();
  await expect(page.getByText(/PDF enregistré dans/)).toBeVisible();
  await page.getByRole('button', { name: fr('sales.open_pdf') }).click();
  await expect(page.locator('p.error')).toHaveCount(0);
  const pdf = readFileSync(join(carnet.exportDir, (await page.getByTestId('doc-title').innerText()).split(' ').pop() + '.pdf'));
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

  await page.getByRole('button', { name: fr('sales.credit_note'), exact: true }).click();
  await expect(page.getByTestId('doc-title')).toContainText(fr('pdf.credit_note'));
  await page.getByRole('button', { name: fr('sales.issue'), exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: fr('sales.issue') }).click();
  await expect(page.getByTestId('doc-title')).toContainText(/Avoir A-\d{4}-0001/);
  await shot(page, 'fr-62-credit-note');
  // The invoice is cancelled by the credit note; a second one is refused.
  await page.getByRole('button', { name: fr('sales.tab.invoice') }).click();
  const row = page.getByRole('button', { name: /F-\d{4}-0001/ });
  await expect(row).toContainText(fr('sales.status.credited'));
  await row.click();
  await expect(page.getByRole('button', { name: fr('sales.credit_note'), exact: true })).toHaveCount(0);
  await shot(page, 'fr-63-invoices');

  // The documents show on the customer's page and lead back to them.
  await page.getByRole('tab', { name: fr('nav.contacts') }).click();
  await page.getByRole('button', { name: fr('contacts.view.companies') }).click();
  await page.getByRole('listbox', { name: fr('contacts.view.companies') }).getByRole('option').first().click();
  const docs = page.getByRole('region', { name: fr('sales.documents') });
  await expect(docs).toContainText(/Facture F-\d{4}-0001/);
  await expect(docs).toContainText(/Avoir A-\d{4}-0001/);
  await docs.getByRole('button', { name: /Facture F-/ }).click();
  await expect(page.getByTestId('doc-title')).toContainText(/Facture F-\d{4}-0001/);
});

test('sales with sample data: overview, lists, filters and an invoice (en)', async ({ page, carnet }) => {
  const en = (key: string, p?: Record<string, unknown>) => msg('en', key, p);
  await page.goto(carnet.url);
  await createVault(page);
  await page.getByRole('button', { name: en('contacts.try_demo') }).click();
  await expect(page.getByTestId('contact-count')).toHaveText(en('contacts.count_other', { count: 200 }));
  await page.getByRole('tab', { name: en('nav.sales') }).click();
  await expect(page.getByTestId('sales-due')).not.toHaveText('€0.00');
  await shot(page, 'en-64-quotes');
  await page.getByRole('button', { name: en('sales.tab.invoice') }).click();
  const list = page.getByRole('list', { name: en('sales.tab.invoice') });
  await expect(list.getByRole('listitem').first()).toBeVisible();
  await page.getByLabel(en('sales.status'), { exact: true }).selectOption('overdue');
  await expect(list.getByRole('listitem').first()).toContainText(en('sales.status.overdue'));
  await list.getByRole('button').first().click();
  await expect(page.getByTestId('doc-title')).toContainText(/Invoice F-\d{4}-\d{4}/);
  await shot(page, 'en-65-invoice-overdue');
  await page.getByRole('button', { name: en('sales.tab.catalogue') }).click();
  await expect(page.getByText('Journée de conseil')).toBeVisible();
  await shot(page, 'en-66-catalogue');
});
