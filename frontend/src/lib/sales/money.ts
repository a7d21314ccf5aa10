import { locale } from '../i18n.svelte';

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
