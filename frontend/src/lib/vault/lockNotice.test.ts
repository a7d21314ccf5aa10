import { describe, expect, it } from 'vitest';
import { locale } from '../i18n.svelte';
import { lockNotice } from './lockNotice';

describe('lockNotice', () => {
  it('tells why the vault locked itself, in the chosen language', () => {
    locale.lang = 'en';
    expect(lockNotice({ reason: 'idle', minutes: 5 })).toBe('Carnet locked itself after 5 minutes without activity.');
    expect(lockNotice({ reason: 'suspend', minutes: 0 })).toBe('Carnet locked itself when the computer went to sleep.');
    expect(lockNotice({ reason: 'screen_lock', minutes: 0 })).toBe('Carnet locked itself when the screen was locked.');
    locale.lang = 'fr';
    expect(lockNotice({ reason: 'suspend', minutes: 0 })).toBe('Carnet s’est verrouillé à la mise en veille de l’ordinateur.');
    expect(lockNotice({ reason: 'screen_lock', minutes: 0 })).toBe('Carnet s’est verrouillé en même temps que l’écran.');
  });

  it('says nothing for a reason it does not know or no event', () => {
    expect(lockNotice({ reason: 'other', minutes: 0 })).toBe('');
    expect(lockNotice(null)).toBe('');
  });
});
