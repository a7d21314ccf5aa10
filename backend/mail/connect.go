package mail

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/emersion/go-imap/client"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// ConnKind says why a server could not be used, in words the user can act on.
type ConnKind string

const (
	ConnDNS         ConnKind = "dns"         // the host name does not exist
	ConnRefused     ConnKind = "refused"     // nothing listens on that port
	ConnTimeout     ConnKind = "timeout"     // no answer (offline, firewall)
	ConnCertificate ConnKind = "certificate" // the certificate is not trusted
	ConnTLS         ConnKind = "tls"         // TLS failed for another reason (wrong port for the mode)
	ConnLogin       ConnKind = "login"       // the server refused the user name or password
	ConnProtocol    ConnKind = "protocol"    // the server said something else went wrong
	ConnNetwork     ConnKind = "network"     // the connection broke
)

// ConnError is a failure to reach or use a server.
type ConnError struct {
	Kind   ConnKind
	Server string // "imap" or "smtp"
	Host   string
	// For certificate errors: the fingerprint the user may choose to trust.
	CertSHA256 string
	Err        error
}

func (e *ConnError) Error() string {
	return fmt.Sprintf("mail: %s %s: %s: %v", e.Server, e.Host, e.Kind, e.Err)
}
func (e *ConnError) Unwrap() error { return e.Err }

// Temporary says whether trying again later may succeed.
func (e *ConnError) Temporary() bool {
	switch e.Kind {
	case ConnTimeout, ConnNetwork, ConnRefused, ConnDNS:
		return true
	case ConnProtocol:
		var se *smtp.SMTPError
		return !errors.As(e.Err, &se) || se.Temporary()
	}
	return false
}

const dialTimeout = 20 * time.Second

// tlsConfig verifies the server's certificate against the system roots,
// or the account's own CA, or accepts exactly the pinned certificate.
func tlsConfig(a *Account, host string) (*tls.Config, error) {
	cfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if a.CAPEM != "" {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM([]byte(a.CAPEM)) {
			return nil, &FieldError{"caPem"}
		}
		cfg.RootCAs = pool
	}
	if a.PinnedCert != "" {
		pin := a.PinnedCert
		cfg.InsecureSkipVerify = true // replaced by the exact check below
		cfg.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 || fingerprint(cs.PeerCertificates[0]) != pin {
				return errors.New("the certificate is not the one trusted for this account")
			}
			return nil
		}
	}
	return cfg, nil
}

func fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return hex.EncodeToString(sum[:])
}

// classify turns a dial, TLS or login error into a ConnError.
func classify(server, host string, err error) error {
	if err == nil {
		return nil
	}
	var ce *ConnError
	if errors.As(err, &ce) {
		return err
	}
	e := &ConnError{Server: server, Host: host, Err: err}
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var netErr net.Error
	var recErr tls.RecordHeaderError
	switch {
	case errors.As(err, &dnsErr):
		e.Kind = ConnDNS
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Kind = ConnRefused
	case errors.As(err, &certErr):
		e.Kind = ConnCertificate
		if len(certErr.UnverifiedCertificates) > 0 {
			e.CertSHA256 = fingerprint(certErr.UnverifiedCertificates[0])
		}
	case errors.As(err, &unknown), errors.As(err, &hostErr), errors.As(err, &invalid):
		e.Kind = ConnCertificate
	case errors.Is(err, ErrUnreadableResponse):
		e.Kind = ConnProtocol
	case strings.Contains(err.Error(), "certificate is not the one trusted"):
		e.Kind = ConnCertificate
	case errors.As(err, &recErr):
		e.Kind = ConnTLS
	case errors.As(err, &netErr) && netErr.Timeout(), errors.Is(err, context.DeadlineExceeded):
		e.Kind = ConnTimeout
	default:
		e.Kind = ConnNetwork
	}
	return e
}

// peerCert reads the certificate a server presents without trusting it,
// so a certificate error can offer its fingerprint.
func peerCert(addr, host string, starttls func(net.Conn) error) string {
	conn, err := net.DialTimeout("tcp", addr, dialTimeout)
	if err != nil {
		return ""
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(dialTimeout))
	if starttls != nil {
		if err := starttls(conn); err != nil {
			return ""
		}
	}
	tc := tls.Client(conn, &tls.Config{ServerName: host, InsecureSkipVerify: true})
	if err := tc.Handshake(); err != nil || len(tc.ConnectionState().PeerCertificates) == 0 {
		return ""
	}
	return fingerprint(tc.ConnectionState().PeerCertificates[0])
}

// peerCertSMTP reads an SMTP server's certificate, after STARTTLS when
// the account uses it.
func peerCertSMTP(addr, host string, sec Security) string {
	if sec != STARTTLS {
		return peerCert(addr, host, nil)
	}
	return peerCert(addr, host, func(conn net.Conn) error {
		r := bufio.NewReader(conn)
		readReply := func() error {
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return err
				}
				if len(line) < 4 || line[3] != '-' {
					return nil
				}
			}
		}
		if err := readReply(); err != nil {
			return err
		}
		for _, cmd := range []string{"EHLO localhost\r\n", "STARTTLS\r\n"} {
			if _, err := io.WriteString(conn, cmd); err != nil {
				return err
			}
			if err := readReply(); err != nil {
				return err
			}
		}
		return nil
	})
}

// peerCertIMAP reads an IMAP server's certificate, after STARTTLS when
// the account uses it.
func peerCertIMAP(addr, host string, sec Security) string {
	if sec != STARTTLS {
		return peerCert(addr, host, nil)
	}
	return peerCert(addr, host, func(conn net.Conn) error {
		r := bufio.NewReader(conn)
		if _, err := r.ReadString('\n'); err != nil { // greeting
			return err
		}
		if _, err := io.WriteString(conn, "a1 STARTTLS\r\n"); err != nil {
			return err
		}
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return err
			}
			if strings.HasPrefix(line, "a1 ") {
				return nil
			}
		}
	})
}

// DialIMAP connects and logs in. go-imap reads through a screen (see
// screen.go), which needs TLS under it: so the connection, TLS and
// STARTTLS are made here rather than by go-imap.
func DialIMAP(ctx context.Context, a *Account) (*IMAPClient, error) {
	if err := a.CheckCleartext(); err != nil {
		return nil, err
	}
	host := a.IMAPHost
	addr := net.JoinHostPort(host, strconv.Itoa(a.IMAPPort))
	cfg, err := tlsConfig(a, host)
	if err != nil {
		return nil, err
	}
	c, err := dialScreened(addr, a.IMAPSecurity, cfg)
	if err != nil {
		e := classify("imap", host, err)
		if ce, ok := e.(*ConnError); ok && ce.Kind == ConnCertificate && ce.CertSHA256 == "" {
			ce.CertSHA256 = peerCertIMAP(addr, host, a.IMAPSecurity)
		}
		return nil, e
	}
	c.Timeout = 2 * time.Minute
	if err := c.Login(a.Username, a.Password); err != nil {
		c.Terminate()
		err = c.cause(err)
		if !errors.Is(err, ErrUnreadableResponse) && isIMAPNo(err) {
			return nil, &ConnError{Kind: ConnLogin, Server: "imap", Host: host, Err: err}
		}
		return nil, classify("imap", host, err)
	}
	return c, nil
}

// dialScreened connects, with TLS from the start or after STARTTLS as
// the account says, and reads the greeting through a screen.
func dialScreened(addr string, sec Security, cfg *tls.Config) (*IMAPClient, error) {
	raw, err := net.DialTimeout("tcp", addr, dialTimeout)
	if err != nil {
		return nil, err
	}
	// Until go-imap has its own per-command timeout: the greeting, TLS.
	raw.SetDeadline(time.Now().Add(dialTimeout))
	conn, first := net.Conn(raw), ""
	switch sec {
	case TLS:
		conn = tls.Client(raw, cfg)
	case STARTTLS:
		if conn, err = startTLS(raw, cfg); err != nil {
			raw.Close()
			return nil, err
		}
		first = afterTLS
	}
	s := newScreen(conn, first)
	c, err := client.New(s)
	if err != nil {
		s.Close()
		if refused := s.refusal(); refused != nil {
			err = refused
		}
		return nil, err
	}
	// Read errors come back from the calls; the library's own log would
	// only repeat them on stderr.
	c.ErrorLog = log.New(io.Discard, "", 0)
	return &IMAPClient{Client: c, screen: s, tls: sec == TLS || sec == STARTTLS}, nil
}

// isIMAPNo tells a server's NO/BAD answer (go-imap v1 gives it as a plain
// error with the server's text) from a transport failure.
func isIMAPNo(err error) bool {
	var ne net.Error
	msg := err.Error()
	return !errors.As(err, &ne) && !errors.Is(err, syscall.ECONNRESET) &&
		!strings.Contains(msg, "EOF") && !strings.Contains(msg, "connection closed")
}

// DialSMTP connects and authenticates.
func DialSMTP(ctx context.Context, a *Account) (*smtp.Client, error) {
	if err := a.CheckCleartext(); err != nil {
		return nil, err
	}
	host := a.SMTPHost
	addr := net.JoinHostPort(host, strconv.Itoa(a.SMTPPort))
	cfg, err := tlsConfig(a, host)
	if err != nil {
		return nil, err
	}
	var c *smtp.Client
	switch a.SMTPSecurity {
	case TLS:
		var conn net.Conn
		conn, err = tls.DialWithDialer(&net.Dialer{Timeout: dialTimeout}, "tcp", addr, cfg)
		if err == nil {
			c = smtp.NewClient(conn)
		}
	case STARTTLS:
		var conn net.Conn
		if conn, err = net.DialTimeout("tcp", addr, dialTimeout); err == nil {
			if c, err = smtp.NewClientStartTLS(conn, cfg); err != nil {
				conn.Close()
			}
		}
	default:
		var conn net.Conn
		if conn, err = net.DialTimeout("tcp", addr, dialTimeout); err == nil {
			c = smtp.NewClient(conn)
		}
	}
	if err != nil {
		if c != nil {
			c.Close()
		}
		e := classify("smtp", host, err)
		if ce, ok := e.(*ConnError); ok && ce.Kind == ConnCertificate && ce.CertSHA256 == "" && a.SMTPSecurity == TLS {
			ce.CertSHA256 = peerCert(addr, host, nil)
		}
		return nil, e
	}
	c.CommandTimeout = 2 * time.Minute
	c.SubmissionTimeout = 5 * time.Minute
	// The greeting, EHLO and (after STARTTLS) the TLS handshake happen at
	// the first command: make it now so failures are reported here, as
	// what they are, before anything else is said.
	if err := c.Noop(); err != nil {
		c.Close()
		e := classify("smtp", host, err)
		if ce, ok := e.(*ConnError); ok && ce.Kind == ConnCertificate && ce.CertSHA256 == "" {
			ce.CertSHA256 = peerCertSMTP(addr, host, a.SMTPSecurity)
		}
		return nil, e
	}
	if ok, _ := c.Extension("AUTH"); ok {
		if err := c.Auth(sasl.NewPlainClient("", a.Username, a.Password)); err != nil {
			c.Close()
			var se *smtp.SMTPError
			if errors.As(err, &se) && (se.Code == 535 || se.Code == 534 || se.Code == 530) {
				return nil, &ConnError{Kind: ConnLogin, Server: "smtp", Host: host, Err: err}
			}
			return nil, classify("smtp", host, err)
		}
	}
	return c, nil
}

// Test connects to both servers of an account and logs in, for the
// "test connection" button. It returns the first failure.
func Test(ctx context.Context, a Account) error {
	if err := a.normalize(); err != nil {
		return err
	}
	c, err := DialIMAP(ctx, &a)
	if err != nil {
		return err
	}
	c.Logout()
	sc, err := DialSMTP(ctx, &a)
	if err != nil {
		return err
	}
	sc.Quit()
	return nil
}
