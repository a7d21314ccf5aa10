package mail

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"testing"
	"time"
)

// pipeConn is a net.Conn reading from a buffer, for the benchmark.
type pipeConn struct {
	io.Reader
	net.Conn
}

func (c pipeConn) Read(p []byte) (int, error)    { return c.Reader.Read(p) }
func (c pipeConn) SetDeadline(t time.Time) error { return nil }
func (c pipeConn) Close() error                  { return nil }

// BenchmarkScreen measures what the screen costs per message on top of
// go-imap's own reading: each FETCH of a 6 KB message parsed and checked.
func BenchmarkScreen(b *testing.B) {
	body := bytes.Repeat([]byte("Bonjour, voici le devis demandé pour la semaine prochaine.\r\n"), 100)
	var stream bytes.Buffer
	const n = 1000
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&stream, "* %d FETCH (UID %d FLAGS (\\Seen) BODY[] {%d}\r\n%s)\r\n", i, i, len(body), body)
	}
	b.SetBytes(int64(stream.Len()))
	for b.Loop() {
		s := newScreen(pipeConn{Reader: bytes.NewReader(stream.Bytes())}, "")
		if _, err := io.Copy(io.Discard, s); err != nil {
			b.Fatal(err)
		}
		if s.refused != nil {
			b.Fatal(s.refused)
		}
	}
}
