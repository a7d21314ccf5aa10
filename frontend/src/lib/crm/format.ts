import { locale, t } from '../i18n.svelte';

/** A date or RFC 3339 moment as the user's locale writes a day. */
export function day(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? iso + 'T12:00:00' : iso);
  if (isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale.lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium' }).format(d);
}

/** Today as YYYY-MM-DD in local time. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** How a contact's source reads: "manual" is the key for typed-in contacts. */
export function sourceLabel(s: string): string {
  return s === 'manual' ? t('source.manual') : s;
}
