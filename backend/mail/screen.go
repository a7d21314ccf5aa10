package mail

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"
	"github.com/emersion/go-imap/responses"
)

// go-imap v1 reads the server's responses in a goroutine of its own and
// hands each to its handlers there, where a panic cannot be recovered: it
// ends the program. Some malformed responses do panic ("* EXPUNGE" without
// a number, "* 1 FETCH" without its items, found by FuzzIMAPSync), and
// every literal is allocated at the size the server announces, up to 4 GiB.
// So go-imap never reads from the network itself: it reads from a screen
// that parses each response first, with go-imap's own parser, tries it on
// go-imap's handlers under recover, and passes its bytes on only if they
// came through. Otherwise the connection ends with ErrUnreadableResponse,
// which the sync reports as a protocol error (ConnProtocol). The screen
// sits above TLS: STARTTLS is negotiated before go-imap gets the
// connection (startTLS below).

// ErrUnreadableResponse is why the screen ended a connection: the server
// sent something go-imap cannot take.
var ErrUnreadableResponse = errors.New("mail: the server sent a response Carnet cannot read")

// maxLiteral bounds a literal (a message's bytes) the server may announce
// when no lower limit was set (limitLiterals); no mail server accepts a
// message that size.
const maxLiteral = 256 << 20

// A literal over smallLiteral is let through only as a message's content
// in a FETCH (BODY[…], BINARY[…], RFC822…), and is not held by the screen:
// it is checked as an empty literal and its bytes go straight from the
// network to go-imap, so a 50 MB message is not kept in memory twice more.
// Outside literals, what the screen holds of one response is bounded by
// maxHeld.
const (
	smallLiteral = 1 << 20
	maxHeld      = 16 << 20
)

// bodyLiteral matches a response up to a literal that is a message's
// content: "* 12 FETCH (UID 5 BODY[] {52428800}".
var bodyLiteral = regexp.MustCompile(`(?is)^\* [0-9]+ FETCH \(.*(BODY(\.PEEK)?\[[^\]"]*\]|BINARY(\.PEEK)?\[[^\]"]*\]|RFC822|RFC822\.TEXT|RFC822\.HEADER)(<[0-9]+>)? \{[0-9]+\+?\}$`)

// IMAPClient is a go-imap client reading through a screen.
type IMAPClient struct {
	*client.Client
	screen *screen
	tls    bool
}

// IsTLS reports whether the connection is encrypted, by TLS from the start
// or after STARTTLS.
func (c *IMAPClient) IsTLS() bool { return c.tls }

// Logout logs out and closes the connection, whether or not the server
// closes it as it should after its BYE: a server that keeps it open would
// otherwise keep go-imap's reading goroutine for ever.
func (c *IMAPClient) Logout() error {
	err := c.Client.Logout()
	c.screen.Close()
	return err
}

// cause returns why the screen ended the connection, if it did: go-imap
// itself only reports that the connection closed.
func (c *IMAPClient) cause(err error) error {
	if refused := c.screen.refusal(); err != nil && refused != nil {
		return refused
	}
	return err
}

// screen is the connection go-imap reads from. Only go-imap's reading
// goroutine calls Read.
//
// The parser reads, through br, what feed gives: first subq, then pending,
// then the network; seen keeps the bytes it took from pending and the
// network and that are not passed on yet. After a big literal, subq holds
// the response read so far with that literal emptied ("{0}"): the parser
// reads the response again from its start while the literal's bytes went
// to go-imap unread.
type screen struct {
	net.Conn
	br  *bufio.Reader
	r   *imap.Reader
	out []byte // checked bytes go-imap has not read yet
	big int64  // bytes of a big literal still to pass from the network to go-imap
	err error  // how the connection ended, once it has

	seen    []byte
	pending []byte // read from the network, taken by nobody yet
	sub     []byte // the current response as the parser reads it again
	subq    []byte // what the parser has not read of sub yet

	maxLit atomic.Int64               // the biggest literal let through
	guard  atomic.Pointer[fetchGuard] // what the FETCH under way may bring, if set
	bigs   int64                      // bytes of big literals passed in the current response

	mu      sync.Mutex
	refused error // why the screen ended it, if it did
}

// refusal returns why the screen ended the connection, or nil.
func (s *screen) refusal() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// limitLiterals refuses, from now on, literals over n bytes: the sync sets
// it from the size limit of messages, so a server announcing more than it
// may send ends the connection at once.
func (s *screen) limitLiterals(n int64) { s.maxLit.Store(min(n, maxLiteral)) }

// expect bounds, from now on, the messages' content of the FETCH responses
// to come by g (nil: only by limitLiterals). The sync sets it before each
// UID FETCH and clears it after: go-imap has read every response to a
// command when the command returns.
func (s *screen) expect(g *fetchGuard) { s.guard.Store(g) }

// fetchGuard bounds what one FETCH may bring as messages' content, and
// is checked before go-imap allocates any of it: RFC822.SIZE alone bounds
// nothing, a server may announce 10 bytes and send 3 MB. The literals of
// one UID together stay within its cap (what the server announced for it,
// plus an eighth; a fixed cap for a header), and all of them within total.
// A literal for a UID not asked for is refused. Once given to the screen,
// only go-imap's reading goroutine touches it.
type fetchGuard struct {
	caps map[uint32]int64
	most int64 // the biggest cap: for a literal whose UID comes after it
	left int64 // bytes still allowed in all
	used map[uint32]int64
}

func newFetchGuard(caps map[uint32]int64, total int64) *fetchGuard {
	g := &fetchGuard{caps: caps, left: total, used: map[uint32]int64{}}
	for _, c := range caps {
		g.most = max(g.most, c)
	}
	return g
}

// tooBigError is a message's content refused for its size: more than the
// server announced for that UID allows.
type tooBigError struct {
	uid       uint32
	size, cap int64
}

func (e *tooBigError) Error() string {
	return fmt.Sprintf("%v: message UID %d comes as %s, more than the %s its announced size allows; the next sync keeps its header only",
		ErrUnreadableResponse, e.uid, sizeText(e.size), sizeText(e.cap))
}

// sizeText says n bytes in MB (10⁶ bytes, as the size limit) when it is
// as much.
func sizeText(n int64) string {
	if n < 1e6 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%d MB", n/1e6)
}

func (e *tooBigError) Unwrap() error { return ErrUnreadableResponse }

func unreadable(why string) error { return fmt.Errorf("%w: %s", ErrUnreadableResponse, why) }

// check refuses n more bytes of content for uid (known: said in the
// response), or returns nil.
func (g *fetchGuard) check(uid uint32, known bool, n int64) error {
	if n == 0 {
		return nil
	}
	limit, asked := g.caps[uid]
	switch {
	case !known:
		limit = g.most
	case !asked:
		return unreadable(fmt.Sprintf("a message's content for UID %d, which was not asked for", uid))
	}
	if n > limit-g.used[uid] {
		if !known {
			return unreadable(fmt.Sprintf("a message's content of %d bytes, over what any message asked for may be", n))
		}
		return &tooBigError{uid: uid, size: g.used[uid] + n, cap: limit}
	}
	if n > g.left {
		return unreadable("messages' content beyond the bytes announced for them all")
	}
	return nil
}

// uidBefore finds the UID a FETCH response names before a literal.
var uidBefore = regexp.MustCompile(`(?i)[ (]UID ([0-9]+)[ )]`)

// admitBig checks a big literal of size bytes at its announcement, text
// being the response up to it: against the cap of the UID named before
// it, if any, or the biggest cap. admit checks the whole response again.
func (g *fetchGuard) admitBig(text []byte, size, before int64) error {
	uid, known := uint32(0), false
	if m := uidBefore.FindSubmatch(text); m != nil {
		if n, err := strconv.ParseUint(string(m[1]), 10, 32); err == nil {
			uid, known = uint32(n), true
		}
	}
	return g.check(uid, known, before+size)
}

// admit checks a whole FETCH response, bigs being the bytes of the big
// literals in it that went to go-imap already, and counts what it brings.
func (g *fetchGuard) admit(resp imap.Resp, bigs int64) error {
	name, fields, ok := imap.ParseNamedResp(resp)
	if !ok || name != "FETCH" || len(fields) < 2 {
		return nil
	}
	items, _ := fields[1].([]any)
	var uid uint32
	n := bigs + literalBytesIn(items)
	for i := 0; i+1 < len(items); i += 2 {
		if k, err := imap.ParseString(items[i]); err == nil && strings.EqualFold(k, "UID") {
			uid, _ = imap.ParseNumber(items[i+1]) // the last one, as go-imap reads it
		}
	}
	if err := g.check(uid, true, n); err != nil {
		return err
	}
	g.used[uid] += n
	g.left -= n
	return nil
}

// literalBytesIn adds up the literals anywhere in fields.
func literalBytesIn(fields []any) int64 {
	var n int64
	for _, f := range fields {
		switch f := f.(type) {
		case imap.Literal:
			n += int64(f.Len())
		case []any:
			n += literalBytesIn(f)
		}
	}
	return n
}

// feed is the screen's parser's source.
type feed struct{ s *screen }

var errHeldTooLong = errors.New("response too long")

func (f feed) Read(p []byte) (int, error) {
	s := f.s
	if len(s.subq) > 0 {
		n := copy(p, s.subq)
		s.subq = s.subq[n:]
		return n, nil
	}
	if len(s.seen) > maxHeld {
		return 0, errHeldTooLong
	}
	var n int
	var err error
	if len(s.pending) > 0 {
		n = copy(p, s.pending)
		s.pending = s.pending[n:]
	} else {
		n, err = s.Conn.Read(p)
	}
	s.seen = append(s.seen, p[:n]...)
	return n, err
}

// newScreen screens conn; first, if not empty, is passed on before
// anything read from conn (a greeting of our own after STARTTLS).
func newScreen(conn net.Conn, first string) *screen {
	s := &screen{Conn: conn, out: []byte(first)}
	s.br = bufio.NewReader(feed{s})
	s.r = imap.NewReader(s.br)
	s.r.MaxLiteralSize = smallLiteral
	s.maxLit.Store(maxLiteral)
	return s
}

func (s *screen) Read(p []byte) (int, error) {
	for len(s.out) == 0 && s.big == 0 && s.err == nil {
		s.next()
	}
	if len(s.out) > 0 {
		n := copy(p, s.out)
		s.out = s.out[n:]
		return n, nil
	}
	if s.big > 0 {
		p = p[:min(int64(len(p)), s.big)]
		var n int
		var err error
		if len(s.pending) > 0 {
			n = copy(p, s.pending)
			s.pending = s.pending[n:]
		} else {
			n, err = s.Conn.Read(p)
		}
		s.big -= int64(n)
		if err != nil {
			s.big, s.err = 0, err
		}
		return n, err
	}
	return 0, s.err
}

// next reads one response and decides what to pass on.
func (s *screen) next() {
	resp, err := s.parse()
	n := len(s.seen) - s.br.Buffered()
	var refusal error
	switch {
	case err == nil:
		if why := fits(resp); why != "" {
			refusal = unreadable(why)
		} else if g := s.guard.Load(); g != nil {
			refusal = g.admit(resp, s.bigs)
		}
	case errors.Is(err, errHeldTooLong):
		refusal = unreadable(fmt.Sprintf("a response over %d MiB besides messages' content", maxHeld>>20))
	case strings.Contains(err.Error(), "literal exceeding maximum size"): // go-imap v1's text
		if refusal = s.passLiteral(n); refusal == nil {
			return
		}
	case errors.Is(err, errParserPanic):
		refusal = unreadable(err.Error())
	case s.sub != nil && imap.IsParseError(err):
		// go-imap would skip it after a message it has already taken.
		refusal = unreadable("a message's content followed by a response that cannot be parsed")
	case imap.IsParseError(err) && n > 0:
		// go-imap reports it and goes on after the same bytes.
	case imap.IsParseError(err):
		refusal = unreadable("a response that cannot be parsed")
	default:
		// The end of the connection, after what came before it.
		s.err = err
	}
	if refusal != nil {
		s.refuse(refusal)
		return
	}
	s.out = s.seen[:n:n]
	s.seen = s.seen[n:]
	s.sub, s.subq, s.bigs = nil, nil, 0
}

func (s *screen) refuse(err error) {
	s.err = err
	s.mu.Lock()
	s.refused = s.err
	s.mu.Unlock()
	s.Conn.Close()
}

// passLiteral handles the parser stopping at a literal over smallLiteral,
// the last n bytes of seen it consumed ending with its "{size}". If the
// literal is a message's content within the limit, it passes on what came
// before and the line end, lets the literal's bytes follow unread, and
// has the parser read the response again with the literal emptied. It
// returns why not otherwise.
func (s *screen) passLiteral(n int) error {
	text := append(slices.Clip(s.sub), s.seen[:n]...)
	open := bytes.LastIndexByte(text, '{')
	if open < 0 || !bytes.HasSuffix(text, []byte("}")) {
		return unreadable("a literal Carnet cannot read")
	}
	size, err := strconv.ParseInt(strings.TrimSuffix(string(text[open+1:len(text)-1]), "+"), 10, 64)
	if err != nil {
		return unreadable("a literal Carnet cannot read")
	}
	// The guard first: what it refuses for a UID's size it names, so that
	// the sync can keep that message as its header the next time.
	if g := s.guard.Load(); g != nil && bodyLiteral.Match(text) {
		if err := g.admitBig(text, size, s.bigs); err != nil {
			return err
		}
	}
	switch {
	case size > s.maxLit.Load():
		return unreadable(fmt.Sprintf("a literal of %s, over the %s allowed", sizeText(size), sizeText(s.maxLit.Load())))
	case !bodyLiteral.Match(text):
		return unreadable(fmt.Sprintf("a literal over %d MiB that is not a message's content", smallLiteral>>20))
	}
	// What follows, from the bytes the parser had buffered on.
	rest := append(slices.Clip(s.seen[n:]), s.pending...)
	s.br.Discard(s.br.Buffered())
	for len(rest) < 2 && !(len(rest) == 1 && rest[0] == '\n') {
		var b [2]byte
		k, err := s.Conn.Read(b[:2-len(rest)])
		rest = append(rest, b[:k]...)
		if err != nil {
			s.err = err
			return nil
		}
	}
	eol := 2
	switch {
	case rest[0] == '\n':
		eol = 1 // go-imap takes a bare LF
	case rest[0] != '\r' || rest[1] != '\n':
		return unreadable("a literal announced without its line end")
	}
	s.out = append(append(make([]byte, 0, n+eol), s.seen[:n]...), rest[:eol]...)
	s.pending = rest[eol:]
	s.big = size
	s.bigs += size
	s.seen = nil
	s.sub = append(text[:open:open], "{0}\r\n"...)
	s.subq = s.sub
	return nil
}

var errParserPanic = errors.New("go-imap's parser panicked")

func (s *screen) parse() (resp imap.Resp, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w (%s)", errParserPanic, panicText(p))
		}
	}()
	return imap.ReadResp(s.r)
}

// everything is the UID set "1:*".
var everything = func() *imap.SeqSet {
	s := new(imap.SeqSet)
	s.AddRange(1, 0)
	return s
}()

// fits runs resp through what go-imap's reading goroutine may run it
// through: the checks its handler for unsolicited responses lacks, and
// the handlers of the commands Carnet sends, on throw-away state. It
// returns why resp would make go-imap panic, or "".
func fits(resp imap.Resp) (why string) {
	defer func() {
		if p := recover(); p != nil {
			why = "go-imap cannot take it (" + panicText(p) + ")"
		}
	}()
	if name, fields, ok := imap.ParseNamedResp(resp); ok {
		switch name {
		case "EXISTS", "RECENT", "EXPUNGE":
			if len(fields) < 1 {
				return name + " without its number"
			}
		case "FETCH": // its items are parsed by the FETCH handler below
			if len(fields) < 2 {
				return "FETCH without its items"
			}
		}
	}
	for _, h := range []responses.Handler{
		&responses.Select{}, &responses.Status{}, &responses.Search{},
		&responses.List{Mailboxes: make(chan *imap.MailboxInfo, 1)},
		&responses.Fetch{Messages: make(chan *imap.Message, 1), SeqSet: everything},
		&responses.Expunge{SeqNums: make(chan uint32, 1)},
	} {
		h.Handle(resp) // a refusal is go-imap's to report; only a panic matters
	}
	return ""
}

// panicText describes a panic without its value unless the runtime wrote
// it: what a server sent may be quoted in a value, and errors are logged.
func panicText(p any) string {
	if re, ok := p.(runtime.Error); ok {
		return re.Error()
	}
	return fmt.Sprintf("%T", p)
}

// startTLS asks for TLS on a plaintext connection, before go-imap has it,
// and returns the encrypted connection. Nothing the server sends before
// the handshake is kept: a response slipped in after its OK would
// otherwise be read as if it came encrypted.
func startTLS(conn net.Conn, cfg *tls.Config) (*tls.Conn, error) {
	r := bufio.NewReaderSize(conn, 4096)
	line := func() (string, error) {
		l, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return "", fmt.Errorf("%w: a line over 4 KiB before STARTTLS", ErrUnreadableResponse)
		}
		return string(l), err
	}
	greeting, err := line()
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(greeting, "* OK") {
		return nil, fmt.Errorf("%w: the greeting is not OK", ErrUnreadableResponse)
	}
	if _, err := io.WriteString(conn, "S1 STARTTLS\r\n"); err != nil {
		return nil, err
	}
	for {
		l, err := line()
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(l, "S1 ") {
			continue // untagged, such as capabilities
		}
		if !strings.HasPrefix(l, "S1 OK") {
			return nil, fmt.Errorf("mail: the server refused STARTTLS: %s", strings.TrimSpace(strings.TrimPrefix(l, "S1 ")))
		}
		break
	}
	if r.Buffered() > 0 {
		return nil, fmt.Errorf("%w: data after STARTTLS's answer", ErrUnreadableResponse)
	}
	tc := tls.Client(conn, cfg)
	if err := tc.Handshake(); err != nil {
		return nil, err
	}
	return tc, nil
}

// afterTLS is the greeting the screen gives go-imap after STARTTLS, whose
// real one was read before. It carries no capabilities: they are asked
// again over TLS, as RFC 3501 wants.
const afterTLS = "* OK TLS started\r\n"

// safely runs a go-imap call in a goroutine of Carnet's, where a panic
// would end the program as surely as in go-imap's own: it becomes an
// error. go-imap closes the channel the call fills on the way out, so the
// caller reading it is not left waiting.
func safely(call func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: go-imap panicked (%s)", ErrUnreadableResponse, panicText(p))
		}
	}()
	return call()
}

// parseFetched is Parse for a message from the server. Parse is fuzzed and
// must not panic; should it ever, on one message, the message is kept as
// unreadable MIME (shown as raw text) instead of stopping every sync
// there, and the panic is logged — its type, not the message.
func parseFetched(raw []byte) (p Parsed) {
	defer func() {
		if r := recover(); r != nil {
			p = Parsed{Broken: true}
			log.Printf("mail: parsing a fetched message panicked (%s); kept as raw text. This is a bug:\n%s", panicText(r), debug.Stack())
		}
	}()
	return Parse(raw)
}
