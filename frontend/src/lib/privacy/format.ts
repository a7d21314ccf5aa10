// Words and dates of the privacy area, shared by the dashboard, the audit
// log and the contact page.
import { locale, t } from '../i18n.svelte';
import type { privacy } from '../../../wailsjs/go/models';

export const bases = ['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests'] as const;
export const retentionEvents = ['collection', 'last_inbound', 'end_of_relationship', 'invoice_date', 'withdrawal'] as const;
export const channels = ['email', 'phone', 'sms', 'post'] as const;
export const methods = ['form', 'paper', 'phone', 'email', 'in_person', 'import'] as const;
export const recipientKinds = ['internal', 'processor', 'third_party'] as const;

function intlLocale(): string {
  return locale.lang === 'fr' ? 'fr-FR' : 'en-GB';
}

/** A moment (RFC 3339) as a date and a time in the user's locale. */
export function moment(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** A moment (RFC 3339) or a date as a day in the user's locale. */
export function day(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? iso + 'T12:00:00' : iso);
  if (isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium' }).format(d);
}

/** Today as YYYY-MM-DD in local time. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The name of a purpose from its key; a purpose deleted since shows its key. */
export function purposeName(purposes: privacy.Purpose[], key: string): string {
  return purposes.find((p) => p.key === key)?.name ?? key;
}

/** Consent-based purposes first (those the ledger is about), then the others, each in catalogue order. */
export function consentFirst(purposes: privacy.Purpose[]): privacy.Purpose[] {
  return [...purposes.filter((p) => p.lawfulBasis === 'consent'), ...purposes.filter((p) => p.lawfulBasis !== 'consent')];
}

/** A translated word for a code from a fixed list; an unknown code shows as is. */
export function word(prefix: string, code: string): string {
  if (!code) return '';
  const key = `${prefix}.${code}`;
  const v = t(key);
  return v === key ? code : v;
}

/** How long a retention period is: "3 years from the last contact", "18 months from collection". */
export function retention(p: privacy.Purpose): string {
  if (!p.retentionMonths) return t('privacy.purpose.retention_none');
  const event = word('privacy.retention_from', p.retentionFrom);
  if (p.retentionMonths % 12 === 0) return t('privacy.purpose.retention_years', { count: p.retentionMonths / 12, event });
  return t('privacy.purpose.retention_value', { count: p.retentionMonths, event });
}

/** A chain's state as one sentence, for the dashboard and the tests. */
export function chainSentence(c: privacy.ChainStatus): string {
  if (c.ok) return t('privacy.chain.intact', { count: c.entries, at: moment(c.checkedAt) });
  return t(c.reason === 'link' ? 'privacy.chain.broken_link' : 'privacy.chain.broken_hash', { id: c.brokenAt, at: moment(c.checkedAt) });
}
