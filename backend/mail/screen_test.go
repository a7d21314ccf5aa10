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
