import { describe, expect, it } from 'vitest';
import { locale } from '../i18n.svelte';
import { activeGroups, clockBanner, clockShort, fromLocalInput, groupTitle, period, toLocalInput } from './retention';
import { retention } from '../../../wailsjs/go/models';

describe('retention and breach helpers', () => {
  it('writes whole years as years and the rest as months, in both languages', () => {
    locale.lang = 'en';
    expect(period(36)).toBe('3 years');
    expect(period(12)).toBe('1 year');
    expect(period(18)).toBe('18 months');
    expect(period(1)).toBe('1 month');
    locale.lang = 'fr';
    expect(period(60)).toBe('5 ans');
    expect(period(1)).toBe('1 mois');
  });

  it('titles a group with its period and leaves no placeholder', () => {
    for (const lang of ['en', 'fr']) {
      locale.lang = lang;
      for (const key of ['prospects', 'customers', 'repermission', 'archives', 'messages', 'invoices']) {
        expect(groupTitle({ key, months: 36 })).not.toMatch(/[{}]|^retention\./);
      }
    }
    locale.lang = 'en';
    expect(groupTitle({ key: 'prospects', months: 36 })).toBe('Prospects without contact for 3 years');
  });

  it('counts down the 72 hours, then counts how late, never "late by 0 h"', () => {
    locale.lang = 'en';
    expect(clockShort(41, false)).toEqual({ text: '41 h left', level: '' });
    expect(clockShort(5, false)).toEqual({ text: '5 h left', level: 'soon' });
    expect(clockShort(-5, true)).toEqual({ text: 'late by 5 h', level: 'late' });
    expect(clockShort(0, true).text).toBe('late by 1 h');
    expect(clockBanner({ reference: 'V-2026-0001', hoursLeft: 41, late: false }, '3 Mar 2026, 14:05')).toBe(
      'Data breach V-2026-0001: notify the CNIL within 41 h (deadline 3 Mar 2026, 14:05)',
    );
    locale.lang = 'fr';
    expect(clockShort(-2, true).text).toBe('en retard de 2 h');
    expect(clockBanner({ reference: 'V-2026-0001', hoursLeft: -3, late: true }, 'x')).toContain('V-2026-0001');
  });

  it('keeps the moment of a datetime-local field across the round trip', () => {
    const iso = '2026-03-03T14:05:00Z';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
    expect(toLocalInput('')).toBe('');
    expect(fromLocalInput('')).toBe('');
    expect(toLocalInput(iso)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
  });

  it('shows only the groups with something due or coming due', () => {
    const sw = retention.Sweep.createFrom({
      asOf: '', policy: {}, dueNow: 1, dueSoon: 0,
      groups: [
        { key: 'prospects', months: 36, actions: [], due: [], soon: [] },
        { key: 'messages', months: 24, actions: ['delete'], due: [{ kind: 'message', id: 1 }], soon: [] },
      ],
    });
    expect(activeGroups(sw).map((g) => g.key)).toEqual(['messages']);
    expect(activeGroups(null)).toEqual([]);
  });
});
