// Dates, numbers and money as Carnet's chosen language writes them — the
// language picked in Carnet (lib/i18n.svelte.ts), not the computer's, so a
// French vault on an English system still reads "12 mars 2026" and "1 234,50 €".
// The one place the frontend formats for people; every function reads the
// language when called, so a template using it follows a language switch.
import { locale, t } from './i18n.svelte';

/** The BCP 47 tag Intl formats with for the interface language. */
export function intlTag(lang = locale.lang): string {
  return lang === 'fr' ? 'fr-FR' : 'en-GB';
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

/** Today as YYYY-MM-DD in local time (what date inputs hold). */
export function today(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
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
