import { describe, expect, it } from 'vitest';
import { linkAction, viewerDocument, viewerPolicy, viewerURL } from './viewer';
import { splitAddresses } from './format';
import indexHtml from '../../../index.html?raw';

describe('the message viewer document', () => {
  it('lets nothing remote load unless allowed', () => {
    expect(viewerPolicy(false)).toBe("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; form-action 'none'");
    expect(viewerPolicy(true)).toContain('img-src data: http: https:');
    expect(viewerPolicy(true)).not.toContain('script');
  });

  it('puts the policy before the message', () => {
    const doc = viewerDocument('<p>Bonjour</p>', false);
    expect(doc.indexOf('Content-Security-Policy')).toBeLessThan(doc.indexOf('<p>Bonjour</p>'));
    expect(doc).toContain('<base target="_blank">');
  });

  it('is served as two documents of its own, never inheriting the app page\'s policy', () => {
    expect(viewerURL(false)).not.toBe(viewerURL(true));
    expect(viewerURL(false)).toMatch(/^\/[a-z-]+\.html$/);
  });
});

describe("the app page's own policy", () => {
  const csp = indexHtml.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1] ?? '';
  const directive = (name: string) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(name + ' ')) ?? '';

  it('loads no remote image and connects nowhere but to the app itself', () => {
    expect(directive('default-src')).toBe("default-src 'self'");
    expect(directive('img-src')).toBe("img-src 'self' data:");
    expect(directive('connect-src')).toBe("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|wss?:|localhost|127\.0\.0\.1/);
  });
});

describe('links in messages', () => {
  it('opens web links, writes to mail links, ignores the rest', () => {
    expect(linkAction('https://www.example.org/offre')).toEqual({ kind: 'web', url: 'https://www.example.org/offre', host: 'www.example.org' });
    expect(linkAction('mailto:h%C3%A9lene@example.fr?subject=x')).toEqual({ kind: 'mail', address: 'hélene@example.fr' });
    expect(linkAction('javascript:alert(1)')).toEqual({ kind: 'none' });
    expect(linkAction('about:srcdoc#top')).toEqual({ kind: 'none' });
    expect(linkAction('')).toEqual({ kind: 'none' });
  });
});

describe('address fields', () => {
  it('split on commas and semicolons outside names', () => {
    expect(splitAddresses('a@b.fr, "Dupont, Hélène" <h@d.fr>; ,c@d.fr ')).toEqual(['a@b.fr', '"Dupont, Hélène" <h@d.fr>', 'c@d.fr']);
  });
});
