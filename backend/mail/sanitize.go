package mail

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// Sanitized is a message's HTML ready for the viewer.
type Sanitized struct {
	HTML          string // a safe HTML fragment, meant for the sandboxed viewer iframe
	RemoteBlocked int    // remote resources removed (img src, srcset, background, CSS url())
}

// mailPolicy is the security boundary for message HTML. It is built once and
// only read afterwards, which bluemonday supports from many goroutines.
var mailPolicy = newMailPolicy()

// Sanitize makes message HTML safe for the viewer. bluemonday's allowlist is
// the security boundary; a second pass over its well-formed output applies
// what depends on the call: remote content (blocked and counted unless
// allowRemote), cid: images (through cidURL; nil drops them), links (opened
// outside the viewer) and inline CSS (plain formatting only, never url()).
func Sanitize(src string, allowRemote bool, cidURL func(cid string) string) Sanitized {
	cleaned := mailPolicy.Sanitize(src)
	s := resourcePass{allowRemote: allowRemote, cidURL: cidURL}
	var b strings.Builder
	b.Grow(len(cleaned))
	z := html.NewTokenizer(strings.NewReader(cleaned))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return Sanitized{HTML: b.String(), RemoteBlocked: s.blocked}
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			if alt, keep := s.tag(&t); !keep {
				b.WriteString(html.EscapeString(alt))
				continue
			}
			b.WriteString(t.String())
		default:
			b.Write(z.Raw()) // text and end tags, already escaped by bluemonday
		}
	}
}

func newMailPolicy() *bluemonday.Policy {
	var (
		number   = regexp.MustCompile(`^[0-9]{1,4}$`)
		size     = regexp.MustCompile(`^[0-9]{1,5}(\.[0-9]{1,3})?(%|px)?$`)
		color    = regexp.MustCompile(`^#?[0-9A-Za-z]{1,20}$`)
		align    = regexp.MustCompile(`(?i)^(left|right|center|justify|top|middle|bottom|baseline|absmiddle|texttop|absbottom)$`)
		valign   = regexp.MustCompile(`(?i)^(top|middle|bottom|baseline)$`)
		dir      = regexp.MustCompile(`(?i)^(ltr|rtl|auto)$`)
		lang     = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)
		face     = regexp.MustCompile(`^[\p{L}\p{N} ,'"_-]{1,100}$`)
		fontSize = regexp.MustCompile(`^[+-]?[0-9]{1,2}$`)
		listType = regexp.MustCompile(`^(1|a|A|i|I|disc|circle|square)$`)
		nowrap   = regexp.MustCompile(`(?i)^(nowrap)?$`)
	)
	p := bluemonday.NewPolicy()
	p.AllowElements(
		"p", "br", "div", "span", "b", "i", "u", "s", "strike", "em", "strong", "small", "big",
		"sub", "sup", "center", "blockquote", "pre", "code", "tt", "kbd", "samp", "var", "hr",
		"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
		"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "col", "colgroup",
		"abbr", "acronym", "address", "cite", "dfn", "del", "ins", "mark", "q", "wbr", "bdi",
		"article", "section", "header", "footer", "main", "nav", "aside", "figure", "figcaption",
		"font", "a", "img",
	)
	p.AllowAttrs("style", "title").Globally()
	p.AllowAttrs("align").Matching(align).Globally()
	p.AllowAttrs("dir").Matching(dir).Globally()
	p.AllowAttrs("lang").Matching(lang).Globally()

	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("src", "srcset", "alt").OnElements("img")
	p.AllowAttrs("border", "hspace", "vspace").Matching(number).OnElements("img")
	p.AllowAttrs("width", "height").Matching(size).OnElements("img", "table", "td", "th", "tr", "col", "colgroup", "hr")
	p.AllowAttrs("valign").Matching(valign).OnElements("td", "th", "tr", "thead", "tbody", "tfoot", "col", "colgroup", "img")
	p.AllowAttrs("bgcolor").Matching(color).OnElements("table", "thead", "tbody", "tfoot", "tr", "td", "th")
	p.AllowAttrs("background").OnElements("table", "thead", "tbody", "tfoot", "tr", "td", "th")
	p.AllowAttrs("border", "cellpadding", "cellspacing").Matching(number).OnElements("table")
	p.AllowAttrs("colspan", "rowspan").Matching(number).OnElements("td", "th")
	p.AllowAttrs("span").Matching(number).OnElements("col", "colgroup")
	p.AllowAttrs("nowrap").Matching(nowrap).OnElements("td", "th")
	p.AllowAttrs("color").Matching(color).OnElements("font")
	p.AllowAttrs("face").Matching(face).OnElements("font")
	p.AllowAttrs("size").Matching(fontSize).OnElements("font")
	p.AllowAttrs("start", "value").Matching(number).OnElements("ol", "li")
	p.AllowAttrs("type").Matching(listType).OnElements("ol", "ul", "li")

	p.RequireParseableURLs(true)
	// Relative URLs pass here only so that protocol-relative "//tracker/p.gif"
	// reaches the second pass, which counts it; that pass drops other relative URLs.
	p.AllowRelativeURLs(true)
	p.AllowURLSchemes("http", "https", "mailto", "cid")
	p.AllowURLSchemeWithCustomPolicy("data", func(u *url.URL) bool {
		return isDataImage("data:" + u.Opaque)
	})
	return p
}

// resourcePass holds the per-call state of the second pass.
type resourcePass struct {
	allowRemote bool
	cidURL      func(string) string
	blocked     int
}

// tag rewrites one element's attributes in place. It reports false when the
// element must go; the returned text (an image's alt) stands in for it.
func (s *resourcePass) tag(t *html.Token) (string, bool) {
	attrs := t.Attr[:0]
	hasSource, alt := false, ""
	for _, a := range t.Attr {
		switch {
		case a.Key == "style":
			a.Val = s.style(a.Val)
		case a.Key == "background":
			a.Val, _ = s.resource(a.Val)
		case a.Key == "src" && t.Data == "img":
			a.Val, _ = s.resource(a.Val)
		case a.Key == "srcset" && t.Data == "img":
			a.Val = s.srcset(a.Val)
		case a.Key == "href" && t.Data == "a":
			if !isLinkURL(a.Val) {
				a.Val = ""
			}
		case a.Key == "rel" || a.Key == "target":
			a.Val = "" // set below for links, never taken from the message
		case a.Key == "alt":
			alt = a.Val
		}
		if a.Val == "" && a.Key != "alt" {
			continue
		}
		if a.Key == "src" || a.Key == "srcset" {
			hasSource = true
		}
		attrs = append(attrs, a)
	}
	t.Attr = attrs
	switch t.Data {
	case "img":
		if !hasSource {
			return alt, false
		}
	case "a":
		for _, a := range attrs {
			if a.Key == "href" {
				// The viewer must never navigate itself: links open in the
				// system browser, without telling the site where they came from.
				t.Attr = append(t.Attr,
					html.Attribute{Key: "rel", Val: "noopener noreferrer"},
					html.Attribute{Key: "target", Val: "_blank"})
				break
			}
		}
	}
	return "", true
}

// resource returns the URL to keep for an image-like attribute, or "".
func (s *resourcePass) resource(raw string) (string, bool) {
	kind, u := classifyURL(raw)
	switch kind {
	case urlRemote:
		if s.allowRemote {
			return u, true
		}
		s.blocked++
	case urlCID:
		if s.cidURL != nil {
			if out := s.cidURL(u); out != "" {
				return out, true
			}
		}
	case urlDataImage:
		return u, true
	}
	return "", false
}

var srcsetDescriptor = regexp.MustCompile(`^[0-9]{1,5}(\.[0-9]{1,3})?[wx]$`)

// srcset filters each candidate like a src. Candidates are split as the HTML
// standard does (the URL runs to whitespace), since data: URLs contain commas.
func (s *resourcePass) srcset(v string) string {
	var kept []string
	for rest := v; ; {
		rest = strings.TrimLeft(rest, " \t\n\r\f,")
		if rest == "" {
			break
		}
		end := strings.IndexAny(rest, " \t\n\r\f")
		if end < 0 {
			end = len(rest)
		}
		raw := rest[:end]
		rest = rest[end:]
		descriptor := ""
		if trimmed := strings.TrimRight(raw, ","); trimmed != raw {
			raw = trimmed
		} else {
			d, after, _ := strings.Cut(rest, ",")
			descriptor, rest = strings.TrimSpace(d), after
		}
		u, ok := s.resource(raw)
		if !ok {
			continue
		}
		if srcsetDescriptor.MatchString(descriptor) {
			u += " " + descriptor
		}
		kept = append(kept, u)
	}
	return strings.Join(kept, ", ")
}

type urlKind int

const (
	urlOther urlKind = iota
	urlRemote
	urlCID
	urlDataImage
)

// classifyURL normalises like a browser (surrounding controls trimmed, tabs
// and newlines removed) before deciding, so a spaced-out scheme cannot hide.
// For remote URLs it returns the URL to load, with protocol-relative ones
// made https: the viewer's base is the app, not the web. For cid: it returns
// the Content-ID.
func classifyURL(raw string) (urlKind, string) {
	v := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, strings.TrimFunc(raw, func(r rune) bool { return r <= ' ' }))
	lower := strings.ToLower(v)
	switch {
	case strings.HasPrefix(lower, "http:"), strings.HasPrefix(lower, "https:"):
		return urlRemote, v
	case strings.HasPrefix(v, "//"), strings.HasPrefix(v, `\\`), strings.HasPrefix(v, `/\`), strings.HasPrefix(v, `\/`):
		return urlRemote, "https://" + strings.TrimLeft(v, `/\`)
	case strings.HasPrefix(lower, "cid:"):
		id := v[len("cid:"):]
		if u, err := url.PathUnescape(id); err == nil {
			id = u
		}
		return urlCID, strings.Trim(id, "<>")
	case isDataImage(lower):
		return urlDataImage, v
	}
	return urlOther, ""
}

// isDataImage accepts only raster formats a viewer cannot script.
func isDataImage(u string) bool {
	lower := strings.ToLower(u)
	if !strings.HasPrefix(lower, "data:") || !strings.Contains(lower, ",") {
		return false
	}
	mt := lower[len("data:"):strings.IndexByte(lower, ',')]
	mt, _, _ = strings.Cut(mt, ";")
	switch strings.TrimSpace(mt) {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

func isLinkURL(v string) bool {
	u, err := url.Parse(strings.TrimSpace(v))
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return true
	}
	return false
}

// isStyleProperty lists the inline CSS properties kept: presentation only.
// Anything able to fetch (background, list-style, cursor, content,
// border-image) or to escape the message's box (position) is absent on purpose.
func isStyleProperty(p string) bool {
	switch p {
	case "color", "background-color", "opacity",
		"font", "font-family", "font-size", "font-style", "font-variant", "font-weight",
		"line-height", "letter-spacing", "word-spacing",
		"text-align", "text-decoration", "text-indent", "text-transform",
		"vertical-align", "white-space", "direction", "word-break", "word-wrap", "overflow-wrap",
		"margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
		"padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
		"border", "border-top", "border-right", "border-bottom", "border-left",
		"border-color", "border-style", "border-width", "border-radius", "border-collapse", "border-spacing",
		"border-top-color", "border-right-color", "border-bottom-color", "border-left-color",
		"border-top-style", "border-right-style", "border-bottom-style", "border-left-style",
		"border-top-width", "border-right-width", "border-bottom-width", "border-left-width",
		"width", "min-width", "max-width", "height", "min-height", "max-height",
		"display", "float", "clear", "table-layout", "overflow":
		return true
	}
	return false
}

// style keeps the allowed declarations of a style attribute and counts the
// remote url() references it drops.
func (s *resourcePass) style(v string) string {
	var kept []string
	for _, decl := range splitDeclarations(v) {
		prop, val, ok := strings.Cut(decl, ":")
		prop = strings.ToLower(strings.TrimSpace(prop))
		val = strings.Join(strings.Fields(val), " ")
		if !ok || val == "" {
			continue
		}
		if !s.allowRemote {
			s.blocked += countRemoteCSSURLs(val)
		}
		if isStyleProperty(prop) && safeCSSValue(val) {
			kept = append(kept, prop+": "+val)
		}
	}
	return strings.Join(kept, "; ")
}

// splitDeclarations splits at semicolons outside quotes and parentheses.
func splitDeclarations(v string) []string {
	var out []string
	var quote rune
	depth, start := 0, 0
	for i, r := range v {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case r == ';' && depth == 0:
			out = append(out, v[start:i])
			start = i + 1
		}
	}
	return append(out, v[start:])
}

// safeCSSValue allows plain values only: no escapes, comments, at-rules or
// colons, and no function but colour and calc ones, so url(), image-set(),
// expression() and var() can never reach the viewer whatever the spelling.
func safeCSSValue(v string) bool {
	doubleQuotes, singleQuotes := 0, 0
	ident := 0 // bytes of the identifier just before the current position
	for i, r := range v {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '-', r == '_':
			ident++
			continue
		case r == '(':
			switch strings.ToLower(v[i-ident : i]) {
			case "rgb", "rgba", "hsl", "hsla", "calc":
			default:
				return false
			}
		case r >= '0' && r <= '9', r == ' ', r == '#', r == '%', r == '.', r == ',', r == ')',
			r == '+', r == '/', r == '!':
		case r == '"':
			doubleQuotes++
		case r == '\'':
			singleQuotes++
		case r > unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' '):
			// font names in any script
		default:
			return false
		}
		ident = 0
	}
	return doubleQuotes%2 == 0 && singleQuotes%2 == 0
}

// countRemoteCSSURLs counts url(...) arguments that would load from the
// network. Only the start of each argument matters, so the look-ahead is
// bounded: an unclosed "url(url(url(..." must stay linear.
func countRemoteCSSURLs(v string) int {
	n := 0
	lower := strings.ToLower(v)
	for {
		i := strings.Index(lower, "url(")
		if i < 0 {
			return n
		}
		lower = lower[i+len("url("):]
		arg := lower[:min(len(lower), 256)]
		if j := strings.IndexByte(arg, ')'); j >= 0 {
			arg = arg[:j]
		}
		if kind, _ := classifyURL(strings.Trim(strings.TrimSpace(arg), `"'`)); kind == urlRemote {
			n++
		}
	}
}
