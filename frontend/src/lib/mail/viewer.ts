// The document a message's HTML is shown in. The HTML was sanitised in Go;
// this is the second wall: the iframe is sandboxed without scripts, and
// this policy lets nothing load but inline images and styles unless the
// user allowed remote content for the message.
//
// The two documents (blocked, remote allowed) are files of their own,
// written at build time (vite.config.ts), not srcdoc: a srcdoc frame
// inherits the app page's policy, which allows no remote image at all
// (issue 16), so remote pictures could not be shown even when allowed.
// HtmlBody puts the message into the frame's body once it has loaded.
// The frame cannot read the app's CSS variables: its colours are the token
// values themselves (src/styles/tokens.ts, checked against tokens.css).
import { frameColours as c } from '../../styles/tokens';

/** The Content-Security-Policy of the viewer document. */
export function viewerPolicy(allowRemote: boolean): string {
  return allowRemote
    ? "default-src 'none'; img-src data: http: https:; style-src 'unsafe-inline' http: https:; font-src data: http: https:; form-action 'none'"
    : "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; form-action 'none'";
}

/** Where the viewer document is served, relative to the app's own pages. */
export function viewerURL(allowRemote: boolean): string {
  return allowRemote ? '/viewer-remote.html' : '/viewer-blocked.html';
}

/** The viewer document, with html as its body (empty in the served files). */
export function viewerDocument(html: string, allowRemote: boolean): string {
  return `<!doctype html><html><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${viewerPolicy(allowRemote)}">` +
    `<meta name="referrer" content="no-referrer">` +
    `<base target="_blank">` +
    `<style>html{color-scheme:light}body{margin:0;padding:2px;font:14.5px/1.5 'DejaVu Sans','Noto Sans',sans-serif;color:${c.ink};` +
    `background:${c.paper};overflow-wrap:anywhere}img{max-width:100%;height:auto}table{max-width:100%}` +
    `blockquote{margin:0 0 0 8px;padding-left:10px;border-left:3px solid ${c.line};color:${c['ink-soft']}}a{color:${c.accent}}</style>` +
    `</head><body>${html}</body></html>`;
}

/** What a click on a link in a message may do. */
export type LinkAction = { kind: 'web'; url: string; host: string } | { kind: 'mail'; address: string } | { kind: 'none' };

/** Decides from a link's resolved href; anything but web and mail links does nothing. */
export function linkAction(href: string | null | undefined): LinkAction {
  if (!href) return { kind: 'none' };
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return { kind: 'none' };
  }
  if (u.protocol === 'http:' || u.protocol === 'https:') return { kind: 'web', url: u.href, host: u.host };
  if (u.protocol === 'mailto:') {
    const address = decodeURIComponent(u.pathname).trim();
    return address ? { kind: 'mail', address } : { kind: 'none' };
  }
  return { kind: 'none' };
}
