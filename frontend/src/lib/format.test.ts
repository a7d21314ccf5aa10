import { afterEach, describe, expect, it } from 'vitest';
import { locale } from './i18n.svelte';
import { date, dateTime, decimal, fileSize, localDay, money, month, parseNumber, percent, relative, separators, time, today, when } from './format';

// Intl separates thousands and units with narrow or plain no-break spaces;
// the tests read them as plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

const noon = '2026-03-12T14:05:09';
const now = new Date('2026-03-12T18:00:00');

afterEach(() => {
  locale.lang = 'en';
});

describe('format in French', () => {
  it('writes days, moments and times as France does', () => {
    locale.lang = 'fr';
    expect(date('2026-03-12')).toBe('12 mars 2026');
    expect(date(noon)).toBe('12 mars 2026');
    expect(dateTime(noon)).toBe('12 mars 2026, 14:05');
    expect(dateTime(noon, true)).toBe('12 mars 2026, 14:05:09');
    expect(time(noon)).toBe('14:05');
    expect(when(noon, now)).toBe('14:05');
    expect(when('2026-03-11T09:00:00', now)).toBe('11 mars 2026');
  });

  it('writes numbers, money and percentages with a comma and spaces', () => {
    locale.lang = 'fr';
    expect(plain(decimal(1234.5, 1))).toBe('1 234,5');
    expect(plain(decimal(1234.56))).toBe('1 235');
    expect(plain(money(123450))).toBe('1 234,50 €');
    expect(plain(money(-500))).toBe('-5,00 €');
    expect(plain(percent(0.055))).toBe('5,5 %');
    expect(plain(fileSize(2_345_678))).toBe('2,3 Mo');
  });

  it('says how long ago in words', () => {
    locale.lang = 'fr';
    expect(relative('2026-03-09T18:00:00', now)).toBe('il y a 3 jours');
    expect(relative('2026-03-11T17:00:00', now)).toBe('hier');
    expect(relative('2026-03-12T20:30:00', now)).toBe('dans 2 heures');
    expect(relative('2026-03-12T17:59:40', now)).toBe('maintenant');
  });
});

describe('format in English', () => {
  it('writes days, moments and times the British way', () => {
    locale.lang = 'en';
    expect(date('2026-03-12')).toBe('12 Mar 2026');
    expect(dateTime(noon)).toBe('12 Mar 2026, 14:05');
    expect(when(noon, now)).toBe('14:05');
    expect(when('2026-03-11T09:00:00', now)).toBe('11 Mar 2026');
  });

  it('writes numbers, money and percentages with a point and commas', () => {
    locale.lang = 'en';
    expect(decimal(1234.5, 1)).toBe('1,234.5');
    expect(money(123450)).toBe('€1,234.50');
    expect(percent(0.055)).toBe('5.5%');
    expect(percent(0.2)).toBe('20%');
    expect(fileSize(820)).toBe('820 bytes');
    expect(fileSize(14_200)).toBe('14 KB');
  });

  it('says how long ago in words', () => {
    locale.lang = 'en';
    expect(relative('2026-03-09T18:00:00', now)).toBe('3 days ago');
    expect(relative('2026-03-11T17:00:00', now)).toBe('yesterday');
    expect(relative('2025-01-01T12:00:00', now)).toBe('last year');
  });
});

describe('format whatever the language', () => {
  it('follows Carnet’s language, not the computer’s, when it switches', () => {
    locale.lang = 'fr';
    const fr = date('2026-03-12');
    locale.lang = 'en';
    expect(date('2026-03-12')).not.toBe(fr);
  });

  it('keeps a bare day on its day in any time zone and shows what it cannot read as is', () => {
    expect(date('2026-01-01')).toBe('1 Jan 2026');
    expect(date('')).toBe('');
    expect(date('soon')).toBe('soon');
    expect(dateTime('soon')).toBe('soon');
    expect(when('')).toBe('');
    expect(today(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

describe('days, months and numbers as typed', () => {
  it('gives the local day of a moment, not its UTC day', () => {
    const late = new Date(2026, 2, 12, 23, 30); // 12 March, 23:30 local
    expect(localDay(late.toISOString())).toBe('2026-03-12');
    expect(localDay('2026-03-12')).toBe('2026-03-12');
    expect(localDay('')).toBe('');
  });

  it('names a month in the interface language', () => {
    locale.lang = 'fr';
    expect(month('2026-03')).toBe('mars 2026');
    locale.lang = 'en';
    expect(month('2026-03')).toBe('Mar 2026');
  });

  it('reads numbers with the separators Intl writes for the language', () => {
    locale.lang = 'fr';
    expect(separators().decimal).toBe(',');
    expect(parseNumber('1 234,5', 2)).toBe(123450);
    expect(parseNumber(plain(decimal(1234.5, 1)), 1)).toBe(12345);
    locale.lang = 'en';
    expect(separators()).toEqual({ decimal: '.', group: ',' });
    expect(parseNumber(decimal(1234.5, 1), 1)).toBe(12345);
    expect(parseNumber('1,234.50', 2)).toBe(123450);
    expect(parseNumber('1,2', 2)).toBeNull();
  });
});
