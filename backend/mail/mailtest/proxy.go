package mailtest

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
)

// Proxy is a loopback TCP proxy in front of a server, for "the connection
// drops in the middle" tests.
type Proxy struct {
	target string
	ln     net.Listener

	mu    sync.Mutex
	down  bool
	cut   int64 // bytes server→client left before cutting, 0 = never
	conns map[*proxyConn]struct{}
}

type proxyConn struct{ client, server net.Conn }

func (c *proxyConn) close() { c.client.Close(); c.server.Close() }

// NewProxy listens on a random loopback port and forwards every connection
// to target (host:port) until the test ends.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{target: target, ln: ln, conns: map[*proxyConn]struct{}{}}
	go p.accept()
	t.Cleanup(func() {
		ln.Close()
		p.dropAll()
	})
	return p
}

// Addr is the proxy's address, host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Port is the proxy's port.
func (p *Proxy) Port() int { return p.ln.Addr().(*net.TCPAddr).Port }

// CutAfter closes the current and next connections once n more bytes in
// all have gone from server to client (0 cancels). It fires once: later
// connections work normally, unless the proxy is Down. Exactly n bytes get
// through, so a test can cut inside a given response.
func (p *Proxy) CutAfter(n int64) {
	p.mu.Lock()
	p.cut = max(n, 0)
	p.mu.Unlock()
}

// Down drops every connection and closes new ones as soon as they are
// accepted, like a server that went away.
func (p *Proxy) Down() {
	p.mu.Lock()
	p.down = true
	p.mu.Unlock()
	p.dropAll()
}

// Up lets new connections through again.
func (p *Proxy) Up() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

func (p *Proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue
		}
		go p.serve(c)
	}
}

func (p *Proxy) serve(client net.Conn) {
	p.mu.Lock()
	down := p.down
	p.mu.Unlock()
	if down {
		client.Close()
		return
	}
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	c := &proxyConn{client, server}
	p.mu.Lock()
	if p.down { // went down while we dialled
		p.mu.Unlock()
		c.close()
		return
	}
	p.conns[c] = struct{}{}
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.conns, c)
		p.mu.Unlock()
		c.close()
	}()
	go func() {
		io.Copy(server, client)
		c.close()
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := server.Read(buf)
		if n > 0 {
			pass, cut := p.take(int64(n))
			if _, werr := client.Write(buf[:pass]); werr != nil {
				return
			}
			if cut {
				p.dropAll()
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// take spends n bytes of the cut budget: how many may pass, and whether the
// budget ran out.
func (p *Proxy) take(n int64) (pass int64, cut bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut == 0 {
		return n, false
	}
	if n < p.cut {
		p.cut -= n
		return n, false
	}
	pass, p.cut = p.cut, 0
	return pass, true
}

func (p *Proxy) dropAll() {
	p.mu.Lock()
	conns := make([]*proxyConn, 0, len(p.conns))
	for c := range p.conns {
		conns = append(conns, c)
	}
	p.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
}
