// Words and day arithmetic of the privacy area (codes, purposes, Art. 12(3)
// deadlines), shared by the dashboard, the audit log and the contact page.
// Dates and numbers are written by lib/format.ts.
import { t } from '../i18n.svelte';
import { dateTime } from '../format';
import type { privacy } from '../../../wailsjs/go/models';

export const bases = ['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests'] as const;
export const retentionEvents = ['collection', 'last_inbound', 'end_of_relationship', 'invoice_date', 'withdrawal'] as const;
export const channels = ['email', 'phone', 'sms', 'post'] as const;
export const methods = ['form', 'paper', 'phone', 'email', 'in_person', 'import'] as const;
export const recipientKinds = ['internal', 'processor', 'third_party'] as const;

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
  if (c.ok) return t('privacy.chain.intact', { count: c.entries, at: dateTime(c.checkedAt) });
  return t(c.reason === 'link' ? 'privacy.chain.broken_link' : 'privacy.chain.broken_hash', { id: c.brokenAt, at: dateTime(c.checkedAt) });
}

/** The rights a person can exercise, in the order of the form. */
export const requestKinds = ['access', 'rectification', 'erasure', 'restriction', 'objection', 'portability', 'withdrawal'] as const;
export const requestChannels = ['letter', 'email', 'phone', 'in_person', 'form'] as const;
export const requestStatuses = ['open', 'done', 'refused', 'withdrawn'] as const;
export const idCheckResults = ['verified', 'failed', 'not_needed'] as const;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A day (YYYY-MM-DD) n calendar months later, the way Art. 12(3) counts
 * them (as backend/privacy does): the same day of the month, or the
 * month's last day when it has no such day (31 January → 28/29 February).
 */
export function addMonths(isoDay: string, n: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  if (!m) return '';
  const first = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1 + n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return `${first.getUTCFullYear()}-${pad(first.getUTCMonth() + 1)}-${pad(Math.min(Number(m[3]), last))}`;
}

/** A day (YYYY-MM-DD) n days later (earlier when n is negative). */
export function addDays(isoDay: string, n: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  if (!m) return '';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + n));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The deadline of a request received on a day: one month, plus 0 to 2 months of extension. */
export function requestDue(receivedOn: string, extensionMonths: number): string {
  return addMonths(receivedOn, 1 + (Number(extensionMonths) || 0));
}

/** Whole days from one day (YYYY-MM-DD) to another; negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / 86_400_000);
}

/** A deadline as a countdown: "12 days left", "due today", "3 days overdue"; late is red, soon (within 7 days) amber. */
export function countdown(daysLeft: number): { text: string; level: '' | 'soon' | 'late' } {
  if (daysLeft < 0) return { text: t('privacy.request.overdue', { count: -daysLeft }), level: 'late' };
  if (daysLeft === 0) return { text: t('privacy.request.due_today'), level: 'soon' };
  return { text: t('privacy.request.days_left', { count: daysLeft }), level: daysLeft <= 7 ? 'soon' : '' };
}
