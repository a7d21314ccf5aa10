// Where the user is: the area of the frame, and within Contacts the view
// and the open record. The command palette and links move it.
export type Area = 'contacts' | 'mail' | 'sales' | 'privacy' | 'settings';
export type ContactsView = 'contacts' | 'companies' | 'tasks' | 'duplicates' | 'trash';

export const nav = $state({
  area: 'contacts' as Area,
  view: 'contacts' as ContactsView,
  contactId: 0,
  companyId: 0,
  /** Bumped when data changed elsewhere (import, merge) so lists reload. */
  version: 0,
  /** The company the contact list is narrowed to, if any. */
  companyFilter: { id: 0, name: '' },
  /** The sales tab and the document open in it. */
  salesTab: 'quote' as 'quote' | 'invoice' | 'credit_note' | 'catalogue' | 'profile',
  salesDoc: 0,
});

/** Opens a quote, invoice or credit note in the sales area. */
export function openDocument(id: number, kind: string) {
  nav.area = 'sales';
  nav.salesTab = kind as typeof nav.salesTab;
  nav.salesDoc = id;
}

/** Shows the people of a company in the contact list. */
export function listPeopleOf(id: number, name: string) {
  nav.companyFilter = { id, name };
  nav.area = 'contacts';
  nav.view = 'contacts';
  nav.contactId = 0;
}

export function openContact(id: number) {
  nav.area = 'contacts';
  nav.view = 'contacts';
  nav.companyId = 0;
  nav.contactId = id;
}

export function openCompany(id: number) {
  nav.area = 'contacts';
  nav.view = 'companies';
  nav.contactId = 0;
  nav.companyId = id;
}

export function dataChanged() {
  nav.version++;
}
