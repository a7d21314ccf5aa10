import { t } from '../i18n.svelte';

/** The vault:locked event: why the vault locked itself (LockedEvent in app/vault.go). */
export interface LockedEvent {
  reason: string; // "idle", "suspend" or "screen_lock"
  minutes: number; // the idle time, for "idle"
}

/** The sentence the unlock screen shows after the vault locked itself; '' for none. */
export function lockNotice(e: LockedEvent | null | undefined): string {
  switch (e?.reason) {
    case 'idle':
      return e.minutes ? t('unlock.auto_locked', { count: e.minutes }) : '';
    case 'suspend':
      return t('unlock.locked_suspend');
    case 'screen_lock':
      return t('unlock.locked_screen_lock');
  }
  return '';
}
