// Dates, numbers and money as Carnet's chosen language writes them — the
// language picked in Carnet (lib/i18n.svelte.ts), not the computer's, so a
// French vault on an English system still reads "12 mars 2026" and "1 234,50 €".
// The one place the frontend formats for people; every function reads the
// language when called, so a template using it follows a language switch.
import { locale, t, intlTagOf } from './i18n.svelte';

/** The BCP 47 tag Intl formats with for the interface language (format.intl in its locale file). */
export function intlTag(lang = locale.lang): string {
  return intlTagOf(lang);
}

// Formatters are cheap to use and dear to build: keep one per tag and options.
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(kind: string, opts: object, make: (tag: string) => T): T {
  const tag = intlTag();
  const key = `${kind}|${tag}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = make(tag)));
  return f as T;
}

const dateFormat = (o: Intl.DateTimeFormatOptions) => cached('d', o, (tag) => new Intl.DateTimeFormat(tag, o));
const numberFormat = (o: Intl.NumberFormatOptions) => cached('n', o, (tag) => new Intl.NumberFormat(tag, o));

/**
 * A date (YYYY-MM-DD) or a moment (RFC 3339) as a Date; null when empty or
 * unreadable. A bare day is read at local noon so that no time zone moves it
 * to the day before or after.
 */
function parse(iso: string): Date | null {
  if (!iso) return null;
  if (/^\d{4}-\d{2}$/.test(iso)) iso += '-01';
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso + 'T12:00:00' : iso);
  return isNaN(d.getTime()) ? null : d;
}

/** A day: "12 mars 2026", "12 Mar 2026". An unreadable value shows as is. */
export function date(iso: string): string {
  if (!iso) return '';
  const d = parse(iso);
  return d ? dateFormat({ dateStyle: 'medium' }).format(d) : iso;
}

/** A moment with its day and time: "12 mars 2026, 14:05". An unreadable value shows as is. */
export function dateTime(iso: string, seconds = false): string {
  if (!iso) return '';
  const d = parse(iso);
  return d ? dateFormat({ dateStyle: 'medium', timeStyle: seconds ? 'medium' : 'short' }).format(d) : iso;
}

/** The time of a moment: "14:05". */
export function time(iso: string): string {
  const d = parse(iso);
  return d ? dateFormat({ timeStyle: 'short' }).format(d) : '';
}

/** A moment in a list: its time when it is today, else its day. */
export function when(iso: string, now = new Date()): string {
  const d = parse(iso);
  if (!d) return '';
  return d.toDateString() === now.toDateString() ? time(iso) : date(iso);
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** How far a moment is from now, in the largest whole unit: "il y a 3 jours", "in 2 hours", "now". */
export function relative(iso: string, now = new Date()): string {
  const d = parse(iso);
  if (!d) return '';
  const secs = (d.getTime() - now.getTime()) / 1000;
  const f = cached('r', {}, (tag) => new Intl.RelativeTimeFormat(tag, { numeric: 'auto' }));
  for (const [unit, size] of units) {
    if (Math.abs(secs) >= size) return f.format(Math.trunc(secs / size), unit);
  }
  return f.format(0, 'second');
}

/** A month (YYYY-MM, or any day or moment in it): "mars 2026", "Mar 2026". */
export function month(iso: string): string {
  const d = parse(iso);
  return d ? dateFormat({ month: 'short', year: 'numeric' }).format(d) : iso;
}

/** Today as YYYY-MM-DD in local time (what date inputs hold). */
export function today(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/**
 * The local day (YYYY-MM-DD, for a date input) of a moment (RFC 3339): the
 * day the page shows, not the UTC day that slicing the string would give.
 * A bare day stays as it is; '' when empty or unreadable.
 */
export function localDay(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const d = parse(iso);
  return d ? today(d) : '';
}

/** The decimal and grouping separators of the interface language, as Intl writes them. */
export function separators(): { decimal: string; group: string } {
  const parts = numberFormat({}).formatToParts(1234.5);
  return {
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    group: parts.find((p) => p.type === 'group')?.value ?? '',
  };
}

/**
 * Reads a number typed in the interface language ("1 234,5" in French,
 * "1,234.5" in English; a currency or percent sign is ignored) as an integer
 * count of 10^-decimals units, without floating point. Null when it is not a
 * non-negative number, has more decimals than that, or groups digits wrongly
 * ("12,5" in English is not twelve and a half).
 */
export function parseNumber(s: string, decimals: number): number | null {
  const { decimal: dec, group } = separators();
  let clean = s.replace(/[\s\u00a0\u202f€$£%]/g, '');
  // Where the point groups nothing (French), it is the keypad's decimal point.
  if (dec !== '.' && group !== '.') clean = clean.replace(/\./g, dec);
  const parts = clean.split(dec);
  if (parts.length > 2) return null;
  let whole = parts[0];
  const frac = parts[1] ?? '';
  if (group && !/^[\s\u00a0\u202f]$/.test(group) && whole.includes(group)) {
    const groups = whole.split(group);
    if (!/^\d{1,3}$/.test(groups[0]) || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) return null;
    whole = groups.join('');
  }
  if (!/^\d*$/.test(whole) || !/^\d*$/.test(frac) || (whole === '' && frac === '') || frac.length > decimals) return null;
  return Number((whole || '0') + frac.padEnd(decimals, '0'));
}

/** Writes an integer count of 10^-decimals units for an input field: "1234,5", "1234.5" (no grouping, trailing zeros dropped). */
export function formatFixed(n: number, decimals: number): string {
  const s = String(Math.abs(n)).padStart(decimals + 1, '0');
  const whole = s.slice(0, s.length - decimals);
  const frac = s.slice(s.length - decimals).replace(/0+$/, '');
  return (n < 0 ? '-' : '') + whole + (frac ? separators().decimal + frac : '');
}

/** A number with at most `digits` decimals: "1 234,5", "1,234.5". */
export function decimal(n: number, digits = 0): string {
  return numberFormat({ maximumFractionDigits: digits }).format(n);
}

/** An amount in cents (how Carnet stores money) in its currency: "1 234,50 €", "€1,234.50". */
export function money(cents: number, currency = 'EUR'): string {
  return numberFormat({ style: 'currency', currency }).format(cents / 100);
}

/** A fraction as a percentage: 0.055 → "5,5 %", "5.5%". */
export function percent(fraction: number, digits = 2): string {
  return numberFormat({ style: 'percent', maximumFractionDigits: digits }).format(fraction);
}

/** A file size as people read it: "820 octets", "14 KB", "2.3 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1000) return t('mail.size.bytes', { n: decimal(bytes) });
  if (bytes < 1_000_000) return t('mail.size.kb', { n: decimal(bytes / 1000) });
  return t('mail.size.mb', { n: decimal(bytes / 1_000_000, 1) });
}
