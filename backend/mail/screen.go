package mail

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

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

// maxLiteral bounds a literal (a message's bytes) the server may announce;
// no mail server accepts a message that size.
const maxLiteral = 256 << 20

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
type screen struct {
	net.Conn
	seen recorder // bytes read from the connection and not passed on
	br   *bufio.Reader
	r    *imap.Reader
	out  []byte // checked bytes go-imap has not read yet
	err  error  // how the connection ended, once it has

	mu      sync.Mutex
	refused error // why the screen ended it, if it did
}

// refusal returns why the screen ended the connection, or nil.
func (s *screen) refusal() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// recorder keeps what is read through it.
type recorder struct {
	r   io.Reader
	buf []byte
}

func (rc *recorder) Read(p []byte) (int, error) {
	n, err := rc.r.Read(p)
	rc.buf = append(rc.buf, p[:n]...)
	return n, err
}

// newScreen screens conn; first, if not empty, is passed on before
// anything read from conn (a greeting of our own after STARTTLS).
func newScreen(conn net.Conn, first string) *screen {
	s := &screen{Conn: conn, out: []byte(first)}
	s.seen.r = conn
	s.br = bufio.NewReader(&s.seen)
	s.r = imap.NewReader(s.br)
	s.r.MaxLiteralSize = maxLiteral
	return s
}

func (s *screen) Read(p []byte) (int, error) {
	for len(s.out) == 0 && s.err == nil {
		s.next()
	}
	if len(s.out) > 0 {
		n := copy(p, s.out)
		s.out = s.out[n:]
		return n, nil
	}
	return 0, s.err
}

// next reads one response and decides what to pass on.
func (s *screen) next() {
	resp, err := s.parse()
	n := len(s.seen.buf) - s.br.Buffered()
	raw := s.seen.buf[:n:n]
	s.seen.buf = s.seen.buf[n:]
	var why string
	switch {
	case err == nil:
		why = fits(resp)
	case strings.Contains(err.Error(), "literal exceeding maximum size"): // go-imap v1's text
		why = fmt.Sprintf("a literal over %d MiB", maxLiteral>>20)
	case errors.Is(err, errParserPanic):
		why = err.Error()
	case imap.IsParseError(err) && n > 0:
		// go-imap reports it and goes on after the same bytes.
	case imap.IsParseError(err):
		why = "a response that cannot be parsed"
	default:
		// The end of the connection, after what came before it.
		s.err = err
	}
	if why != "" {
		s.err = fmt.Errorf("%w: %s", ErrUnreadableResponse, why)
		s.mu.Lock()
		s.refused = s.err
		s.mu.Unlock()
		s.Conn.Close()
		return
	}
	s.out = raw
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
