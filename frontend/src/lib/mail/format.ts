// Display helpers of the mail area; dates and sizes are written by lib/format.ts.
import { t } from '../i18n.svelte';

/** One person as a line shows them: the name, else the address. */
export function person(a: { name: string; address: string }): string {
  return a.name || a.address;
}

/** Splits what was typed in an address field ("a@b.fr, Name <c@d.fr>; e@f.fr"). */
export function splitAddresses(s: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quoted = !quoted;
    else if (c === '<' && !quoted) depth++;
    else if (c === '>' && !quoted && depth > 0) depth--;
    else if ((c === ',' || c === ';') && !quoted && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.map((p) => p.trim()).filter(Boolean);
}

/** A folder's name in the user's language for the inbox and sent mail. */
export function folderName(f: { role: string; name: string }): string {
  if (f.role === 'inbox') return t('mail.folder.inbox');
  if (f.role === 'sent') return t('mail.folder.sent');
  return f.name;
}

/** The recipients a list shows for sent mail (the first few, as one line).
 * Summary's one-line "to" clashes with Message's address list of the same
 * name in the generated types; it is read under either name. */
export function toLine(s: object): string {
  const v = s as { toNames?: unknown; to?: unknown };
  if (typeof v.toNames === 'string') return v.toNames;
  return typeof v.to === 'string' ? v.to : '';
}
