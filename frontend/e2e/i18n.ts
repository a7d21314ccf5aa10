// The tests read expected texts from the same translation files as the app.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const load = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(join(here, '..', 'src', 'locales', `${lang}.json`), 'utf8'));

const bundles: Record<string, Record<string, string>> = { en: load('en'), fr: load('fr') };

/** The message for key in lang, with {placeholders} filled. */
export function msg(lang: string, key: string, params: Record<string, unknown> = {}): string {
  const m = bundles[lang][key];
  if (m === undefined) throw new Error(`no ${key} in ${lang}.json`);
  return m.replace(/\{([a-z_]+)\}/g, (w, n: string) => (n in params ? String(params[n]) : w));
}

export const langs = ['en', 'fr'] as const;
