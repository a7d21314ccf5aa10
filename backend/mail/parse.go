package mail

import (
	"bufio"
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
	"github.com/emersion/go-message/textproto"
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
	Subject     string    // encoded words decoded (RFC 2047), any charset
	Date        time.Time // UTC; zero if missing or unparseable
	From        []Addr
	To          []Addr
	Cc          []Addr
	Bcc         []Addr
	ReplyTo     []Addr
	Text        string // text/plain body, or a plain rendering of the HTML so search and previews work
	HTML        string // raw text/html body in UTF-8, not sanitised (Sanitize does that at display time)
	Attachments []Attachment
	Broken      bool // the MIME structure could not be read fully; Text then holds the raw message
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
// MIME gives Broken=true and the raw text in Text (invalid UTF-8 replaced);
// unknown charsets fall back to windows-1252 rather than dropping the text.
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
	h, body, err := readMessageHeader(raw)
	p.readHeader(h)

	w := partWalker{want: want, size: len(body)}
	var out bodyParts
	if err != nil {
		w.broken = true
	} else {
		w.walk(h, bytes.NewReader(body), body, 0, &out, "text/plain")
	}
	p.Attachments = w.atts
	p.HTML = strings.Join(out.html, "\n")
	p.Text = strings.Join(out.text, "\n\n")
	if p.Text == "" && p.HTML != "" {
		p.Text = htmlToText(p.HTML)
	}
	if w.broken {
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
// is not a header field, then reads the header block. It returns the body
// as a slice of raw so that single-part messages are never copied.
func readMessageHeader(raw []byte) (textproto.Header, []byte, error) {
	if bytes.HasPrefix(raw, []byte("From ")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			raw = raw[i+1:]
		}
	}
	rd := bytes.NewReader(raw)
	br := bufio.NewReader(rd)
	h, err := textproto.ReadHeader(br)
	body := raw[len(raw)-rd.Len()-br.Buffered():]
	if err != nil {
		return h, body, fmt.Errorf("mail: parse header: %w", err)
	}
	return h, body, nil
}

// readHeader fills the envelope fields; it also runs on a partially read
// header so a broken message still shows who sent it and when.
func (p *Parsed) readHeader(h textproto.Header) {
	p.MessageID = firstMsgID(h.Get("Message-Id"))
	p.InReplyTo = firstMsgID(h.Get("In-Reply-To"))
	p.References = msgIDs(h.Get("References"))
	p.Subject = decodeHeaderText(h.Get("Subject"))
	p.Date = parseDate(h.Get("Date"))
	p.From = parseAddrs(strings.Join(h.Values("From"), ", "))
	p.To = parseAddrs(strings.Join(h.Values("To"), ", "))
	p.Cc = parseAddrs(strings.Join(h.Values("Cc"), ", "))
	p.Bcc = parseAddrs(strings.Join(h.Values("Bcc"), ", "))
	p.ReplyTo = parseAddrs(strings.Join(h.Values("Reply-To"), ", "))
}

// bodyParts collects the displayable text and HTML bodies met during a walk.
type bodyParts struct{ text, html []string }

// partWalker walks the MIME tree once, collecting bodies and numbering
// attachments in document order.
type partWalker struct {
	want      int // attachment whose decoded bytes AttachmentData wants; -1 while parsing
	atts      []Attachment
	data      []byte
	broken    bool
	truncated bool   // the input ended inside a part: later "missing boundary" errors are expected
	buf       []byte // reused between parts; nothing may keep a reference to it
	size      int    // the body's length, which no part exceeds
}

// readPart reads one part's undecoded body into the walker's buffer, which
// the next part overwrites: syncing thousands of messages should not pay
// for a fresh buffer per part.
func (w *partWalker) readPart(r io.Reader) ([]byte, error) {
	if w.buf == nil {
		// Sized once: grown by doubling, a 50 MB attachment left 50 MB more
		// of garbage behind it.
		w.buf = make([]byte, 0, w.size+bytes.MinRead)
	}
	buf := bytes.NewBuffer(w.buf[:0])
	_, err := buf.ReadFrom(r)
	w.buf = buf.Bytes()[:0]
	return buf.Bytes(), err
}

// walk reads one entity from r; whole, when not nil, is the same body
// already in memory, which spares a copy.
func (w *partWalker) walk(h textproto.Header, r io.Reader, whole []byte, depth int, out *bodyParts, defaultType string) {
	mt, params := contentType(h, defaultType)
	if strings.HasPrefix(mt, "multipart/") {
		if depth >= maxPartDepth || params["boundary"] == "" {
			w.broken = true
			return
		}
		w.walkMultipart(mt, params["boundary"], r, depth, out)
		return
	}
	data, err := whole, error(nil)
	if whole == nil {
		data, err = w.readPart(r)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		// A missing closing boundary (truncated download, sloppy mailer) still
		// leaves the part's bytes usable.
		w.truncated = true
	} else if err != nil {
		w.broken = true
	}
	w.leaf(h, mt, params, data, out)
}

func (w *partWalker) walkMultipart(mt, boundary string, r io.Reader, depth int, out *bodyParts) {
	childType := "text/plain"
	if mt == "multipart/digest" {
		childType = "message/rfc822" // RFC 2046 §5.1.5
	}
	alternative := mt == "multipart/alternative"
	var best bodyParts
	mr := textproto.NewMultipartReader(r, boundary)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			if !w.truncated {
				w.broken = true
			}
			break
		}
		if !alternative {
			w.walk(part.Header, part, nil, depth+1, out, childType)
			continue
		}
		// Alternatives are ordered from plainest to richest (RFC 2046 §5.1.4):
		// keep the last text and the last HTML rendering offered.
		var b bodyParts
		w.walk(part.Header, part, nil, depth+1, &b, childType)
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

func (w *partWalker) leaf(h textproto.Header, mt string, params map[string]string, data []byte, out *bodyParts) {
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
		name = embeddedSubject(decoded) + ".eml"
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
func contentType(h textproto.Header, defaultType string) (string, map[string]string) {
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
// fall back to it too: a few wrong accents beat a lost message.
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

// headerWordDecoder decodes RFC 2047 words in any charset, falling back to
// windows-1252 so an unknown label does not keep the whole header encoded.
func headerWordDecoder() *mime.WordDecoder {
	return &mime.WordDecoder{CharsetReader: func(cs string, r io.Reader) (io.Reader, error) {
		switch strings.ToLower(cs) {
		case "windows-1252", "cp1252", "latin1", "iso8859-1":
			return charmap.Windows1252.NewDecoder().Reader(r), nil
		}
		if cr, err := charset.Reader(cs, r); err == nil {
			return cr, nil
		}
		return charmap.Windows1252.NewDecoder().Reader(r), nil
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

// parseAddrs parses an address list strictly first, then element by element,
// then by hand, so one bad entry does not hide the others.
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
	add := func(a *netmail.Address) {
		out = append(out, Addr{Name: strings.TrimSpace(cleanHeaderRunes(a.Name)), Address: strings.TrimSpace(a.Address)})
	}
	if list, err := parser.ParseList(v); err == nil {
		for _, a := range list {
			add(a)
		}
		return out
	}
	for _, item := range splitAddressList(v) {
		if a, err := parser.Parse(item); err == nil {
			add(a)
		} else if a, ok := looseAddr(item); ok {
			out = append(out, a)
		}
	}
	return out
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
	s = strings.TrimSpace(s)
	if k := strings.IndexByte(s, ':'); k >= 0 && !strings.ContainsAny(s[:k], `"<@`) {
		s = s[k+1:] // group name, RFC 5322 §3.4
	}
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ";"))
	if s == "" {
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

// embeddedSubject names a forwarded message after its subject, as mail
// clients do.
func embeddedSubject(msg []byte) string {
	h, _ := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(msg))) // a partial header may still name it
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
