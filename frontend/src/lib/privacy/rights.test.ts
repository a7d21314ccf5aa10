import { describe, expect, it } from 'vitest';
import { locale } from '../i18n.svelte';
import { certificateOf, exportedSentence } from './rights';
import { addDays } from './format';
import { core } from '../../../wailsjs/go/models';

describe('rights helpers', () => {
  it('finds the erasure behind the certificate number a request was closed with', () => {
    expect(certificateOf('E-2026-0007')).toEqual({ number: 'E-2026-0007', erasureId: 7 });
    expect(certificateOf(' E-2027-12345 ')).toEqual({ number: 'E-2027-12345', erasureId: 12345 });
    expect(certificateOf('Erased on 3 March, see E-2026-0007')).toBeNull();
    expect(certificateOf('')).toBeNull();
  });

  it('counts days across months and years, as the restriction end date needs', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('not a day', 1)).toBe('');
  });

  it('says where the access bundle went and what it holds, with no placeholder left', () => {
    const x = core.SubjectExport.createFrom({ path: '/tmp/acces-donnees-3-2026-11-28.zip', files: 9, messages: 3, documents: 1 });
    for (const lang of ['en', 'fr']) {
      locale.lang = lang;
      const s = exportedSentence(x);
      expect(s).toContain('/tmp/acces-donnees-3-2026-11-28.zip');
      expect(s).toContain('9');
      expect(s).not.toMatch(/[{}]/);
    }
  });
});
