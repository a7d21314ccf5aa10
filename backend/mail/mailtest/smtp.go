package mailtest

import (
	"crypto/tls"
	"io"
	"log"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTP is an in-process submission server on 127.0.0.1 that keeps what it
// receives. It requires AUTH PLAIN with User and Password, allowed over
// plaintext since the connection never leaves loopback; STARTTLS is offered
// too, with a self-signed certificate.
type SMTP struct {
	Host       string // "127.0.0.1"
	Port       int
	User       string
	Password   string
	CertPEM    []byte // the STARTTLS certificate, for tests that trust it explicitly
	CertSHA256 string // hex SHA-256 of the DER certificate, for pinning tests

	tls *tls.Config

	mu      sync.Mutex
	srv     *smtp.Server // nil while stopped
	ln      net.Listener
	msgs    []Received
	failing bool
}

// Received is one message as the server got it.
type Received struct {
	From string   // MAIL FROM
	To   []string // RCPT TO, in order
	Data []byte   // the message as sent, headers and body
}

// errTemporary is what a busy or greylisting server answers.
var errTemporary = &smtp.SMTPError{
	Code:         451,
	EnhancedCode: smtp.EnhancedCode{4, 3, 0},
	Message:      "Temporary failure, try again later (mailtest)",
}

// NewSMTP starts an SMTP server on a random port, stopped when the test ends.
func NewSMTP(t testing.TB) *SMTP {
	t.Helper()
	s := &SMTP{Host: "127.0.0.1", User: "test", Password: "test-pass"}
	certPEM, keyPEM, sum, err := selfSignedCert()
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	s.CertPEM, s.CertSHA256 = certPEM, sum
	s.tls = &tls.Config{Certificates: []tls.Certificate{cert}}
	t.Cleanup(s.Stop)
	if err := s.listen(); err != nil {
		t.Fatalf("mailtest: SMTP: %v", err)
	}
	return s
}

// Addr is the server's address, host:port.
func (s *SMTP) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Messages returns what was received so far, oldest first.
func (s *SMTP) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

// SetFailing makes every transaction fail with a temporary 451 while true,
// for retry tests.
func (s *SMTP) SetFailing(failing bool) {
	s.mu.Lock()
	s.failing = failing
	s.mu.Unlock()
}

// Stop closes the listener and every connection; received messages stay.
func (s *SMTP) Stop() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		// Close the listener itself too: srv.Close only knows it once the
		// Serve goroutine has started, which a quick Stop can beat.
		ln.Close()
		srv.Close()
	}
}

// Start listens again on the same port after Stop. It panics when the port
// stays taken for 3 s, which a test cannot recover from anyway.
func (s *SMTP) Start() {
	deadline := time.Now().Add(3 * time.Second)
	for {
		err := s.listen()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			panic("mailtest: SMTP restart: " + err.Error())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *SMTP) listen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return nil
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(s.Host, strconv.Itoa(s.Port)))
	if err != nil {
		return err
	}
	s.Port = ln.Addr().(*net.TCPAddr).Port
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &smtpSession{s: s}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.TLSConfig = s.tls
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	srv.ErrorLog = log.New(io.Discard, "", 0) // t.Log would panic after the test
	s.srv, s.ln = srv, ln
	go srv.Serve(ln)
	return nil
}

func (s *SMTP) isFailing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failing
}

type smtpSession struct {
	s      *SMTP
	authed bool
	from   string
	to     []string
}

func (ss *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *smtpSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != ss.s.User || pass != ss.s.Password || (identity != "" && identity != user) {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	if ss.s.isFailing() {
		return errTemporary
	}
	ss.from = from
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if ss.s.isFailing() {
		return errTemporary
	}
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, Received{From: ss.from, To: ss.to, Data: data})
	ss.s.mu.Unlock()
	ss.to = nil
	return nil
}

func (ss *smtpSession) Reset() { ss.from, ss.to = "", nil }

func (ss *smtpSession) Logout() error { return nil }
