// Colours are chosen in tokens.css only: a component or app.css names a
// colour by its meaning (var(--danger), var(--muted)…), so that the look can
// change in one place and two reds never drift apart.
import { describe, expect, it } from 'vitest';
import { frameColours } from './tokens';

// Node's fs, typed by hand (the app's tsconfig has no Node types): Vitest
// hands a .css file to an import as an empty string, even with ?raw, so
// stylesheets are read from the disk.
interface Fs {
  readFileSync(path: string, encoding: 'utf8'): string;
  readdirSync(path: string, opts: { recursive: true; encoding: 'utf8' }): string[];
}
const nodeFs = 'node:fs';
const fs: Fs = await import(/* @vite-ignore */ nodeFs);
// Vitest runs in frontend/; keys as import.meta.glob writes them from here.
const stylesheets: Record<string, string> = {};
for (const f of fs.readdirSync('src', { recursive: true, encoding: 'utf8' })) {
  if (f.endsWith('.css')) stylesheets[f.startsWith('styles/') ? './' + f.slice(7) : '../' + f] = fs.readFileSync('src/' + f, 'utf8');
}

// #abc, #aabbcc(dd); the same escaped in a data URI (%23aabbcc); rgb(),
// rgba(), hsl(), hsla(); and the named colours people reach for.
const literal =
  /(?:#|%23)(?:[0-9a-f]{8}|[0-9a-f]{6}|[0-9a-f]{3,4})\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(|:\s*[^;{}]*\b(?:white|black|red|green|blue|gray|grey|orange|yellow|purple|pink|brown)\b\s*(?:;|!|$)/gim;

/** The colour literals in a stylesheet or a component's style block, with their line numbers. */
function colourLiterals(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    // Ids in markup (href="#main") are not colours; only style is read.
    for (const m of line.matchAll(literal)) found.push(`${i + 1}: ${m[0].trim()}`);
  });
  return found;
}

/** What of a file is style: a .css or .ts file whole, a component's <style> blocks and style="" attributes. */
function styleOf(path: string, text: string): string {
  // A .ts file builds styles as strings (the mail viewer's frame): all of it is read.
  if (path.endsWith('.css') || path.endsWith('.ts')) return text;
  // Keep line numbers: blank out everything that is not style.
  const keep = new Array<boolean>(text.length).fill(false);
  for (const m of text.matchAll(/<style[^>]*>([\s\S]*?)<\/style>|\bstyle="([^"]*)"|\bstyle:[a-z-]+=\{?"?([^"}\s]*)/g)) {
    for (let i = m.index!; i < m.index! + m[0].length; i++) keep[i] = true;
  }
  return [...text].map((c, i) => (keep[i] || c === '\n' ? c : ' ')).join('');
}

describe('colours', () => {
  it('are found by the check when written as literals', () => {
    expect(colourLiterals('a { color: #a52a21; }')).toEqual(['1: #a52a21']);
    expect(colourLiterals('a {\n  background: rgb(0 0 0 / 4%);\n}')).toEqual(['2: rgb(']);
    expect(colourLiterals('a { border-color: hsl(0 50% 50%) }')).toEqual(['1: hsl(']);
    expect(colourLiterals("url(\"data:image/svg+xml,stroke='%236b7280'\")")).toEqual(['1: %236b7280']);
    expect(colourLiterals('a { color: white; }')).toEqual(['1: : white;']);
    expect(colourLiterals('a { color: var(--danger); background: var(--ok-soft); }')).toEqual([]);
    expect(styleOf('x.svelte', '<a href="#abc">x</a>\n<style>a { color: #abc; }</style>')).toContain('#abc; }');
    expect(colourLiterals(styleOf('x.svelte', '<a href="#abc">x</a>'))).toEqual([]);
  });

  it('are chosen in tokens.css only', () => {
    const sources = {
      ...(import.meta.glob(['../**/*.svelte', '../**/*.ts', '!./tokens.ts', '!../**/*.test.ts'], {
        query: '?raw',
        import: 'default',
        eager: true,
      }) as Record<string, string>),
      ...stylesheets,
    };
    delete sources['./tokens.css'];
    expect(sources['./app.css']).toContain('var(--');
    expect(Object.keys(sources)).toContain('./app.css');
    expect(Object.keys(sources)).toContain('../lib/mail/viewer.ts');
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    const offenders: string[] = [];
    for (const [f, text] of Object.entries(sources)) {
      for (const hit of colourLiterals(styleOf(f, text))) offenders.push(`${f}:${hit}`);
    }
    expect(offenders, 'use a token from src/styles/tokens.css (add one named for what the colour means)').toEqual([]);
  });

  it('are the same in tokens.ts (for frames that cannot read variables) as in tokens.css', () => {
    const tokensCss = stylesheets['./tokens.css'];
    expect(tokensCss).toContain('--ink:');
    for (const [name, value] of Object.entries(frameColours)) {
      const m = new RegExp(`--${name}:\\s*([^;]+);`).exec(tokensCss);
      expect(m?.[1].trim().toLowerCase(), name).toBe(value);
    }
  });
});
