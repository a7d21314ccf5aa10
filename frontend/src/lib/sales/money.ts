import { locale } from '../i18n.svelte';

const tag = () => (locale.lang === 'fr' ? 'fr-FR' : 'en-GB');

/** Cents as the user's locale writes euros. */
export function euros(cents: number): string {
  return new Intl.NumberFormat(tag(), { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/** Basis points as a percentage: 550 → "5,5 %". */
export function percent(bp: number): string {
  return new Intl.NumberFormat(tag(), { style: 'percent', maximumFractionDigits: 2 }).format(bp / 10000);
}

/** Thousandths as a quantity: 1500 → "1,5". */
export function quantity(th: number): string {
  return new Intl.NumberFormat(tag(), { maximumFractionDigits: 3 }).format(th / 1000);
}

/**
 * Reads what the user typed ("1 234,5", "12.30 €") as an integer number of
 * 10^-decimals units, without floating point; null when it is not a number.
 */
export function parseFixed(s: string, decimals: number): number | null {
  const clean = s.replace(/[\s\u00a0\u202f€%]/g, '').replace(',', '.');
  const m = /^(\d*)(?:\.(\d*))?$/.exec(clean);
  if (!m || (m[1] === '' && !m[2]) || (m[2] ?? '').length > decimals) return null;
  const frac = (m[2] ?? '').padEnd(decimals, '0');
  return Number((m[1] || '0') + frac);
}

export const parseCents = (s: string) => parseFixed(s, 2);
export const parseQuantity = (s: string) => parseFixed(s, 3);
/** "5,5" % → 550 basis points. */
export const parseRate = (s: string) => parseFixed(s, 2);

/** Writes an integer number of 10^-decimals units for an input field. */
export function formatFixed(n: number, decimals: number): string {
  const s = String(Math.abs(n)).padStart(decimals + 1, '0');
  const whole = s.slice(0, s.length - decimals);
  const frac = s.slice(s.length - decimals).replace(/0+$/, '');
  const sep = locale.lang === 'fr' ? ',' : '.';
  return (n < 0 ? '-' : '') + whole + (frac ? sep + frac : '');
}
