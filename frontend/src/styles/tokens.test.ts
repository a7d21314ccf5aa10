// Colours are chosen in tokens.css only: a component or app.css names a
// colour by its meaning (var(--danger), var(--muted)…), so that the look can
// change in one place and two reds never drift apart.
import { describe, expect, it } from 'vitest';

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

/** What of a file is style: a .css file whole, a component's <style> blocks and style="" attributes. */
function styleOf(path: string, text: string): string {
  if (path.endsWith('.css')) return text;
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
    const sources = import.meta.glob(['../**/*.svelte', '../**/*.css', '!./tokens.css'], {
      query: '?raw',
      import: 'default',
      eager: true,
    }) as Record<string, string>;
    expect(Object.keys(sources)).toContain('./app.css');
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    const offenders: string[] = [];
    for (const [f, text] of Object.entries(sources)) {
      for (const hit of colourLiterals(styleOf(f, text))) offenders.push(`${f}:${hit}`);
    }
    expect(offenders, 'use a token from src/styles/tokens.css (add one named for what the colour means)').toEqual([]);
  });
});
