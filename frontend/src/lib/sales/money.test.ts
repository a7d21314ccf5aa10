import { expect, it } from 'vitest';
import { parseCents, parseQuantity, parseRate, formatFixed } from './money';
import { locale } from '../i18n.svelte';

it('reads amounts as typed, without floating point', () => {
  expect(parseCents('1 234,56 €')).toBe(123456);
  expect(parseCents('1.005')).toBeNull(); // more than cents
  expect(parseCents('0,1')).toBe(10);
  expect(parseCents('12')).toBe(1200);
  expect(parseCents('abc')).toBeNull();
  expect(parseCents('-3')).toBeNull();
  expect(parseQuantity('1,5')).toBe(1500);
  expect(parseRate('5,5')).toBe(550);
});

it('writes them back for editing in the user language', () => {
  locale.lang = 'fr';
  expect(formatFixed(123450, 2)).toBe('1234,5');
  expect(formatFixed(1500, 3)).toBe('1,5');
  expect(formatFixed(5, 2)).toBe('0,05');
  locale.lang = 'en';
  expect(formatFixed(2000, 3)).toBe('2');
});
