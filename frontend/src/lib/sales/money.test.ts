import { afterEach, expect, it } from 'vitest';
import { parseCents, parseQuantity, parseRate, formatFixed } from './money';
import { locale } from '../i18n.svelte';

afterEach(() => {
  locale.lang = 'en';
});

it('reads French amounts as typed, without floating point', () => {
  locale.lang = 'fr';
  expect(parseCents('1 234,56 €')).toBe(123456);
  expect(parseCents('1\u202f234,56\u00a0€')).toBe(123456);
  expect(parseCents('12.30')).toBe(1230); // the keypad's point
  expect(parseCents('1,005')).toBeNull(); // more than cents
  expect(parseCents('0,1')).toBe(10);
  expect(parseCents('12')).toBe(1200);
  expect(parseCents('abc')).toBeNull();
  expect(parseCents('-3')).toBeNull();
  expect(parseCents('1,2,3')).toBeNull();
  expect(parseQuantity('1,5')).toBe(1500);
  expect(parseRate('5,5 %')).toBe(550);
});

it('reads English amounts of a thousand or more, as the placeholder writes them', () => {
  locale.lang = 'en';
  expect(parseCents('€1,234.50')).toBe(123450);
  expect(parseCents('1,234.50')).toBe(123450);
  expect(parseCents('1,234,567')).toBe(123456700);
  expect(parseCents('1234.5')).toBe(123450);
  expect(parseCents('1.005')).toBeNull(); // more than cents
  expect(parseCents('12,5')).toBeNull(); // not a grouping: refused rather than read as 125
  expect(parseCents('1,23,456')).toBeNull();
  expect(parseCents('')).toBeNull();
  expect(parseQuantity('2.5')).toBe(2500);
  expect(parseRate('5.5%')).toBe(550);
});

it('writes them back for editing in the user language', () => {
  locale.lang = 'fr';
  expect(formatFixed(123450, 2)).toBe('1234,5');
  expect(formatFixed(1500, 3)).toBe('1,5');
  expect(formatFixed(5, 2)).toBe('0,05');
  expect(parseCents(formatFixed(123450, 2))).toBe(123450);
  locale.lang = 'en';
  expect(formatFixed(2000, 3)).toBe('2');
  expect(formatFixed(123450, 2)).toBe('1234.5');
  expect(parseCents(formatFixed(123450, 2))).toBe(123450);
});
