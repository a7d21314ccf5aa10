// Translations shared with Go: the same src/locales/*.json files are
// embedded in the binary for PDFs and the command line.
import en from '../locales/en.json';
import fr from '../locales/fr.json';

export type Params = Record<string, unknown>;
type Messages = Record<string, string>;

const bundles: Record<string, Messages> = { en, fr };
export const languages = Object.keys(bundles);
const fallback = 'en';

let current = $state(fallback);

/** The interface language; reading it inside a template makes it reactive. */
export const locale = {
  get lang(): string {
    return current;
  },
  set lang(l: string) {
    current = bundles[l] ? l : fallback;
    document.documentElement.lang = current;
  },
};

/** French counts 0 and 1 as singular; English only 1 (as in backend/i18n). */
function pluralOne(lang: string, n: number): boolean {
  return lang === 'fr' ? n === 0 || n === 1 : n === 1;
}

function lookup(lang: string, key: string): string | undefined {
  return bundles[lang]?.[key] ?? bundles[fallback][key];
}

/** Translate key with {name} placeholders; "count" picks _one/_other forms. */
export function t(key: string, params?: Params): string {
  const lang = current;
  let msg: string | undefined;
  if (params && typeof params.count === 'number') {
    msg = lookup(lang, key + (pluralOne(lang, params.count) ? '_one' : '_other'));
  }
  msg ??= lookup(lang, key);
  if (msg === undefined) return key;
  if (!params) return msg;
  return msg.replace(/\{([a-z_]+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
