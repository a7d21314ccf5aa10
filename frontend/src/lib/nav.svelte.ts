// Where the user is: the area of the frame, and within Contacts the view
// and the open record. The command palette and links move it.
import type { mail } from '../../wailsjs/go/models';

export type Area = 'contacts' | 'mail' | 'sales' | 'privacy' | 'settings';
export type ContactsView = 'contacts' | 'companies' | 'tasks' | 'duplicates' | 'trash';
/** What the mail area shows beside the folders: a folder, the outbox, or an account's settings. */
export type MailView = 'folder' | 'outbox' | 'account';
/** The tabs of the privacy area. */
export type PrivacyTab = 'dashboard' | 'requests' | 'purposes' | 'renewals' | 'retention' | 'breaches' | 'audit' | 'profile';

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
  /** The mail area: its view, the account and folder chosen, the message open. */
  mailView: 'folder' as MailView,
  mailAccount: 0,
  mailFolder: 0,
  mailMessage: 0,
  /** The account whose settings are shown (0: a new one). */
  mailEditAccount: 0,
  /** A message being written; the composer shows while it is set. */
  mailDraft: null as mail.Draft | null,
  /** The privacy area: its tab, and the contact the audit log is narrowed to. */
  privacyTab: 'dashboard' as PrivacyTab,
  auditContact: { id: 0, name: '' },
  /** The breach open in the breaches tab (0: the list). */
  breachId: 0,
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

/** Opens a message in the mail area; without its folder, the reader finds it. */
export function openMessage(id: number, folderId = 0, accountId = 0) {
  nav.area = 'mail';
  nav.mailView = 'folder';
  nav.mailMessage = id;
  if (folderId) nav.mailFolder = folderId;
  if (accountId) nav.mailAccount = accountId;
}

/** Opens the composer in the mail area with a prepared message. */
export function composeMail(draft: mail.Draft) {
  nav.area = 'mail';
  nav.mailDraft = draft;
}

/** Shows an account's settings (0: a new account) in the mail area. */
export function editMailAccount(id: number) {
  nav.area = 'mail';
  nav.mailDraft = null;
  nav.mailView = 'account';
  nav.mailEditAccount = id;
}

/** Shows the audit log narrowed to one contact (0: everyone). */
export function openAudit(contactId: number, name = '') {
  nav.area = 'privacy';
  nav.privacyTab = 'audit';
  nav.auditContact = { id: contactId, name };
}

/** Opens a breach of the register (0: the list). */
export function openBreach(id: number) {
  nav.area = 'privacy';
  nav.privacyTab = 'breaches';
  nav.breachId = id;
}

export function dataChanged() {
  nav.version++;
}
