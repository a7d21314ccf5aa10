import { t } from '../i18n.svelte';

/** How a contact's source reads: "manual" is the key for typed-in contacts. */
export function sourceLabel(s: string): string {
  return s === 'manual' ? t('source.manual') : s;
}
