package mail

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	netmail "net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	htmlcharset "golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
)

// Parsed is what Carnet keeps of one message besides its raw bytes.
type Parsed struct {
	MessageID   string // without <>
	InReplyTo   string // without <>
	References  []string
	Topic       string    // the Subject header, encoded words decoded (RFC 2047), any charset
	Date        time.Time // UTC; zero if missing or unparseable
	From        []Addr
	To          []Addr
	Cc          []Addr
	Bcc         []Addr
	ReplyTo     []Addr
	Text        string // text/plain body, or a plain rendering of the HTML so search and previews work
	HTML        string // raw text/html body in UTF-8, not sanitised (Sanitize does that at display time)
	Attachments []Attachment
	AuthResults []string // Authentication-Results values, topmost first (RFC 8601; see senderVerified)
	Broken      bool     // no text could be recovered from the MIME structure; Text then holds the raw message
}

// Addr is one mailbox; the address is kept as written (trimmed) because
// local parts are case-sensitive in principle and users recognise their spelling.
type Addr struct {
	Name    string `json:"name"`
	Address string `json:"address"`
}

// Attachment describes one non-body part of a message.
type Attachment struct {
	Index       int    `json:"index"`    // position in the message, stable, used by AttachmentData
	Filename    string `json:"filename"` // neutralised with SafeFilename
	ContentType string `json:"contentType"`
	Size        int    `json:"size"`      // decoded bytes
	ContentID   string `json:"contentId"` // for inline parts (cid:), without <>
	Inline      bool   `json:"inline"`    // shown inside the HTML: its Content-ID is referenced there and it is not marked as an attachment
}

// ErrNoAttachment is returned by AttachmentData for an index the message does not have.
var ErrNoAttachment = errors.New("mail: no such attachment")

// maxPartDepth bounds multipart nesting: real mail stays under ten levels, and
// a hostile message must not make one sync cost unbounded stack and buffers.
const maxPartDepth = 32

// Parse reads a raw RFC 5322 message. It never fails on bad input: broken
// MIME gives what could be recovered, or, when no text could, Broken=true
// and the raw text in Text (invalid UTF-8 replaced); unknown charsets fall
// back to UTF-8 or windows-1252 rather than dropping the text.
func Parse(raw []byte) Parsed {
	p, _ := readMessage(raw, -1)
	return p
}

// AttachmentData returns the decoded bytes of attachment i (same numbering as
// Parse); the raw message is the only stored copy, so saving re-reads it.
func AttachmentData(raw []byte, index int) (Attachment, []byte, error) {
	p, data := readMessage(raw, index)
	if index < 0 || index >= len(p.Attachments) {
		return Attachment{}, nil, fmt.Errorf("mail: attachment %d: %w", index, ErrNoAttachment)
	}
	return p.Attachments[index], data, nil
}

// readMessage does the work of Parse and also returns the decoded bytes of
// attachment want (none if want < 0). Both callers walk the whole message
// the same way, so an index always names the same part.
func readMessage(raw []byte, want int) (Parsed, []byte) {
	var p Parsed
	if len(bytes.TrimSpace(raw)) == 0 {
		return p, nil
	}
	h, body, ok := readMessageHeader(raw)
	p.readHeader(h)

	w := partWalker{want: want}
	var out bodyParts
	if ok {
		w.walk(h, body, 0, &out, "text/plain")
	} else {
		w.broken = true
	}
	p.Attachments = w.atts
	p.HTML = strings.Join(out.html, "\n")
	p.Text = strings.Join(out.text, "\n\n")
	if p.Text == "" && p.HTML != "" {
		p.Text = htmlToText(p.HTML)
	}
	// Mail clients show whatever text they could recover from a damaged
	// structure; the raw source is the last resort, for when none was.
	if w.broken && p.Text == "" && p.HTML == "" {
		p.Broken = true
		p.Text = strings.ToValidUTF8(string(raw), "\uFFFD")
	}
	markInline(p.Attachments, p.HTML)
	return p, w.data
}

// markInline keeps Inline only for parts the HTML really shows: an image
// with a Content-ID that nothing references would otherwise be hidden from
// the attachment list and never seen.
func markInline(atts []Attachment, htmlBody string) {
	var refs map[string]bool
	for i := range atts {
		if !atts[i].Inline {
			continue
		}
		if refs == nil {
			refs = cidReferences(htmlBody)
		}
		atts[i].Inline = refs[atts[i].ContentID]
	}
}

// cidReferences collects the Content-IDs that "cid:" URLs in the HTML name.
func cidReferences(s string) map[string]bool {
	refs := map[string]bool{}
	for i := 0; i+4 <= len(s); i++ {
		if s[i]|0x20 != 'c' || s[i+1]|0x20 != 'i' || s[i+2]|0x20 != 'd' || s[i+3] != ':' {
			continue
		}
		end := i + 4
		for end < len(s) && !strings.ContainsRune("\"' <>)\t\r\n", rune(s[end])) {
			end++
		}
		id := s[i+4 : end]
		if u, err := url.PathUnescape(id); err == nil {
			id = u
		}
		refs[html.UnescapeString(id)] = true
		i = end - 1
	}
	return refs
}

// readMessageHeader skips an mbox "From " line, which imports carry and which
// is not a header field (unlike "From : …", obsolete syntax for the From
// field), then reads the header block. ok is false when the message does not
// start with a header at all.
func readMessageHeader(raw []byte) (header, []byte, bool) {
	if bytes.HasPrefix(raw, []byte("From ")) && !bytes.HasPrefix(bytes.TrimLeft(raw[5:], " \t"), []byte(":")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			raw = raw[i+1:]
		}
	}
	return readHeaderBlock(raw)
}

// headerField is one field of a header block, unfolded.
type headerField struct{ name, value string }

// header is a header block in document order. Field names compare without
// regard to case (RFC 5322 §1.2.2).
type header []headerField

// Get returns the first value of a field, or "".
func (h header) Get(name string) string {
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return ""
}

// Values returns every value of a field, topmost first.
func (h header) Values(name string) []string {
	var out []string
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			out = append(out, f.value)
		}
	}
	return out
}

// readHeaderBlock reads header fields up to the blank line and returns the
// body after it, as a slice of b so that nothing is copied. It reads what
// mail clients read rather than only what RFC 5322 allows:
//   - "From :" (white space before the colon) is obs-optional syntax (§4.5.3);
//   - a line that is not "Name: value" and does not start with white space is
//     a fold that lost its indentation when a field with a well-known name
//     (knownField) follows it closely (maxStrayLines) before the blank line,
//     and is joined to the field above; otherwise the blank line is missing
//     and the body starts there, "Regards: Bob" lines included.
//
// ok is false when the block holds no field and does not end at a blank line.
func readHeaderBlock(b []byte) (h header, body []byte, ok bool) {
	type span struct {
		name     string
		from, to int
	}
	var spans []span
	joinUntil := 0 // lines before this offset are known to be followed by a field
	pos, blank := 0, false
	for pos < len(b) {
		line, next := headerLine(b, pos)
		if len(line) == 0 {
			body, blank = b[next:], true
			break
		}
		if name, value, isField := splitField(line); isField {
			spans = append(spans, span{name, pos + value, next})
		} else if line[0] != ' ' && line[0] != '\t' && pos >= joinUntil {
			if at, found := fieldFollows(b, next); found {
				joinUntil = at
			} else {
				body = b[pos:]
				break
			}
		}
		// A continuation, or a stray line joined to the field above; before
		// the first field there is nothing to join it to, so it is skipped.
		if n := len(spans); n > 0 {
			spans[n-1].to = next
		}
		pos = next
	}
	if len(spans) == 0 {
		return nil, body, blank
	}
	h = make(header, len(spans))
	for i, s := range spans {
		h[i] = headerField{s.name, unfold(b[s.from:s.to])}
	}
	return h, body, true
}

// headerLine returns the line starting at pos without its line break, and
// where the next one starts.
func headerLine(b []byte, pos int) ([]byte, int) {
	end, next := len(b), len(b)
	if i := bytes.IndexByte(b[pos:], '\n'); i >= 0 {
		end, next = pos+i, pos+i+1
	}
	return bytes.TrimSuffix(b[pos:end], []byte("\r")), next
}

// splitField recognises "Name: value" and "Name : value": a name of
// printable ASCII (RFC 5322 §2.2). value is the offset just after the colon.
func splitField(line []byte) (name string, value int, ok bool) {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return "", 0, false
	}
	n := bytes.TrimRight(line[:i], " \t")
	if len(n) == 0 {
		return "", 0, false
	}
	for _, c := range n {
		if c < '!' || c > '~' {
			return "", 0, false
		}
	}
	return string(n), i + 1, true
}

// maxStrayLines bounds how many lines that are no field can sit between two
// fields and still be a fold: a body that follows the header without its
// blank line must not be swallowed by a "Word: …" line further down.
const maxStrayLines = 2

// fieldFollows reports whether a field with a well-known name comes after
// from, before the blank line and within maxStrayLines, and where. The
// first "Word: …" line decides: one with another name is the body's own.
func fieldFollows(b []byte, from int) (int, bool) {
	for pos, n := from, 1; pos < len(b) && n <= maxStrayLines; n++ {
		line, next := headerLine(b, pos)
		if len(line) == 0 {
			return 0, false
		}
		if name, _, ok := splitField(line); ok {
			return pos, knownField(name)
		}
		pos = next
	}
	return 0, false
}

// knownFields are the header fields mail software writes (RFC 5322 §3.6,
// RFC 2045, RFC 8601, RFC 6376 and common extensions): after a stray line,
// only one of these shows that the header goes on.
var knownFields = []string{
	"from", "sender", "reply-to", "to", "cc", "bcc", "subject", "date", "message-id",
	"in-reply-to", "references", "comments", "keywords", "mime-version", "received",
	"return-path", "delivered-to", "envelope-to", "dkim-signature", "domainkey-signature",
	"authentication-results", "received-spf", "organization", "user-agent", "importance",
	"priority", "precedence", "auto-submitted", "thread-topic", "thread-index",
	"disposition-notification-to", "errors-to", "feedback-id", "autocrypt",
}

// knownFieldPrefixes name families of fields: Content-Type, List-Unsubscribe,
// X-Mailer, Resent-From, ARC-Seal…
var knownFieldPrefixes = []string{"content-", "list-", "x-", "resent-", "arc-"}

func knownField(name string) bool {
	name = strings.ToLower(name)
	if slices.Contains(knownFields, name) {
		return true
	}
	for _, p := range knownFieldPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// unfold joins a field's lines with one space each, as RFC 5322 §2.2.3
// unfolding followed by the usual trimming gives.
func unfold(v []byte) string {
	var sb strings.Builder
	sb.Grow(len(v))
	for len(v) > 0 {
		line := v
		if i := bytes.IndexByte(v, '\n'); i >= 0 {
			line, v = v[:i], v[i+1:]
		} else {
			v = nil
		}
		if line = bytes.Trim(line, " \t\r"); len(line) > 0 {
			if sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			sb.Write(line)
		}
	}
	return sb.String()
}

// readHeader fills the envelope fields; it also runs on a partially read
// header so a broken message still shows who sent it and when.
func (p *Parsed) readHeader(h header) {
	p.MessageID = firstMsgID(h.Get("Message-Id"))
	p.InReplyTo = firstMsgID(h.Get("In-Reply-To"))
	p.References = msgIDs(h.Get("References"))
	p.Topic = decodeHeaderText(h.Get("Subject"))
	p.Date = parseDate(h.Get("Date"))
	p.From = parseAddrs(strings.Join(h.Values("From"), ", "))
	p.To = parseAddrs(strings.Join(h.Values("To"), ", "))
	p.Cc = parseAddrs(strings.Join(h.Values("Cc"), ", "))
	p.Bcc = parseAddrs(strings.Join(h.Values("Bcc"), ", "))
	p.ReplyTo = parseAddrs(strings.Join(h.Values("Reply-To"), ", "))
	p.AuthResults = h.Values("Authentication-Results")
}

// bodyParts collects the displayable text and HTML bodies met during a walk.
type bodyParts struct{ text, html []string }

// partWalker walks the MIME tree once, collecting bodies and numbering
// attachments in document order.
type partWalker struct {
	want   int // attachment whose decoded bytes AttachmentData wants; -1 while parsing
	atts   []Attachment
	data   []byte
	broken bool // some structure could not be read; what was recovered is still shown
}

// walk reads one entity; body is a slice of the raw message, never copied.
func (w *partWalker) walk(h header, body []byte, depth int, out *bodyParts, defaultType string) {
	mt, params := contentType(h, defaultType)
	if strings.HasPrefix(mt, "multipart/") {
		if depth >= maxPartDepth || params["boundary"] == "" {
			w.broken = true
			return
		}
		w.walkMultipart(mt, params["boundary"], body, depth, out)
		return
	}
	w.leaf(h, mt, params, body, out)
}

func (w *partWalker) walkMultipart(mt, boundary string, body []byte, depth int, out *bodyParts) {
	childType := "text/plain"
	if mt == "multipart/digest" {
		childType = "message/rfc822" // RFC 2046 §5.1.5
	}
	parts, found := splitMultipart(body, boundary)
	if !found {
		w.broken = true
		return
	}
	alternative := mt == "multipart/alternative"
	var best bodyParts
	for _, part := range parts {
		h, content, ok := readHeaderBlock(part)
		if !ok {
			// A part without header must still start with a blank line
			// (RFC 2046 §5.1.1); without one, all of it is the body.
			h, content = nil, part
		}
		if !alternative {
			w.walk(h, content, depth+1, out, childType)
			continue
		}
		// Alternatives are ordered from plainest to richest (RFC 2046 §5.1.4):
		// keep the last text and the last HTML rendering offered.
		var b bodyParts
		w.walk(h, content, depth+1, &b, childType)
		if len(b.text) > 0 {
			best.text = b.text
		}
		if len(b.html) > 0 {
			best.html = b.html
		}
	}
	out.text = append(out.text, best.text...)
	out.html = append(out.html, best.html...)
}

// splitMultipart cuts a multipart body at its delimiter lines (RFC 2046
// §5.1.1) as mail clients do: a line starting "--boundary" then white space
// and junk still opens a part, "--boundary--" closes the multipart whatever
// follows it, and a missing close delimiter (truncated download, sloppy
// mailer) ends the last part at the end of the body. The line break before
// a delimiter belongs to the delimiter. found is false when no delimiter
// line is found; a close delimiter alone is an empty multipart, not a
// broken one.
func splitMultipart(body []byte, boundary string) (parts [][]byte, found bool) {
	delim := []byte("--" + boundary)
	start := -1 // where the current part's content starts; -1 in the preamble
	for from := 0; from < len(body); {
		i := bytes.Index(body[from:], delim)
		if i < 0 {
			break
		}
		at := from + i
		from = at + len(delim)
		if at > 0 && body[at-1] != '\n' {
			continue
		}
		line, next := headerLine(body, at)
		rest := line[len(delim):]
		closing := bytes.HasPrefix(rest, []byte("--"))
		if !closing {
			if rest = bytes.TrimRight(rest, " \t"); len(rest) > 0 && rest[0] != ' ' && rest[0] != '\t' {
				continue // a longer boundary, such as a nested part's
			}
		}
		if start >= 0 {
			content := body[start:max(at-1, start)]
			parts = append(parts, bytes.TrimSuffix(content, []byte("\r")))
		}
		if closing {
			return parts, true
		}
		start, from = next, next
	}
	if start >= 0 {
		parts = append(parts, body[min(start, len(body)):])
	}
	return parts, start >= 0
}

func (w *partWalker) leaf(h header, mt string, params map[string]string, data []byte, out *bodyParts) {
	disposition, dparams := parseMediaHeader(h.Get("Content-Disposition"))
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	encoding := strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding")))

	if (mt == "text/plain" || mt == "text/html") && disposition != "attachment" && name == "" {
		s := decodeCharset(transferDecode(data, encoding), params["charset"], mt == "text/html")
		if mt == "text/html" {
			if strings.TrimSpace(s) != "" {
				out.html = append(out.html, s)
			}
			return
		}
		s = strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), " \t\r\n")
		if s != "" {
			out.text = append(out.text, s)
		}
		return
	}

	a := Attachment{
		Index:       len(w.atts),
		ContentType: mt,
		ContentID:   firstMsgID(h.Get("Content-Id")),
	}
	a.Inline = a.ContentID != "" && disposition != "attachment" // confirmed by markInline

	var decoded []byte
	wanted := a.Index == w.want
	embedded := mt == "message/rfc822" || mt == "message/global"
	if wanted || embedded && name == "" {
		decoded = transferDecode(data, encoding)
		if encoding != "base64" && encoding != "quoted-printable" {
			decoded = bytes.Clone(decoded) // still the reused buffer or the raw message
		}
		a.Size = len(decoded)
	} else {
		a.Size = decodedSize(data, encoding)
	}
	name = decodeHeaderText(name)
	if name == "" && embedded {
		name = embeddedTopic(decoded) + ".eml"
	} else if name == "" {
		name = "attachment" + extensionFor(mt)
	}
	a.Filename = SafeFilename(name)
	if wanted {
		w.data = decoded
	}
	w.atts = append(w.atts, a)
}

// contentType falls back to the context's default when the header is absent
// or unusable, as RFC 2045 §5.2 asks.
func contentType(h header, defaultType string) (string, map[string]string) {
	v := h.Get("Content-Type")
	if strings.TrimSpace(v) == "" {
		return defaultType, map[string]string{}
	}
	mt, params := parseMediaHeader(v)
	if i := strings.IndexByte(mt, '/'); i <= 0 || i == len(mt)-1 {
		return "text/plain", params
	}
	return mt, params
}

// parseMediaHeader reads "value; a=b; c*=utf-8'fr'd%C3%A9" leniently: a malformed
// parameter is skipped instead of failing the header, because one stray
// character must not cost the user a charset or an attachment name. It
// decodes RFC 2231 continuations in any charset (mime.ParseMediaType only
// knows UTF-8 and ASCII there).
func parseMediaHeader(v string) (string, map[string]string) {
	fields := splitUnquoted(v, ';')
	value := strings.ToLower(strings.TrimSpace(fields[0]))
	params := make(map[string]string, len(fields)-1)

	type segment struct {
		n       int
		value   string
		encoded bool
	}
	var extended map[string][]segment
	for _, f := range fields[1:] {
		k, val, ok := strings.Cut(f, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || k == "" {
			continue
		}
		val = unquote(strings.TrimSpace(val))
		name, rest, star := strings.Cut(k, "*")
		if !star {
			if _, dup := params[k]; !dup {
				params[k] = val
			}
			continue
		}
		seg := segment{encoded: rest == "" || strings.HasSuffix(rest, "*")}
		if rest = strings.TrimSuffix(rest, "*"); rest != "" {
			n, err := strconv.Atoi(rest)
			if err != nil || n < 0 || n > 999 {
				continue
			}
			seg.n = n
		}
		seg.value = val
		if extended == nil {
			extended = map[string][]segment{}
		}
		extended[name] = append(extended[name], seg)
	}

	for name, segs := range extended {
		slices.SortStableFunc(segs, func(a, b segment) int { return a.n - b.n })
		var buf []byte
		cs := ""
		for i, s := range segs {
			val := s.value
			if i == 0 && s.encoded {
				if parts := strings.SplitN(val, "'", 3); len(parts) == 3 {
					cs, val = parts[0], parts[2]
				}
			}
			if s.encoded {
				buf = appendPercentDecoded(buf, val)
			} else {
				buf = append(buf, val...)
			}
		}
		params[name] = decodeCharset(buf, cs, false)
	}
	return value, params
}

// splitUnquoted splits s at sep outside double-quoted strings.
func splitUnquoted(s string, sep byte) []string {
	var out []string
	quoted, escaped, start := false, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case escaped:
			escaped = false
		case c == '\\' && quoted:
			escaped = true
		case c == '"':
			quoted = !quoted
		case c == sep && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// unquote removes one level of RFC 5322 quoting; an unterminated quote
// keeps the rest of the value rather than losing it.
func unquote(s string) string {
	if !strings.HasPrefix(s, `"`) {
		return s
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			return b.String()
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// appendPercentDecoded keeps malformed escapes literally.
func appendPercentDecoded(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if hi, lo := unhex(s[i+1]), unhex(s[i+2]); hi >= 0 && lo >= 0 {
				dst = append(dst, byte(hi<<4|lo))
				i += 2
				continue
			}
		}
		dst = append(dst, s[i])
	}
	return dst
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// transferDecode undoes Content-Transfer-Encoding. Unknown encodings are kept
// as they are: showing undecoded bytes beats showing nothing.
func transferDecode(data []byte, encoding string) []byte {
	switch encoding {
	case "base64":
		return decodeBase64Lenient(data)
	case "quoted-printable":
		return decodeQPLenient(data)
	}
	return data
}

// decodedSize avoids materialising large base64 attachments just to size them.
func decodedSize(data []byte, encoding string) int {
	switch encoding {
	case "base64":
		n, _ := base64Walk(data, nil)
		return n
	case "quoted-printable":
		return len(decodeQPLenient(data))
	}
	return len(data)
}

func decodeBase64Lenient(data []byte) []byte {
	n, _ := base64Walk(data, nil)
	_, out := base64Walk(data, make([]byte, 0, n))
	return out
}

// base64Values maps a byte to its base64 value (both alphabets), 0xfe for
// padding, 0xff for anything else. Built once, only read.
var base64Values = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range len(std) {
		t[std[i]] = byte(i)
	}
	t['-'], t['_'], t['='] = 62, 63, 0xfe
	return t
}()

// base64Walk decodes leniently: characters outside the alphabet are skipped
// and padding only closes the current quantum, so line-wise padded or
// damaged attachments still yield everything readable. With dst nil it
// only counts.
func base64Walk(data, dst []byte) (int, []byte) {
	var q [4]byte
	n, size := 0, 0
	for _, c := range data {
		v := base64Values[c]
		if v < 64 {
			q[n] = v
			if n++; n == 4 {
				size += 3
				if dst != nil {
					dst = append(dst, q[0]<<2|q[1]>>4, q[1]<<4|q[2]>>2, q[2]<<6|q[3])
				}
				n = 0
			}
			continue
		}
		if v == 0xfe { // padding closes the quantum
			size, dst = base64Tail(q, n, size, dst)
			n = 0
		}
	}
	size, dst = base64Tail(q, n, size, dst)
	return size, dst
}

// base64Tail emits the bytes of an incomplete quantum.
func base64Tail(q [4]byte, n, size int, dst []byte) (int, []byte) {
	if n < 2 {
		return size, dst
	}
	if dst != nil {
		dst = append(dst, q[0]<<2|q[1]>>4)
		if n == 3 {
			dst = append(dst, q[1]<<4|q[2]>>2)
		}
	}
	return size + n - 1, dst
}

// decodeQPLenient decodes quoted-printable, keeping malformed "=" sequences
// literally as most mail readers do (mime/quotedprintable stops at them).
func decodeQPLenient(data []byte) []byte {
	out := make([]byte, 0, len(data))
	for len(data) > 0 {
		line := data
		var eol []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
			eol = []byte("\n")
			if bytes.HasSuffix(line, []byte("\r")) {
				line = line[:len(line)-1]
				eol = []byte("\r\n")
			}
		} else {
			data = nil
		}
		line = bytes.TrimRight(line, " \t") // transport padding, RFC 2045 §6.7 rule 3
		if bytes.HasSuffix(line, []byte("=")) {
			line, eol = line[:len(line)-1], nil // soft line break
		}
		for i := 0; i < len(line); i++ {
			if line[i] == '=' && i+2 < len(line) {
				if hi, lo := unhex(line[i+1]), unhex(line[i+2]); hi >= 0 && lo >= 0 {
					out = append(out, byte(hi<<4|lo))
					i += 2
					continue
				}
			}
			out = append(out, line[i])
		}
		out = append(out, eol...)
	}
	return out
}

// decodeCharset turns a body or parameter into UTF-8. Labels lie often
// enough that invalid "ASCII" is read as windows-1252, and unknown charsets
// fall back to UTF-8 when the bytes are valid UTF-8, else to windows-1252
// too: a few wrong accents beat a lost message.
func decodeCharset(b []byte, cs string, isHTML bool) string {
	cs = strings.ToLower(strings.Trim(strings.TrimSpace(cs), `"'`))
	switch cs {
	case "", "us-ascii", "ascii", "utf-8", "utf8", "unicode-1-1-utf-8":
		if utf8.Valid(b) {
			return string(b)
		}
		if cs == "utf-8" || cs == "utf8" {
			return strings.ToValidUTF8(string(b), "\uFFFD")
		}
		if isHTML && cs == "" {
			if enc, name, _ := htmlcharset.DetermineEncoding(b, ""); name != "" && name != "windows-1252" {
				if out, err := enc.NewDecoder().Bytes(b); err == nil {
					return strings.ToValidUTF8(string(out), "\uFFFD")
				}
			}
		}
		return windows1252(b)
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252", "x-cp1252":
		// WHATWG reads Latin-1 labels as windows-1252, which mailers meant.
		return windows1252(b)
	}
	r, err := charset.Reader(cs, bytes.NewReader(b))
	if err != nil {
		// An unknown label on valid UTF-8 is most likely UTF-8 under a
		// made-up or misspelt name: reading it as windows-1252 would turn
		// every accent into mojibake.
		if utf8.Valid(b) {
			return string(b)
		}
		return windows1252(b)
	}
	out, _ := io.ReadAll(r) // a decoding error mid-way keeps what was converted
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

func windows1252(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		if c < utf8.RuneSelf {
			sb.WriteByte(c)
		} else {
			sb.WriteRune(charmap.Windows1252.DecodeByte(c))
		}
	}
	return sb.String()
}

// headerWordDecoder decodes RFC 2047 words in any charset; an unknown label
// reads valid UTF-8 as UTF-8 and anything else as windows-1252, so it does
// not keep the whole header encoded.
func headerWordDecoder() *mime.WordDecoder {
	return &mime.WordDecoder{CharsetReader: func(cs string, r io.Reader) (io.Reader, error) {
		switch strings.ToLower(cs) {
		case "windows-1252", "cp1252", "latin1", "iso8859-1":
			return charmap.Windows1252.NewDecoder().Reader(r), nil
		}
		if cr, err := charset.Reader(cs, r); err == nil {
			return cr, nil
		}
		b, err := io.ReadAll(r) // an encoded word is at most a header line
		if err != nil {
			return nil, err
		}
		if utf8.Valid(b) {
			return bytes.NewReader(b), nil // as decodeCharset does for bodies
		}
		return charmap.Windows1252.NewDecoder().Reader(bytes.NewReader(b)), nil
	}}
}

// decodeHeaderText handles raw 8-bit headers (read as windows-1252 unless
// they are valid UTF-8, RFC 6532) and encoded words.
func decodeHeaderText(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	if !utf8.ValidString(v) {
		v = windows1252([]byte(v))
	}
	if strings.Contains(v, "=?") {
		if d, err := headerWordDecoder().DecodeHeader(v); err == nil {
			v = d
		}
	}
	return strings.TrimSpace(cleanHeaderRunes(v))
}

// cleanHeaderRunes repairs invalid UTF-8, drops control characters (they
// garble lists and logs) and maps C1 controls, which appear when
// "iso-8859-1" words really carry windows-1252 quotes and dashes.
func cleanHeaderRunes(v string) string {
	clean := utf8.ValidString(v)
	for _, r := range v {
		if r < 0x20 || r >= 0x7f && r <= 0x9f {
			clean = false
			break
		}
	}
	if clean {
		return v
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f:
			return -1
		case r >= 0x80 && r <= 0x9f:
			return charmap.Windows1252.DecodeByte(byte(r))
		}
		return r
	}, strings.ToValidUTF8(v, "\uFFFD"))
}

// firstMsgID returns the first <id> of a header, or the bare trimmed value
// when a mailer forgot the brackets.
func firstMsgID(v string) string {
	if ids := msgIDs(v); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

func msgIDs(v string) []string {
	v = strings.ToValidUTF8(v, "")
	var ids []string
	for rest := v; ; {
		i := strings.IndexByte(rest, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '>')
		if j < 0 {
			break
		}
		if id := strings.TrimSpace(rest[i+1 : i+j]); id != "" {
			ids = append(ids, id)
		}
		rest = rest[i+j+1:]
	}
	if len(ids) > 0 {
		return ids
	}
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return unicode.IsSpace(r) || r == ',' }) {
		if f = strings.Trim(f, "<>"); f != "" {
			ids = append(ids, f)
		}
	}
	return ids
}

// parseDate accepts what net/mail accepts plus the zone-less, ANSI C and
// ISO forms some mailers and gateways still write.
func parseDate(v string) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	if t, err := netmail.ParseDate(v); err == nil {
		return t.UTC()
	}
	if i := strings.IndexByte(v, '('); i > 0 {
		v = v[:i] // trailing comment such as "(Central European Time)"
	}
	v = strings.Join(strings.Fields(v), " ")
	for _, layout := range [...]string{
		"Mon, 2 Jan 2006 15:04:05 -0700",
		"Mon, 2 Jan 2006 15:04:05 MST",
		"Mon, 2 Jan 2006 15:04:05",
		"2 Jan 2006 15:04:05",
		"Mon, 2 Jan 2006 15:04",
		"Monday, 2 January 2006 15:04:05 -0700",
		"Monday, 2 January 2006 15:04 -0700",
		"Mon, 2 January 2006 15:04:05 -0700",
		"Mon, 2-Jan-2006 15:04:05 -0700",
		"Mon Jan 2 15:04:05 2006",
		"Mon Jan 2 15:04:05 -0700 2006",
		"Mon Jan 2 15:04:05 MST 2006",
		time.RFC3339,
		"2006-01-02 15:04:05 -0700",
		"2006-01-02 15:04:05",
	} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// parseAddrs reads an address list entry by entry, so one bad entry does
// not hide the others. Each entry loses its comments (RFC 5322 §3.2.2) and
// its group name (§3.4) first; net/mail reads what is left, and a salvage
// reading takes over when it refuses.
func parseAddrs(v string) []Addr {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	if !utf8.ValidString(v) {
		v = windows1252([]byte(v))
	}
	parser := netmail.AddressParser{WordDecoder: headerWordDecoder()}
	var out []Addr
	for _, item := range splitAddressList(v) {
		item, comment := stripComments(item)
		if item = withoutGroup(item); item == "" {
			continue
		}
		var a Addr
		if na, err := parser.Parse(item); err == nil {
			a = Addr{Name: na.Name, Address: na.Address}
		} else if la, ok := looseAddr(item); ok {
			a = la
		} else {
			continue
		}
		// net/mail leaves encoded words inside a quoted name as they are,
		// as RFC 2047 §5 says; every mail client decodes them.
		if strings.Contains(a.Name, "=?") {
			a.Name = decodeHeaderText(a.Name)
		}
		if a.Name == "" && comment != "" {
			a.Name = decodeHeaderText(comment) // "foo@bar (Foo Bar)", the old way of naming
		}
		out = append(out, Addr{Name: strings.TrimSpace(cleanHeaderRunes(a.Name)), Address: strings.TrimSpace(a.Address)})
	}
	return out
}

// stripComments removes the comments of one address-list entry, nested or
// not, outside quoted strings. It returns the entry without them and, when
// the only comments follow the whole address (before any ";" that closes a
// group), their text: mail clients show it as the name of an address that
// has none. Comments inside the address or the name annotate it and are
// dropped.
func stripComments(s string) (string, string) {
	if !strings.Contains(s, "(") {
		return s, ""
	}
	type comment struct {
		at   int // length of the stripped entry when the comment ended
		text string
	}
	var (
		b, text  strings.Builder
		comments []comment
		depth    int
		quoted   bool
		escaped  bool
		closed   bool // a ";" closed the group: later comments name nothing
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case depth > 0:
			switch {
			case escaped:
				escaped = false
				text.WriteByte(c)
			case c == '\\':
				escaped = true
			case c == '(':
				depth++
				text.WriteByte(c)
			case c == ')':
				if depth--; depth > 0 {
					text.WriteByte(c)
					continue
				}
				if !closed {
					comments = append(comments, comment{b.Len(), text.String()})
				}
				text.Reset()
				// A comment separates words ("John(x)Smith"), but next to
				// "@", "." or "<" it only disappears.
				if b.Len() > 0 && i+1 < len(s) && isAddrWordByte(b.String()[b.Len()-1]) && isAddrWordByte(s[i+1]) {
					b.WriteByte(' ')
				}
			default:
				text.WriteByte(c)
			}
		case escaped:
			escaped = false
			b.WriteByte(c)
		case c == '\\':
			escaped = true
			b.WriteByte(c)
		case c == '"':
			quoted = !quoted
			b.WriteByte(c)
		case quoted:
			b.WriteByte(c)
		case c == '(':
			depth = 1
		default:
			if c == ';' {
				closed = true
			}
			b.WriteByte(c)
		}
	}
	out := b.String()
	end := len(strings.TrimRight(out, " \t;"))
	var name []string
	for _, c := range comments {
		if c.at < end {
			return out, "" // a comment inside the address or its name
		}
		if t := strings.TrimSpace(c.text); t != "" {
			name = append(name, t)
		}
	}
	return out, strings.Join(name, " ")
}

// isAddrWordByte tells the bytes of words and local parts from white space
// and the specials that separate them.
func isAddrWordByte(c byte) bool {
	return c > ' ' && !strings.ContainsRune(`()<>[]:;@\,."`, rune(c))
}

// withoutGroup removes a group's "name:" and closing ";" (RFC 5322 §3.4),
// which splitting the list at commas leaves on its first and last entries.
func withoutGroup(s string) string {
	s = strings.TrimSpace(s)
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '<' || c == '@':
			i = len(s)
		case c == ':':
			s = s[i+1:]
			i = len(s)
		}
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ";"))
}

// splitAddressList splits at commas outside quotes and comments. Angle
// brackets are not tracked: an unclosed "<" must not swallow the next entry.
func splitAddressList(v string) []string {
	var out []string
	quoted, escaped := false, false
	paren, start := 0, 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case escaped:
			escaped = false
		case c == '\\':
			escaped = true
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(':
			paren++
		case c == ')' && paren > 0:
			paren--
		case c == ',' && paren == 0:
			out = append(out, v[start:i])
			start = i + 1
		}
	}
	return append(out, v[start:])
}

// looseAddr salvages "Name <addr" style garbage that net/mail refuses.
func looseAddr(s string) (Addr, bool) {
	if s = strings.TrimSpace(s); s == "" {
		return Addr{}, false
	}
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		addr := s[i+1:]
		if j := strings.IndexByte(addr, '>'); j >= 0 {
			addr = addr[:j]
		}
		name := decodeHeaderText(strings.Trim(strings.TrimSpace(s[:i]), `"'`))
		a := Addr{Name: name, Address: strings.TrimSpace(addr)}
		return a, a.Name != "" || a.Address != ""
	}
	if strings.Contains(s, "@") {
		return Addr{Address: strings.Trim(s, `"'<> `)}, true
	}
	name := decodeHeaderText(strings.Trim(s, `"`))
	return Addr{Name: name}, strings.IndexFunc(name, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// embeddedTopic names a forwarded message after its subject, as mail
// clients do.
func embeddedTopic(msg []byte) string {
	h, _, _ := readHeaderBlock(msg)
	if s := decodeHeaderText(h.Get("Subject")); s != "" {
		return s
	}
	return "message"
}

// extensionFor gives unnamed parts a usable extension so the saved file opens.
func extensionFor(mt string) string {
	switch mt {
	case "image/png":
		return ".png"
	case "image/jpeg", "image/jpg", "image/pjpeg":
		return ".jpg"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	case "application/pdf":
		return ".pdf"
	case "text/calendar":
		return ".ics"
	case "text/plain":
		return ".txt"
	case "text/html":
		return ".html"
	case "message/rfc822", "message/global":
		return ".eml"
	case "text/vcard", "text/x-vcard":
		return ".vcf"
	case "application/pgp-signature":
		return ".asc"
	}
	return ""
}

const maxFilenameBytes = 120

// SafeFilename neutralises a name from a message for saving: no path
// separators or "..", no control or bidi-override characters, no leading
// dots, at most 120 bytes (cut on a rune boundary, keeping the extension),
// "attachment" if nothing is left.
func SafeFilename(name string) string {
	name = strings.ToValidUTF8(name, "")
	// Only the last path element: "../../.bashrc" or "C:\x\y.exe" must not
	// choose where the file lands.
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			return ' '
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r):
			return -1 // controls, and format characters such as U+202E that fake extensions
		case strings.ContainsRune(`<>:"|?*`, r):
			return '_' // reserved on Windows; ":" also names NTFS streams
		}
		return r
	}, name)
	for strings.Contains(name, "..") {
		name = strings.ReplaceAll(name, "..", ".")
	}
	// Windows drops trailing dots and spaces, which would change the extension.
	name = strings.TrimRight(strings.TrimLeft(name, ". "), ". ")
	if name == "" {
		return "attachment"
	}
	if isReservedWindowsName(name) {
		name = "_" + name
	}
	if len(name) <= maxFilenameBytes {
		return name
	}
	stem, ext := name, ""
	if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= 16 {
		stem, ext = name[:i], name[i:]
	}
	cut := maxFilenameBytes - len(ext)
	for cut > 0 && !utf8.RuneStart(stem[cut]) {
		cut--
	}
	stem = strings.TrimRight(stem[:cut], ". ")
	if stem == "" {
		stem = "attachment"
	}
	return stem + ext
}

func isReservedWindowsName(name string) bool {
	base, _, _ := strings.Cut(name, ".")
	switch base = strings.ToUpper(strings.TrimSpace(base)); base {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	return len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) &&
		base[3] >= '1' && base[3] <= '9'
}

// htmlToText renders HTML as plain text for search and previews: tags
// dropped, blocks on their own lines, entities decoded, whitespace collapsed.
// It scans by hand rather than with html.Tokenizer, which costs about three
// times more on the large HTML-only newsletters sync meets all the time;
// the rendering only feeds search and previews, never display.
func htmlToText(src string) string {
	var w textWriter
	w.b.Grow(len(src) / 4)
	pre := 0
	for i := 0; i < len(src); {
		lt := strings.IndexByte(src[i:], '<')
		if lt < 0 {
			w.htmlText(src[i:], pre > 0)
			break
		}
		w.htmlText(src[i:i+lt], pre > 0)
		i += lt
		rest := src[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest[4:], "-->")
			if end < 0 {
				i = len(src)
			} else {
				i += 4 + end + 3
			}
			continue
		case len(rest) > 1 && (rest[1] == '!' || rest[1] == '?'):
			i += tagEnd(rest)
			continue
		}
		closing := len(rest) > 1 && rest[1] == '/'
		nameStart := 1
		if closing {
			nameStart = 2
		}
		n := nameStart
		if n < len(rest) && (rest[n]|0x20) >= 'a' && (rest[n]|0x20) <= 'z' { // names start with a letter
			for n < len(rest) && isASCIIAlnum(rest[n]) {
				n++
			}
		}
		if n == nameStart {
			w.htmlText("<", pre > 0) // a lone "<" is text
			i++
			continue
		}
		a := lookupTag(rest[nameStart:n])
		i += tagEnd(rest)
		if !closing && (a == atom.Script || a == atom.Style || a == atom.Title || a == atom.Template ||
			a == atom.Noscript || a == atom.Textarea) {
			i += skipRawText(src[i:], rest[nameStart:n])
			continue
		}
		switch a {
		case atom.Br:
			w.newline(1)
		case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote,
			atom.Ul, atom.Ol, atom.Table, atom.Dl, atom.Hr:
			w.newline(2)
		case atom.Pre:
			w.newline(2)
			if !closing {
				pre++
			} else if pre > 0 {
				pre--
			}
		case atom.Li:
			w.newline(1)
			if !closing {
				w.marker("- ")
			}
		case atom.Div, atom.Tr, atom.Dt, atom.Dd, atom.Section, atom.Article, atom.Header,
			atom.Footer, atom.Address, atom.Center, atom.Caption, atom.Figure, atom.Main,
			atom.Nav, atom.Aside, atom.Form:
			w.newline(1)
		case atom.Td, atom.Th:
			w.space = true
		}
	}
	return strings.TrimSpace(w.b.String())
}

func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// lookupTag maps a tag name in any case to its atom without allocating.
func lookupTag(name string) atom.Atom {
	var buf [12]byte
	if len(name) > len(buf) {
		return 0
	}
	for i := 0; i < len(name); i++ {
		buf[i] = name[i] | 0x20 // names are ASCII letters and digits here
	}
	return atom.Lookup(buf[:len(name)])
}

// tagEnd returns the length of the tag starting s, quoted attribute values
// included; an unterminated tag runs to the end, as in a browser.
func tagEnd(s string) int {
	var quote byte
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '>':
			return i + 1
		case (c == '"' || c == '\'') && s[i-1] == '=':
			quote = c
		}
	}
	return len(s)
}

// skipRawText returns the length up to and including the end tag of name.
func skipRawText(s, name string) int {
	for i := 0; ; {
		j := strings.Index(s[i:], "</")
		if j < 0 {
			return len(s)
		}
		i += j + 2
		if len(s)-i >= len(name) && strings.EqualFold(s[i:i+len(name)], name) {
			return i + tagEnd(s[i-2:]) - 2
		}
	}
}

// textWriter collapses whitespace the way a browser would, with explicit
// line breaks taking precedence.
type textWriter struct {
	b         strings.Builder
	newlines  int  // pending line breaks
	space     bool // pending space
	lineStart bool
}

func (w *textWriter) newline(n int) {
	if w.b.Len() > 0 && n > w.newlines {
		w.newlines = n
	}
	w.space = false
}

func (w *textWriter) flush() {
	if w.newlines > 0 {
		w.b.WriteString("\n\n"[:w.newlines])
		w.newlines, w.space, w.lineStart = 0, false, true
	}
	if w.b.Len() == 0 {
		w.lineStart = true
	}
}

func (w *textWriter) marker(s string) {
	w.flush()
	w.b.WriteString(s)
	w.space, w.lineStart = false, false
}

// htmlText writes a run of HTML text, decoding entities.
func (w *textWriter) htmlText(s string, pre bool) {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	w.text(s, pre)
}

func (w *textWriter) text(s string, pre bool) {
	if pre {
		w.flush()
		w.b.WriteString(strings.ReplaceAll(s, "\r\n", "\n"))
		w.lineStart = strings.HasSuffix(s, "\n")
		return
	}
	for len(s) > 0 {
		if n := spacePrefix(s); n > 0 {
			w.space = true
			s = s[n:]
			continue
		}
		word := len(s)
		for i := 0; i < len(s); {
			n := spacePrefix(s[i:])
			if n > 0 {
				word = i
				break
			}
			if s[i] < utf8.RuneSelf {
				i++
			} else {
				_, size := utf8.DecodeRuneInString(s[i:])
				i += size
			}
		}
		w.flush()
		if w.space && !w.lineStart {
			w.b.WriteByte(' ')
		}
		w.space, w.lineStart = false, false
		w.b.WriteString(s[:word])
		s = s[word:]
	}
}

// spacePrefix returns the byte length of the white space (Unicode's, so
// &nbsp; too) that s starts with.
func spacePrefix(s string) int {
	n := 0
	for n < len(s) {
		if c := s[n]; c < utf8.RuneSelf {
			if c != ' ' && (c < '\t' || c > '\r') {
				return n
			}
			n++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[n:])
		if !unicode.IsSpace(r) {
			return n
		}
		n += size
	}
	return n
}
