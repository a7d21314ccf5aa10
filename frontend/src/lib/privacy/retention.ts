// Words and times of the retention sweep and the breach register: periods,
// group titles, the 72-hour countdown, and the datetime-local fields.
import { t } from '../i18n.svelte';
import type { breach, retention, rights } from '../../../wailsjs/go/models';

/** What a decision on the sweep did, for the view to show. */
export type Outcome =
  | { kind: 'repermission'; letters: retention.Letter[] }
  | { kind: 'erase'; erasures: rights.Erasure[] }
  | { kind: 'archive' | 'delete' | 'answer' | 'unarchive'; count: number };

/** The policy's periods in the order of the form, with their unit. */
export const policyFields = [
  { key: 'prospectMonths', unit: 'months' },
  { key: 'customerMonths', unit: 'months' },
  { key: 'archiveMonths', unit: 'months' },
  { key: 'messageMonths', unit: 'months' },
  { key: 'repermissionDays', unit: 'days' },
] as const;

export type PolicyKey = (typeof policyFields)[number]['key'];

/** The CNIL's recommendations, as backend/privacy/retention.DefaultPolicy. */
export const cnilPolicy: Record<PolicyKey, number> = {
  prospectMonths: 36,
  customerMonths: 36,
  archiveMonths: 60,
  messageMonths: 24,
  repermissionDays: 30,
};

/** A period in words: "3 years" when whole years, else "18 months". */
export function period(months: number): string {
  if (months > 0 && months % 12 === 0) return t('retention.period.years', { count: months / 12 });
  return t('retention.period.months', { count: months });
}

/** A sweep group's title, with its period where it has one. */
export function groupTitle(g: Pick<retention.Group, 'key' | 'months'>): string {
  return t(`retention.group.${g.key}`, { period: period(g.months) });
}

/** The groups worth showing: those with something due or coming due. */
export function activeGroups(sw: retention.Sweep | null): retention.Group[] {
  return (sw?.groups ?? []).filter((g) => (g.due?.length ?? 0) + (g.soon?.length ?? 0) > 0);
}

/**
 * Where a breach's 72-hour clock stands, short, for a list: "41 h left",
 * "late by 5 h". A clock past its deadline is late even at 0 hours.
 */
export function clockShort(hoursLeft: number, late: boolean): { text: string; level: '' | 'soon' | 'late' } {
  if (late || hoursLeft < 0) return { text: t('breach.list.late', { count: Math.max(1, -hoursLeft) }), level: 'late' };
  return { text: t('breach.list.left', { count: hoursLeft }), level: hoursLeft < 24 ? 'soon' : '' };
}

/** The banner's sentence for an open clock; deadline is already formatted. */
export function clockBanner(c: Pick<breach.Clock, 'reference' | 'hoursLeft' | 'late'>, deadline: string): string {
  if (c.late || c.hoursLeft < 0) return t('breach.banner.late', { reference: c.reference, count: Math.max(1, -c.hoursLeft), deadline });
  return t('breach.banner.running', { reference: c.reference, count: c.hoursLeft, deadline });
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment (RFC 3339) as the value of a datetime-local field, in local time; "" stays "". */
export function toLocalInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local field's value (local time) as RFC 3339 in UTC; "" stays "", nonsense is passed on for the server to refuse. */
export function fromLocalInput(value: string): string {
  if (!value) return '';
  const d = new Date(value);
  if (isNaN(d.getTime())) return value;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Now as a datetime-local value. */
export function nowLocalInput(): string {
  return toLocalInput(new Date().toISOString());
}
