import { describe as group, expect, it } from 'vitest';
import { describe, toUserError } from './errors';
import { locale } from './i18n.svelte';

group('errors from bound methods', () => {
  it('turns the JSON of app.UserError into a translated sentence with its follow-up', () => {
    locale.lang = 'en';
    const rejected = JSON.stringify({ key: 'error.wrong_passphrase', then: { key: 'error.tries_left', params: { count: 2 } } });
    expect(describe(rejected)).toBe('Wrong passphrase. 2 tries left before a pause.');
    locale.lang = 'fr';
    expect(describe(rejected)).toBe('Phrase de passe incorrecte. Encore 2 essais avant une pause.');
  });

  it('shows a recovered panic as the internal error: nothing changed, a bug to report with its reference', () => {
    const rejected = JSON.stringify({ key: 'error.internal', params: { ref: '0badc0de' } });
    locale.lang = 'en';
    expect(describe(rejected)).toBe('Carnet hit an internal error and stopped this action; nothing was changed. This is a bug: please report it, quoting reference 0badc0de.');
    locale.lang = 'fr';
    expect(describe(rejected)).toContain('rien n’a été modifié');
    expect(describe(rejected)).toContain('0badc0de');
  });

  it('shows anything else as an unexpected error with its text', () => {
    locale.lang = 'en';
    expect(toUserError(new Error('boom'))).toEqual({ key: 'error.unexpected', params: { detail: 'boom' } });
    expect(describe('not json')).toBe('Something went wrong: not json');
  });
});
