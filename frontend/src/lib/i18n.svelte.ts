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

function lookup(lang: string, key: string): string | undefined {
  return bundles[lang]?.[key] ?? bundles[fallback][key];
}

/**
 * Whether a count takes the _one form: the counts listed in the locale's
 * format.plural_one ("0 1" in French, "1" in English), the key Go's
 * backend/i18n reads too, so the window and the PDFs agree.
 */
function pluralOne(lang: string, n: number): boolean {
  return (lookup(lang, 'format.plural_one') ?? '1').split(/\s+/).includes(String(n));
}

/** The BCP 47 tag Intl formats with for a language: its locale's format.intl ("fr-FR", "en-GB"). */
export function intlTagOf(lang: string): string {
  return lookup(lang, 'format.intl') ?? 'en-GB';
}

const counters = new Map<string, Intl.NumberFormat>();

// Counts inside sentences, grouped as the language groups them ("1 234" in
// French, "1,234" in English). Only the count and n parameters: ids, years
// and codes pass as other names and print as they are.
function number(lang: string, v: number): string {
  const tag = intlTagOf(lang);
  let f = counters.get(tag);
  if (!f) counters.set(tag, (f = new Intl.NumberFormat(tag, { maximumFractionDigits: 20 })));
  return f.format(v);
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
  return msg.replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const v = params[name];
    return typeof v === 'number' && (name === 'count' || name === 'n') ? number(lang, v) : String(v);
  });
}
