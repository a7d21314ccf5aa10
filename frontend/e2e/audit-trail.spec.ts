// The audit trail a DPO relies on (GDPR Art. 5(2)): each of the actions
// issue 17 names — view a contact, export contacts, save a document's PDF,
// export the register, export a person's data, erase a person — done in the
// window leaves exactly one entry naming the action, the window as where it
// was done from, and the record. The same actions from the terminal are
// checked in app/cli; here the log is read back through the command line
// too, once the window has closed the vault, to show it is the same log.
import { readdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, createVault, passphrase } from './fixtures';
import { msg } from './i18n';

const en = (key: string, p?: Record<string, unknown>) => msg('en', key, p);

interface Entry {
  id: number;
  action: string;
  actor: string;
  subjectKind: string;
  subjectId: number;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The audit log's entries for one action, read through the window's own bound service. */
function entries(page: Page, action: string): Promise<Entry[]> {
  return page.evaluate(
    async (action) => ((await (window as any).go.app.Register.Audit({ action, limit: 1000 })) as Entry[]).filter((e) => e.action === action),
    action,
  );
}

function addContact(page: Page, given: string, family: string, email: string): Promise<number> {
  return page.evaluate(
    (c) =>
      (window as any).go.app.Contacts.Save({
        id: 0, givenName: c.given, familyName: c.family, jobTitle: '', website: '', birthday: '', language: '', notes: '', owner: '',
        relationships: ['customer'], emails: [{ address: c.email, label: '' }], phones: [], addresses: [], companies: [], tags: [],
        source: '', lastInboundAt: '', createdAt: '', updatedAt: '', deletedAt: '',
      }),
    { given, family, email },
  );
}

function addRequest(page: Page, kind: string, contactId: number, requester: string): Promise<unknown> {
  // The local day, as the app writes dates: the UTC one is tomorrow west of UTC in the evening.
  const now = new Date();
  const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return page.evaluate(
    (r) =>
      (window as any).go.app.Requests.Save({
        id: 0, kind: r.kind, contactId: r.contactId, requester: r.requester, channel: 'email', receivedOn: r.today, idCheckMethod: '',
        idCheckOn: '', idCheckResult: '', status: 'open', extensionMonths: 0, extensionReason: '', personToldOn: '', decision: '', reasons: '',
        documents: [], closedOn: '', dueOn: '', daysLeft: 0,
      }),
    { kind, contactId, requester, today },
  );
}

/** An issued invoice to the contact; returns its id. */
function addIssuedInvoice(page: Page, contactId: number): Promise<number> {
  return page.evaluate(async (contactId) => {
    const seller = (window as any).go.app.Seller;
    await seller.SaveProfile({ ...(await seller.Profile()), legalName: 'Atelier Carnet', street: '1 place Bellecour', postalCode: '69002',
      city: 'Lyon', country: 'FR', siren: '443061841', vatNumber: 'FR64443061841' });
    const s = (window as any).go.app.Sales;
    const id = await s.SaveDraft({ id: 0, kind: 'invoice', contactId, companyId: 0, b2c: true, operation: 'services', issueDate: '', saleDate: '',
      dueDate: '', validUntil: '', discountRate: 0, discountAmount: 0, notes: '', terms: '', delivery: '',
      lines: [{ productId: 0, description: 'Atelier de reliure', quantity: 1000, unit: '', unitPrice: 12000, discountRate: 0, discountAmount: 0, vatRate: 2000, exemption: '' }] });
    return (await s.Issue(id)).id as number;
  }, contactId);
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Runs act and checks it added exactly one entry for action, by the
 * window, about the record given. (Other screens may log views of their
 * own meanwhile: the count is taken around the action itself.)
 */
async function expectOne(page: Page, action: string, kind: string, id: number, act: () => Promise<void>) {
  const before = (await entries(page, action)).length;
  await act();
  await expect
    .poll(async () => (await entries(page, action)).slice(0, -before || undefined).map((e) => `${e.subjectKind}:${e.subjectId}:${e.actor.includes('(window')}`))
    .toEqual([`${kind}:${id}:true`]);
}

test('each audited action done in the window leaves exactly one entry naming it, the window and the record (en)', async ({ page, carnet }) => {
  await page.goto(carnet.url);
  await createVault(page);
  const helene = await addContact(page, 'Hélène', 'Dupont', 'helene@boulangerie-lemaire.fr');
  const marc = await addContact(page, 'Marc', 'Lemaire', 'marc@exemple.fr');
  const invoice = await addIssuedInvoice(page, helene);

  // Viewing a contact (the list is loaded again on coming back to it).
  await page.getByRole('tab', { name: en('nav.sales') }).click();
  await page.getByRole('tab', { name: en('nav.contacts') }).click();
  await expectOne(page, 'contact.view', 'contact', helene, async () => {
    await page.getByRole('listbox').getByText('Hélène Dupont').click();
    await expect(page.getByTestId('contact-name')).toHaveText('Hélène Dupont');
  });

  // Exporting the contacts.
  await expectOne(page, 'export.contacts', '', 0, async () => {
    await page.getByRole('button', { name: en('contacts.export') }).click();
    await expect(page.getByText(/carnet-contacts\.csv/)).toBeVisible();
  });

  // Saving an invoice's PDF.
  await page.getByRole('tab', { name: en('nav.sales') }).click();
  await page.getByRole('button', { name: en('sales.tab.invoice') }).click();
  await page.getByRole('list', { name: en('sales.tab.invoice') }).getByRole('button').first().click();
  await expect(page.getByTestId('doc-title')).toContainText(/Invoice F-\d{4}-0001/);
  await expectOne(page, 'export.document', 'document', invoice, async () => {
    await page.getByRole('button', { name: 'PDF' }).click();
    await expect.poll(() => readdirSync(carnet.exportDir).filter((f) => f.startsWith('F-'))).toHaveLength(1);
  });

  // Exporting the register of processing.
  await page.getByRole('tab', { name: en('nav.privacy') }).click();
  await expectOne(page, 'export.register', '', 0, async () => {
    await page.getByRole('button', { name: en('privacy.export.pdf'), exact: true }).click();
    await expect(page.getByTestId('register-saved')).toContainText(carnet.exportDir);
  });

  // Exporting a person's data for her access request.
  await addRequest(page, 'access', helene, 'Hélène Dupont');
  await page.getByRole('button', { name: en('privacy.tab.requests'), exact: true }).click();
  const requests = page.getByRole('list', { name: en('privacy.tab.requests') });
  await expectOne(page, 'export.subject_access', 'contact', helene, async () => {
    await requests.getByRole('listitem').filter({ hasText: 'Hélène Dupont' }).getByRole('button', { name: en('rights.request.export') }).click();
    await expect(requests.getByRole('status').filter({ hasText: carnet.exportDir })).toBeVisible({ timeout: 30_000 });
  });

  // Erasing a person for his erasure request.
  await addRequest(page, 'erasure', marc, 'Marc Lemaire');
  await page.getByRole('button', { name: en('privacy.tab.audit'), exact: true }).click();
  await page.getByRole('button', { name: en('privacy.tab.requests'), exact: true }).click();
  await requests.getByRole('listitem').filter({ hasText: 'Marc Lemaire' }).getByRole('button', { name: en('rights.request.erase') }).click();
  await expect(page.getByTestId('erasure-title')).toHaveText(en('rights.erasure.title', { name: 'Marc Lemaire' }), { timeout: 30_000 });
  await expectOne(page, 'contact.erase', 'contact', marc, async () => {
    await page.getByRole('button', { name: en('rights.erasure.do') }).click();
    const dialog = page.getByRole('dialog', { name: en('rights.erasure.confirm_title', { name: 'Marc Lemaire' }) });
    await dialog.getByLabel(en('rights.erasure.confirm_label')).fill('Marc Lemaire');
    await dialog.getByRole('button', { name: en('rights.erasure.do') }).click();
    await expect(page.getByTestId('certificate-number')).toHaveText(/^E-\d{4}-\d{4}$/, { timeout: 30_000 });
  });
  const seen = new Map<string, number[]>();
  for (const action of ['contact.view', 'export.contacts', 'export.document', 'export.register', 'export.subject_access', 'contact.erase']) {
    seen.set(action, (await entries(page, action)).map((e) => e.id));
  }

  // The same log, read from the terminal once the window has let the vault go.
  await carnet.stop();
  const out = carnet.cli(['--json', 'privacy', 'audit'], { CARNET_PASSPHRASE: passphrase });
  expect(out.status, out.stderr).toBe(0);
  const log = JSON.parse(out.stdout) as Entry[];
  for (const [action, ids] of seen) {
    expect(log.filter((e) => e.action === action).map((e) => e.id), action).toEqual(ids);
  }
});
