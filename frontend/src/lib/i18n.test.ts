import { describe, expect, it } from 'vitest';
import { locale, t } from './i18n.svelte';
import en from '../locales/en.json';
import fr from '../locales/fr.json';

describe('t', () => {
  it('fills placeholders and picks plural forms by language', () => {
    locale.lang = 'en';
    expect(t('error.tries_left', { count: 1 })).toBe('1 try left before a pause.');
    expect(t('error.tries_left', { count: 0 })).toBe('0 tries left before a pause.');
    locale.lang = 'fr';
    expect(t('error.tries_left', { count: 0 })).toBe('Encore 0 essai avant une pause.');
    expect(t('error.tries_left', { count: 3 })).toBe('Encore 3 essais avant une pause.');
    expect(t('setup.folder', { path: '/home/h\u00e9l\u00e8ne' })).toBe('Le coffre sera cr\u00e9\u00e9 dans /home/h\u00e9l\u00e8ne');
  });

  it('groups counts inside sentences as the language does, and reads its plural rule from the locale file', () => {
    locale.lang = 'en';
    expect(t('privacy.audit.action.export.contacts', { count: 12345, format: 'CSV' })).toBe('Exported 12,345 contacts (CSV)');
    expect(en['format.intl']).toBe('en-GB');
    locale.lang = 'fr';
    expect(t('privacy.audit.action.export.contacts', { count: 12345, format: 'CSV' }).replace(/\u202f/g, ' ')).toBe('A exporté 12 345 contacts (CSV)');
    expect(fr['format.intl']).toBe('fr-FR');
    // Not other numbers: an id prints as it is.
    expect(t('privacy.audit.field_no', { id: 12345 })).toBe('champ n° 12345');
    locale.lang = 'en';
  });

  it('shows the key for a missing message and falls back to English for an unknown language', () => {
    locale.lang = 'de';
    expect(locale.lang).toBe('en');
    expect(t('no.such.key')).toBe('no.such.key');
  });
});

describe('translation files', () => {
  it('have the same keys in French and English', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  // Every literal key passed to t() in the sources must exist; dynamic keys
  // (`nav.${a}`) are checked by their prefix.
  it('contain every key the interface uses', () => {
    const keys = new Set(Object.keys(en));
    const sources = import.meta.glob(['../**/*.svelte', '../**/*.ts', '!../**/*.test.ts'], {
      query: '?raw',
      import: 'default',
      eager: true,
    }) as Record<string, string>;
    const files = Object.keys(sources);
    const missing: string[] = [];
    for (const f of files) {
      const src = sources[f];
      for (const m of src.matchAll(/\bt\(\s*'([A-Za-z0-9_.]+)'/g)) {
        const k = m[1];
        if (!keys.has(k) && !keys.has(k + '_one')) missing.push(`${f}: ${k}`);
      }
      for (const m of src.matchAll(/\bt\(\s*`([A-Za-z0-9_.]+)\$\{/g)) {
        if (![...keys].some((k) => k.startsWith(m[1]))) missing.push(`${f}: ${m[1]}…`);
      }
    }
    expect(missing).toEqual([]);
    expect(files.length).toBeGreaterThan(10);
  });
});
