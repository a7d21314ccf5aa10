package mail

import (
	"bufio"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/responses"
)

func parts(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

const (
	okLogin  = "$T OK [CAPABILITY IMAP4rev1 CONDSTORE] Logged in\r\n"
	okList   = "* LIST (\\HasNoChildren) \".\" INBOX\r\n$T OK List done\r\n"
	okStatus = "* STATUS INBOX (HIGHESTMODSEQ 1)\r\n$T OK Status done\r\n"
	okSelect = "* 1 EXISTS\r\n* OK [UIDVALIDITY 7] UIDs valid\r\n* OK [UIDNEXT 2] next\r\n$T OK [READ-WRITE] Select done\r\n"
	okLogout = "* BYE Logging out\r\n$T OK Logout done\r\n"
	newOne   = "* 1 FETCH (UID 1 RFC822.SIZE 20)\r\n$T OK done\r\n" // the new messages and their sizes
)

// Responses that panic go-imap's reading goroutine, which no recover can
// reach, end the connection instead: the sync fails with a protocol error
// and nothing is stored.
func TestResponsesThatPanicGoIMAPEndTheConnection(t *testing.T) {
	fx := newScriptFixture(t)
	for _, tc := range []struct {
		name   string
		script [][]byte
	}{
		{"EXPUNGE without a number", parts("* EXPUNGE\r\n"+okLogin, okList)},
		{"EXISTS without a number, a mailbox selected", parts(okLogin, okList, okStatus, "* EXISTS\r\n"+okSelect, okLogout)},
		{"FETCH without its items", parts(okLogin, okList, okStatus, okSelect, newOne, "* 1 FETCH\r\n$T OK done\r\n", okLogout)},
		{"a literal of 4 GiB announced", parts(okLogin, okList, okStatus, okSelect, newOne, "* 1 FETCH (UID 1 BODY[] {4294967295}\r\n", okLogout)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx.reset(t, false)
			res, err := fx.sync(t, tc.script)
			var ce *ConnError
			if !errors.As(err, &ce) || ce.Kind != ConnProtocol || !errors.Is(err, ErrUnreadableResponse) {
				t.Fatalf("want a protocol error, got %v", err)
			}
			if res.New != 0 || mailState(t, fx.db, fx.id).messages != 0 {
				t.Fatalf("stored something: %+v", res)
			}
		})
	}
}

// The screen passes on what go-imap skips by itself: a response its parser
// refuses costs that response, not the sync.
func TestParseErrorsPassAsGoIMAPTakesThem(t *testing.T) {
	fx := newScriptFixture(t)
	fx.reset(t, false)
	msg := "Subject: hi\r\n\r\nbody\r\n"
	_, err := fx.sync(t, parts(okLogin, "* LIST (\\HasNoChildren) \".\" INBOX\r\n* LIST (\\Sent \".\" Sent\r\n$T OK List done\r\n", okStatus, okSelect,
		newOne, "* 1 FETCH (UID 1 BODY[] {"+strconv.Itoa(len(msg))+"}\r\n"+msg+")\r\n$T OK done\r\n", okLogout))
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	if n := mailState(t, fx.db, fx.id).messages; n != 1 {
		t.Fatalf("%d messages stored, want 1", n)
	}
}

// What fits refuses does panic go-imap's handlers, which is why it is
// refused rather than passed on.
func TestFitsRefusesWhatPanicsGoIMAP(t *testing.T) {
	for _, line := range []string{"* 1 FETCH\r\n", "* EXPUNGE\r\n", "* EXISTS\r\n", "* RECENT\r\n"} {
		resp, err := imap.ReadResp(imap.NewReader(bufio.NewReader(strings.NewReader(line))))
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if fits(resp) == "" {
			t.Fatalf("%q passes", line)
		}
	}
	resp, _ := imap.ReadResp(imap.NewReader(bufio.NewReader(strings.NewReader("* 1 FETCH\r\n"))))
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("go-imap's FETCH handler took a FETCH without items: the screen may no longer be needed for it")
			}
		}()
		(&responses.Fetch{Messages: make(chan *imap.Message, 1), SeqSet: everything}).Handle(resp)
	}()
}

// STARTTLS is negotiated before go-imap has the connection; anything the
// server slips in after its OK and before the handshake is refused, not
// read later as if it had come encrypted.
func TestStartTLSRefusesInjectedResponses(t *testing.T) {
	for _, tc := range []struct {
		name, server string
		want         error
	}{
		{"response after OK", "* OK ready\r\nS1 OK Begin TLS\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n", ErrUnreadableResponse},
		{"greeting not OK", "* BYE go away\r\n", ErrUnreadableResponse},
		{"refused", "* OK ready\r\nS1 NO not now\r\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client, server := net.Pipe()
			defer client.Close()
			go func() {
				defer server.Close()
				io.WriteString(server, tc.server[:strings.Index(tc.server, "\n")+1])
				if rest := tc.server[strings.Index(tc.server, "\n")+1:]; rest != "" {
					bufio.NewReader(server).ReadString('\n') // S1 STARTTLS
					io.WriteString(server, rest)
				}
				io.Copy(io.Discard, server)
			}()
			_, err := startTLS(client, &tls.Config{ServerName: "localhost"})
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// A message's content over smallLiteral goes through the screen to go-imap
// byte for byte, however the network splits it, with what follows it in
// the same response; so do two of them in one response.
func TestScreenPassesBigMessageLiteralsUnchanged(t *testing.T) {
	body := func(n int, c byte) string { return "Subject: big\r\n\r\n" + strings.Repeat(string(c), n-16) }
	one, two := body(3<<20, 'a'), body(smallLiteral+1, 'b')
	stream := "* OK ready\r\n" +
		"* 1 FETCH (UID 7 FLAGS (\\Seen) BODY[] {" + strconv.Itoa(len(one)) + "}\r\n" + one + ")\r\n" +
		"* 2 FETCH (UID 8 BODY[HEADER] {" + strconv.Itoa(len(two)) + "}\n" + two + " BODY[] {" + strconv.Itoa(len(one)) + "+}\r\n" + one + " RFC822.SIZE 12)\r\n" +
		"A1 OK done\r\n"
	for _, piece := range []int{1, 7, 4096, len(stream)} {
		client := &trickle{r: strings.NewReader(stream), piece: piece}
		sc := newScreen(client, "")
		got, err := io.ReadAll(sc)
		if err != nil && !errors.Is(err, io.EOF) {
			t.Fatalf("pieces of %d: %v", piece, err)
		}
		if string(got) != stream {
			t.Fatalf("pieces of %d: go-imap got %d bytes, want the %d sent (refused: %v)", piece, len(got), len(stream), sc.refusal())
		}
	}
}

// trickle is a connection that delivers what r holds a few bytes at a time.
type trickle struct {
	net.Conn
	r     io.Reader
	piece int
}

func (c *trickle) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.piece)]) }
func (c *trickle) Close() error               { return nil }

// Big literals anywhere else, or over the limit, end the connection.
func TestScreenRefusesBigLiteralsOutsideMessagesOrOverTheLimit(t *testing.T) {
	big := strings.Repeat("x", smallLiteral+1)
	for _, tc := range []struct{ name, stream string }{
		{"a mailbox name", "* LIST () \".\" {" + strconv.Itoa(len(big)) + "}\r\n" + big + "\r\n"},
		{"a quoted BODY[] before it", "* 1 FETCH (X \"BODY[]\" {" + strconv.Itoa(len(big)) + "}\r\n" + big + ")\r\n"},
		{"2 GB of message", "* 1 FETCH (UID 1 BODY[] {2000000000}\r\n" + big},
		{"a message over the limit", "* 1 FETCH (UID 1 BODY[] {60000000}\r\n" + big},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client, server := net.Pipe()
			go func() {
				defer server.Close()
				io.WriteString(server, tc.stream)
			}()
			sc := newScreen(client, "")
			sc.limitLiterals(literalCap(50e6))
			got, _ := io.ReadAll(sc)
			if len(got) > 0 || !errors.Is(sc.refusal(), ErrUnreadableResponse) {
				t.Fatalf("passed %d bytes, refusal %v", len(got), sc.refusal())
			}
		})
	}
}

// A server announcing a 2 GB message ends the sync with a protocol error
// before it sends it; what the sync stored before stays, and the next
// sync resumes after it.
func TestTwoGigabyteLiteralEndsTheSyncAndKeepsWhatCameBefore(t *testing.T) {
	fx := newScriptFixture(t)
	fx.reset(t, false)
	msg := "From: paul@example.com\r\nSubject: hi\r\n\r\nbody\r\n"
	sizes := "* 1 FETCH (UID 1 RFC822.SIZE " + strconv.Itoa(len(msg)) + ")\r\n* 2 FETCH (UID 2 RFC822.SIZE 40000000)\r\n$T OK done\r\n"
	res, err := fx.sync(t, parts(okLogin, okList, okStatus, okSelect, sizes,
		"* 1 FETCH (UID 1 FLAGS () BODY[] {"+strconv.Itoa(len(msg))+"}\r\n"+msg+")\r\n$T OK done\r\n",
		"* 2 FETCH (UID 2 FLAGS () BODY[] {2147483648}\r\n"+strings.Repeat("x", 1<<16), okLogout))
	var ce *ConnError
	if !errors.As(err, &ce) || ce.Kind != ConnProtocol || !errors.Is(err, ErrUnreadableResponse) || !strings.Contains(err.Error(), "2147 MB") {
		t.Fatalf("want a protocol error naming the literal, got %v", err)
	}
	st := mailState(t, fx.db, fx.id)
	if res.New != 1 || st.messages != 1 || st.folders[0].lastUID != 1 {
		t.Fatalf("want message 1 kept and the sync to resume after it: %+v, %+v", res, st)
	}
}
