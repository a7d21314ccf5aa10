package mail

import (
	"net/url"
	"strings"
	"testing"
)

// testCIDURL mimics the app's inline-image route.
func testCIDURL(cid string) string { return "/mail/inline/7/" + url.PathEscape(cid) }

func TestSanitize(t *testing.T) {
	for _, tc := range []struct {
		name        string
		in          string
		allowRemote bool
		cidURL      func(string) string
		want        []string // exact substrings of the output
		absent      []string // case-insensitive substrings that must not appear
		blocked     int
	}{
		{
			name:   "script element and its content go",
			in:     `<p>hi</p><script>alert(1)</script><SCRIPT src="http://x/a.js"></SCRIPT>`,
			want:   []string{"<p>hi</p>"},
			absent: []string{"<script", "alert", "a.js"},
		},
		{
			name:   "img with an event handler and a relative src goes",
			in:     `<img src=x onerror=alert(1)>after`,
			want:   []string{"after"},
			absent: []string{"<img", "onerror", "alert"},
		},
		{
			name:   "javascript link loses its href but keeps its text",
			in:     `<a href="javascript:alert(1)">click</a>`,
			want:   []string{"click"},
			absent: []string{"javascript", "href", "<a"},
		},
		{
			name: "obfuscated javascript links lose their href",
			in: `<a href=" JaVaScRiPt:alert(1)">a</a><a href="jav&#x09;ascript:alert(1)">b</a>` +
				`<a href="&#106;avascript:alert(1)">c</a><a href="javascript&colon;alert(1)">d</a>` +
				`<a href="java
script:alert(1)">e</a><a href="vbscript:msgbox(1)">f</a><a href="data:text/html;base64,PHNjcmlwdD4=">g</a>`,
			want:   []string{"abcdefg"},
			absent: []string{"javascript", "vbscript", "data:", "href", "<a"},
		},
		{
			name:   "svg with onload goes",
			in:     `<svg onload="alert(1)"><circle r="4"/></svg>text`,
			want:   []string{"text"},
			absent: []string{"<svg", "onload", "<circle"},
		},
		{
			name:   "form and its controls go, labels stay",
			in:     `<form action="https://phish.example/login" method="post">Password <input type="password" name="p"><button>Send</button></form>`,
			want:   []string{"Password", "Send"},
			absent: []string{"<form", "action", "phish", "<input", "<button"},
		},
		{
			name:   "iframe, object and embed go",
			in:     `<iframe src="https://evil.example/"></iframe><object data="x.swf"></object><embed src="x.swf">ok`,
			want:   []string{"ok"},
			absent: []string{"<iframe", "<object", "<embed", "evil", "swf"},
		},
		{
			name:   "meta refresh, base and link go",
			in:     `<meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/"><link rel="stylesheet" href="http://evil.example/s.css">ok`,
			want:   []string{"ok"},
			absent: []string{"<meta", "refresh", "<base", "<link", "evil"},
		},
		{
			name:   "style element with @import goes entirely",
			in:     `<style>@import url(http://x/track.css); p{color:red}</style><p>ok</p>`,
			want:   []string{"<p>ok</p>"},
			absent: []string{"<style", "@import", "url(", "color:red"},
		},
		{
			name:    "background url in a style attribute is removed and counted, colour kept",
			in:      `<div style="color: #c00; background:url(http://t.example/p.gif); font-weight: bold">x</div>`,
			want:    []string{`<div style="color: #c00; font-weight: bold">x</div>`},
			absent:  []string{"url(", "t.example", "background"},
			blocked: 1,
		},
		{
			name:   "css expression, escapes and behaviours are removed",
			in:     `<p style="width: expression(alert(1)); color: \72 ed; behavior: url(x.htc); -moz-binding: url(x); margin: 0 auto">x</p>`,
			want:   []string{`<p style="margin: 0 auto">x</p>`},
			absent: []string{"expression", "url(", "behavior", "binding", `\72`},
		},
		{
			name:    "tracking pixel is removed and counted",
			in:      `<p>Hello</p><img src="https://tracker.example/p.gif" width=1 height=1>`,
			want:    []string{"<p>Hello</p>"},
			absent:  []string{"<img", "tracker"},
			blocked: 1,
		},
		{
			name:        "tracking pixel loads when the user allowed remote content",
			in:          `<img src="https://tracker.example/p.gif" width=1 height=1>`,
			allowRemote: true,
			want:        []string{`<img src="https://tracker.example/p.gif" width="1" height="1">`},
		},
		{
			name:    "blocked image leaves its alt text",
			in:      `<a href="https://shop.example/"><img src="http://cdn.example/btn.png" alt="Voir l'offre"></a>`,
			want:    []string{`>Voir l&#39;offre</a>`},
			absent:  []string{"<img", "cdn.example"},
			blocked: 1,
		},
		{
			name:    "protocol-relative image counts as remote",
			in:      `<img src="//tracker.example/p.gif">`,
			absent:  []string{"<img", "tracker"},
			blocked: 1,
		},
		{
			name:        "protocol-relative image becomes https when allowed",
			in:          `<img src="//cdn.example/logo.png">`,
			allowRemote: true,
			want:        []string{`src="https://cdn.example/logo.png"`},
		},
		{
			name:    "srcset candidates are filtered and counted one by one",
			in:      `<img src="data:image/png;base64,iVBORw0KGgo=" srcset="https://cdn.example/a.png 1x, https://cdn.example/b.png 2x, javascript:alert(1) 3x">`,
			want:    []string{`src="data:image/png;base64,iVBORw0KGgo="`},
			absent:  []string{"srcset", "cdn.example", "javascript"},
			blocked: 2,
		},
		{
			name:        "srcset is kept when remote content is allowed",
			in:          `<img srcset="https://cdn.example/a.png 1x, https://cdn.example/b.png 2x">`,
			allowRemote: true,
			want:        []string{`srcset="https://cdn.example/a.png 1x, https://cdn.example/b.png 2x"`},
		},
		{
			name:    "table background attribute is removed and counted",
			in:      `<table background="http://t.example/bg.jpg" width="600"><tr><td background="https://t.example/c.jpg">x</td></tr></table>`,
			want:    []string{`<table width="600">`, "<td>x</td>"},
			absent:  []string{"background", "t.example"},
			blocked: 2,
		},
		{
			name:   "cid image is rewritten through cidURL",
			in:     `<img src="cid:logo@example.com" alt="logo"><td background="cid:bg%40example.com">`,
			cidURL: testCIDURL,
			want:   []string{`<img src="/mail/inline/7/logo@example.com" alt="logo">`, `background="/mail/inline/7/bg@example.com"`},
		},
		{
			name:   "cid image is dropped when there is no cidURL",
			in:     `<img src="cid:logo@example.com" alt="">after`,
			want:   []string{"after"},
			absent: []string{"<img", "cid:"},
		},
		{
			name:   "data png image is kept, data html and svg are not",
			in:     `<img src="data:image/png;base64,iVBORw0KGgo="><img src="data:text/html;base64,PHNjcmlwdD4="><img src="data:image/svg+xml;base64,PHN2Zz4=">`,
			want:   []string{`<img src="data:image/png;base64,iVBORw0KGgo=">`},
			absent: []string{"text/html", "svg"},
		},
		{
			name: "mailto link is kept",
			in:   `<a href="mailto:marie@example.fr?subject=Devis">écrire</a>`,
			want: []string{`<a href="mailto:marie@example.fr?subject=Devis" rel="noopener noreferrer" target="_blank">écrire</a>`},
		},
		{
			name:   "http link opens outside with noopener noreferrer",
			in:     `<a href="https://example.com/page?a=1&amp;b=2" target="_self" rel="opener">site</a>`,
			want:   []string{`<a href="https://example.com/page?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">site</a>`},
			absent: []string{"_self", `"opener"`},
		},
		{
			name:   "relative and cid links lose their href",
			in:     `<a href="/settings">a</a><a href="cid:x@y">b</a>`,
			want:   []string{"<a>a</a>", "<a>b</a>"},
			absent: []string{"href", "settings", "cid:"},
		},
		{
			name: "plain formatting survives",
			in: `<h1>Titre</h1><h3>Sous-titre</h3><p>Un <b>gras</b>, <i>italique</i>, <u>souligné</u><br>ligne</p>` +
				`<ul><li>un</li></ul><ol><li>deux</li></ol><blockquote>cité</blockquote>` +
				`<table width="600" cellpadding="4" border="0"><tr><td width="50%" align="center" valign="top" bgcolor="#eeeeee">cellule</td></tr></table>` +
				`<font color="#336699" face="Arial">bleu</font><span style="color:#c00">rouge</span>` +
				`<p style="font-family: Arial, Helvetica, sans-serif; font-size: 14px; text-align: center; margin: 0 0 10px; padding: 4px; border: 1px solid #ddd; width: 100%">boîte</p>`,
			want: []string{
				"<h1>Titre</h1>", "<h3>Sous-titre</h3>", "<p>Un <b>gras</b>, <i>italique</i>, <u>souligné</u><br>ligne</p>",
				"<ul><li>un</li></ul>", "<ol><li>deux</li></ol>", "<blockquote>cité</blockquote>",
				`<table width="600" cellpadding="4" border="0"><tr><td width="50%" align="center" valign="top" bgcolor="#eeeeee">cellule</td></tr></table>`,
				`<font color="#336699" face="Arial">bleu</font>`, `<span style="color: #c00">rouge</span>`,
				`<p style="font-family: Arial, Helvetica, sans-serif; font-size: 14px; text-align: center; margin: 0 0 10px; padding: 4px; border: 1px solid #ddd; width: 100%">boîte</p>`,
			},
		},
		{
			name:   "comments, conditional comments and doctype go",
			in:     `<!DOCTYPE html><!--[if mso]><v:rect src="http://x/p.gif"/><![endif]--><p>ok</p>`,
			want:   []string{"<p>ok</p>"},
			absent: []string{"<!", "mso", "x/p.gif"},
		},
		{
			name:   "noscript mutation trick stays inert",
			in:     `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
			absent: []string{"onerror", "<img", "<noscript"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Sanitize(tc.in, tc.allowRemote, tc.cidURL)
			for _, w := range tc.want {
				if !strings.Contains(got.HTML, w) {
					t.Errorf("output lacks %q\n got: %s", w, got.HTML)
				}
			}
			lower := strings.ToLower(got.HTML)
			for _, a := range tc.absent {
				if strings.Contains(lower, strings.ToLower(a)) {
					t.Errorf("output contains %q\n got: %s", a, got.HTML)
				}
			}
			if got.RemoteBlocked != tc.blocked {
				t.Errorf("RemoteBlocked = %d, want %d\n got: %s", got.RemoteBlocked, tc.blocked, got.HTML)
			}
		})
	}
}

func TestSanitizeCountsOnlyWhenBlocking(t *testing.T) {
	in := `<img src="https://a.example/1.png"><div style="background-image: url('https://a.example/2.png')">x</div>`
	if got := Sanitize(in, false, nil); got.RemoteBlocked != 2 {
		t.Errorf("blocking: RemoteBlocked = %d, want 2 (%s)", got.RemoteBlocked, got.HTML)
	}
	got := Sanitize(in, true, nil)
	if got.RemoteBlocked != 0 {
		t.Errorf("allowed: RemoteBlocked = %d, want 0", got.RemoteBlocked)
	}
	// CSS url() never reaches the viewer, even when the user allowed remote content.
	if strings.Contains(got.HTML, "url(") {
		t.Errorf("allowed: output keeps a CSS url(): %s", got.HTML)
	}
}

func TestSafeCSSValue(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want bool
	}{
		{"#c00", true},
		{"rgb(204, 0, 0)", true},
		{"1px solid #ddd", true},
		{`"Segoe UI", Arial, sans-serif`, true},
		{"calc(100% - 20px)", true},
		{"bold !important", true},
		{"ＭＳ ゴシック", true},
		{"url(http://x)", false},
		{"URL(x)", false},
		{"u\\rl(x)", false},
		{"expression(alert(1))", false},
		{"image-set('x' 1x)", false},
		{"var(--x)", false},
		{"red; background: blue", false},
		{"red /* c */", false},
		{`"unterminated`, false},
		{"a\u202eb", false},
	} {
		if got := safeCSSValue(tc.v); got != tc.want {
			t.Errorf("safeCSSValue(%q) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func BenchmarkSanitize(b *testing.B) {
	p := Parse(benchMessage())
	b.SetBytes(int64(len(p.HTML)))
	b.ReportAllocs()
	for b.Loop() {
		Sanitize(p.HTML, false, testCIDURL)
	}
}
