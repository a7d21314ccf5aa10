// Package mailtest gives mail tests real peers: a throwaway Dovecot, an
// in-process SMTP server, a proxy that drops connections on demand, realistic
// generated messages, and mbsync as the sync baseline to beat.
//
// Dovecot and mbsync are Debian packages (dovecot-imapd, isync) that
// .ci/deps installs; Dovecot runs as root here (mail_uid 5000).
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/client"
	"github.com/emersion/go-imap/utf7"
)

// mailUID owns every file Dovecot reads as the mail user.
const mailUID = 5000

// Server is a running throwaway Dovecot with one user.
type Server struct {
	Host       string // "127.0.0.1"
	Port       int    // plaintext IMAP; STARTTLS is offered too
	TLSPort    int    // implicit TLS (IMAPS)
	User       string
	Password   string
	CertPEM    []byte // the self-signed certificate, for tests that trust it explicitly
	CertSHA256 string // hex SHA-256 of the DER certificate, for pinning tests
	Maildir    string // the user's Maildir root (the INBOX)

	dir    string // config, certificate, logs, runtime state
	seq    atomic.Int64
	mu     sync.Mutex
	pgid   int           // Dovecot's process group while running, else 0
	exited chan struct{} // closed when the master is reaped
}

// Dovecot starts a throwaway Dovecot on 127.0.0.1 with a plaintext and an
// IMAPS port picked at random, stopped and deleted when the test ends.
func Dovecot(t testing.TB) *Server {
	t.Helper()
	s, err := StartDovecot()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// StartDovecot is Dovecot for programs that are not tests (the benchmark report):
// the caller stops it with Close.
//
// Its files live in os.MkdirTemp("", "dv"), not t.TempDir(): Dovecot refuses
// a base_dir longer than about 80 characters, and test names make long paths.
func StartDovecot() (*Server, error) {
	bin, err := dovecotBin()
	if err != nil {
		return nil, err
	}
	if os.Geteuid() != 0 {
		return nil, errors.New("mailtest: Dovecot tests run as root (mail files are owned by uid 5000)")
	}
	setSubreaper()
	dir, err := os.MkdirTemp("", "dv")
	if err != nil {
		return nil, err
	}
	s := &Server{
		Host:     "127.0.0.1",
		User:     "test",
		Password: "test-pass",
		Maildir:  filepath.Join(dir, "home", "Maildir"),
		dir:      dir,
	}
	if err := s.prepare(); err != nil {
		s.Close()
		return nil, fmt.Errorf("mailtest: preparing Dovecot in %s: %w", dir, err)
	}
	// Another process may take a port between our probe and Dovecot's bind:
	// try fresh ports a few times.
	for attempt := 0; ; attempt++ {
		if s.Port, s.TLSPort, err = freePorts(); err == nil {
			if err = s.writeConfig(); err != nil {
				s.Close()
				return nil, err
			}
			err = s.start(bin)
		}
		if err == nil {
			return s, nil
		}
		if !errors.Is(err, errAddrInUse) || attempt == 4 {
			s.Close()
			return nil, fmt.Errorf("mailtest: starting Dovecot: %w", err)
		}
	}
}

// Close stops Dovecot and deletes its files.
func (s *Server) Close() {
	s.kill()
	os.RemoveAll(s.dir)
}

// Addr is the plaintext IMAP address, host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// TLSAddr is the implicit-TLS IMAP address, host:port.
func (s *Server) TLSAddr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.TLSPort)) }

// Stop kills Dovecot at once, dropping every connection, and keeps its
// data for Start.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	s.kill()
}

// Start runs Dovecot again on the same ports with the same data, for
// "the server comes back" tests.
func (s *Server) Start(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	running := s.pgid != 0
	s.mu.Unlock()
	if running {
		t.Fatal("mailtest: Start: Dovecot is already running")
	}
	bin, err := dovecotBin()
	if err != nil {
		t.Fatal(err)
	}
	// A port freed by Stop is free at once (Dovecot binds with SO_REUSEADDR),
	// but another test may grab it meanwhile: wait a little for it.
	deadline := time.Now().Add(3 * time.Second)
	for {
		err := s.start(bin)
		if err == nil {
			return
		}
		if !errors.Is(err, errAddrInUse) || time.Now().After(deadline) {
			t.Fatalf("mailtest: restarting Dovecot: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Client logs in over plaintext IMAP the way another mail client would, for
// tests that change the server behind the back of the code under test. It is
// logged out when the test ends.
func (s *Server) Client(t testing.TB) *client.Client {
	t.Helper()
	c, err := client.Dial(s.Addr())
	if err != nil {
		t.Fatalf("mailtest: IMAP dial %s: %v", s.Addr(), err)
	}
	t.Cleanup(func() {
		c.Timeout = 2 * time.Second // the server may be gone: don't hang
		c.Logout()
	})
	if err := c.Login(s.User, s.Password); err != nil {
		t.Fatalf("mailtest: IMAP login: %v", err)
	}
	return c
}

// CreateFolder makes a mailbox the way a client's CREATE and SUBSCRIBE
// would, straight on disk (a Maildir++ ".Name" folder). Name it as IMAP does,
// with "." between levels ("Archives.2024"); non-ASCII names work.
func (s *Server) CreateFolder(t testing.TB, name string) {
	t.Helper()
	if isInbox(name) {
		return
	}
	if _, err := s.createFolder(name); err != nil {
		t.Fatalf("mailtest: CreateFolder %q: %v", name, err)
	}
}

// Deliver writes raw RFC 5322 messages straight into a folder's Maildir,
// 30 times faster than IMAP APPEND (10,000 a second against 330), in order:
// Dovecot gives them increasing UIDs. Sessions see them at their next NOOP
// or IDLE, as new mail. Folder "" or "INBOX" is the inbox; a missing folder
// is created. Flags are Maildir letters: "S" seen, "F" flagged, "R" answered,
// "T" deleted, "D" draft. Each file's time, which Dovecot reports as
// INTERNALDATE, is the message's Date header when it has one.
func (s *Server) Deliver(t testing.TB, folder, flags string, msgs ...[]byte) {
	t.Helper()
	if err := s.Put(folder, flags, msgs...); err != nil {
		t.Fatal(err)
	}
}

// Put is Deliver for programs that are not tests.
func (s *Server) Put(folder, flags string, msgs ...[]byte) error {
	dir := s.Maildir
	if !isInbox(folder) {
		var err error
		if dir, err = s.createFolder(folder); err != nil {
			return fmt.Errorf("mailtest: Deliver to %q: %w", folder, err)
		}
	}
	info := []byte(flags)
	slices.Sort(info)
	info = slices.Compact(info)
	now := time.Now()
	for _, m := range msgs {
		// Dovecot sorts new files by the time in their name, then the
		// microseconds, then the rest as text: a zero-padded counter keeps
		// the delivery order.
		n := s.seq.Add(1)
		name := fmt.Sprintf("%d.M%dP%dQ%09d.mailtest,S=%d,W=%d:2,%s",
			now.Unix(), now.Nanosecond()/1000, os.Getpid(), n, len(m), len(m)+bareLFs(m), info)
		tmp := filepath.Join(dir, "tmp", name)
		if err := writeOwned(tmp, m); err != nil {
			return fmt.Errorf("mailtest: Deliver: %w", err)
		}
		if d, ok := messageDate(m); ok {
			os.Chtimes(tmp, d, d)
		}
		if err := os.Rename(tmp, filepath.Join(dir, "cur", name)); err != nil {
			return fmt.Errorf("mailtest: Deliver: %w", err)
		}
	}
	return nil
}

// ResetUIDValidity makes the folder's UIDVALIDITY change, as when a server is
// restored from backup or migrated: every message gets a new UID and a client
// must resync it from scratch. The user's connections are kicked first, like
// a real server would drop them.
func (s *Server) ResetUIDValidity(t testing.TB, folder string) {
	t.Helper()
	s.mu.Lock()
	pgid := s.pgid
	s.mu.Unlock()
	if pgid != 0 {
		// Fails when nobody is connected: fine.
		exec.Command(doveadmBin(), "-c", s.conf(), "kick", s.User).Run()
		// A kicked session may still write its indexes on the way out.
		if err := waitGone(pgid, "imap", 5*time.Second); err != nil {
			t.Fatalf("mailtest: ResetUIDValidity: %v", err)
		}
	}
	dir := s.Maildir
	if !isInbox(folder) {
		dir = s.folderDir(folder)
		if _, err := os.Stat(dir); err != nil {
			t.Fatalf("mailtest: ResetUIDValidity %q: %v", folder, err)
		}
	}
	// Without its UID list and indexes Dovecot renumbers the folder, taking a
	// UIDVALIDITY above the last one it handed out (kept in
	// dovecot-uidvalidity). The mailbox list index caches UIDVALIDITY for
	// STATUS: it goes too.
	var files []string
	for _, pattern := range []string{
		filepath.Join(dir, "dovecot-uidlist*"),
		filepath.Join(dir, "dovecot.index*"),
		filepath.Join(s.Maildir, "dovecot.list.index*"),
	} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	for _, f := range files {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("mailtest: ResetUIDValidity: %v", err)
		}
	}
}

func (s *Server) conf() string { return filepath.Join(s.dir, "dovecot.conf") }

// prepare writes what does not change between starts: certificate, users,
// an empty Maildir.
func (s *Server) prepare() error {
	if err := os.Chmod(s.dir, 0o711); err != nil { // the mail user walks through
		return err
	}
	certPEM, keyPEM, sum, err := selfSignedCert()
	if err != nil {
		return err
	}
	s.CertPEM, s.CertSHA256 = certPEM, sum
	home := filepath.Join(s.dir, "home")
	for _, f := range []struct {
		name string
		data []byte
	}{
		{"cert.pem", certPEM},
		{"key.pem", keyPEM},
		{"passwd", fmt.Appendf(nil, "%s:{PLAIN}%s::::%s\n", s.User, s.Password, home)},
	} {
		if err := os.WriteFile(filepath.Join(s.dir, f.name), f.data, 0o600); err != nil {
			return err
		}
	}
	if err := mkdirOwned(home); err != nil {
		return err
	}
	return makeMaildir(s.Maildir)
}

func (s *Server) writeConfig() error {
	d := s.dir
	conf := fmt.Sprintf(`base_dir = %[1]s/base
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <%[1]s/cert.pem
ssl_key = <%[1]s/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
auth_username_format = %%Ln
login_greeting = %[5]s
default_internal_user = root
default_login_user = dovenull
mail_uid = %[4]d
mail_gid = %[4]d
mail_location = maildir:~/Maildir
mail_fsync = never
passdb {
  driver = passwd-file
  args = %[1]s/passwd
}
userdb {
  driver = passwd-file
  args = %[1]s/passwd
}
protocol imap {
  # Sync code may open several connections, tests several more.
  mail_max_userip_connections = 100
}
service imap-login {
  inet_listener imap {
    port = %[2]d
  }
  inet_listener imaps {
    port = %[3]d
    ssl = yes
  }
}
`, d, s.Port, s.TLSPort, mailUID, s.greeting())
	return os.WriteFile(s.conf(), []byte(conf), 0o600)
}

var errAddrInUse = errors.New("address already in use")

// start runs Dovecot in the foreground as our child, in its own process
// group, and waits until it greets on the plaintext port.
func (s *Server) start(bin string) error {
	os.Remove(filepath.Join(s.dir, "base", "master.pid"))
	out, err := os.Create(filepath.Join(s.dir, "stderr"))
	if err != nil {
		return err
	}
	defer out.Close()
	cmd := exec.Command(bin, "-F", "-c", s.conf())
	cmd.Stdout, cmd.Stderr = out, out
	// Pdeathsig: when a test binary dies (timeout, panic), its Dovecots die
	// with it instead of running on.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	s.mu.Lock()
	s.pgid, s.exited = cmd.Process.Pid, exited
	s.mu.Unlock()

	greeting := []byte(s.greeting())
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-exited:
			s.kill()
			stderr, _ := os.ReadFile(out.Name())
			log, _ := os.ReadFile(filepath.Join(s.dir, "dovecot.log"))
			err := fmt.Errorf("dovecot exited: %s%s", stderr, lastLines(log, 5))
			if bytes.Contains(stderr, []byte("in use")) || bytes.Contains(log, []byte("in use")) {
				err = fmt.Errorf("%w: %v", errAddrInUse, err)
			}
			return err
		default:
		}
		// Our own greeting, not one from whoever else might hold the port.
		if line, err := readGreeting(s.Addr()); err == nil && bytes.Contains(line, greeting) {
			return nil
		}
		if time.Now().After(deadline) {
			s.kill()
			return fmt.Errorf("dovecot did not greet on %s within 10 s", s.Addr())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// greeting is unique to this server, to tell it from another one that took
// the port first.
func (s *Server) greeting() string { return "mailtest " + filepath.Base(s.dir) + " ready" }

func readGreeting(addr string) ([]byte, error) {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, 512)
	n, err := c.Read(buf)
	return buf[:n], err
}

// kill ends every Dovecot process at once and reaps them: a clean shutdown
// (doveadm stop) takes seconds.
func (s *Server) kill() {
	s.mu.Lock()
	pgid, exited := s.pgid, s.exited
	s.pgid, s.exited = 0, nil
	s.mu.Unlock()
	if pgid == 0 {
		return
	}
	syscall.Kill(-pgid, syscall.SIGKILL)
	<-exited // the master, reaped by cmd.Wait
	reap(pgid)
}

// reap waits for the rest of the killed group, which became our children
// when the master died, thanks to setSubreaper. Otherwise they would linger
// as zombies until init gets round to them, which here takes minutes.
func reap(pgid int) {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-pgid, &ws, syscall.WNOHANG, nil)
		switch {
		case errors.Is(err, syscall.EINTR):
		case err != nil: // ECHILD: none left
			return
		case pid == 0: // still dying
			time.Sleep(time.Millisecond)
		}
	}
}

// waitGone waits until no process called comm is left in the group.
func waitGone(pgid int, comm string, timeout time.Duration) error {
	for deadline := time.Now().Add(timeout); ; {
		pids, _ := filepath.Glob("/proc/[0-9]*/stat")
		left := 0
		for _, p := range pids {
			b, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			// pid (comm) state ppid pgrp ...
			open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
			if open < 0 || end < open {
				continue
			}
			f := strings.Fields(string(b[end+1:]))
			if string(b[open+1:end]) == comm && len(f) > 2 && f[0] != "Z" && f[2] == strconv.Itoa(pgid) {
				left++
			}
		}
		if left == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d %s processes still running after %v", left, comm, timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (s *Server) folderDir(name string) string {
	enc, err := utf7.Encoding.NewEncoder().String(name)
	if err != nil {
		enc = name
	}
	return filepath.Join(s.Maildir, "."+enc)
}

// createFolder makes the folder if missing and returns its directory.
func (s *Server) createFolder(name string) (string, error) {
	dir := s.folderDir(name)
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	if strings.ContainsAny(name, "/\x00") || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") {
		return "", fmt.Errorf("folder name %q does not fit Maildir++", name)
	}
	if err := makeMaildir(dir); err != nil {
		return "", err
	}
	// Dovecot marks Maildir++ folders this way.
	if err := writeOwned(filepath.Join(dir, "maildirfolder"), nil); err != nil {
		return "", err
	}
	// Subscribed, as clients do after CREATE. One name per line is the
	// subscriptions format Dovecot has always read.
	enc := strings.TrimPrefix(filepath.Base(dir), ".")
	sub := filepath.Join(s.Maildir, "subscriptions")
	f, err := os.OpenFile(sub, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return "", err
	}
	_, err = f.WriteString(enc + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return dir, os.Chown(sub, mailUID, mailUID)
}

func isInbox(folder string) bool { return folder == "" || strings.EqualFold(folder, "INBOX") }

func makeMaildir(dir string) error {
	for _, d := range []string{dir, filepath.Join(dir, "cur"), filepath.Join(dir, "new"), filepath.Join(dir, "tmp")} {
		if err := mkdirOwned(d); err != nil {
			return err
		}
	}
	return nil
}

func mkdirOwned(dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	return os.Chown(dir, mailUID, mailUID)
}

func writeOwned(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chown(mailUID, mailUID)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// bareLFs counts line ends without CR, which IMAP sizes count as two bytes.
func bareLFs(m []byte) int {
	n := 0
	for i, c := range m {
		if c == '\n' && (i == 0 || m[i-1] != '\r') {
			n++
		}
	}
	return n
}

func messageDate(m []byte) (time.Time, bool) {
	end := bytes.Index(m, []byte("\r\n\r\n"))
	if end < 0 {
		end = bytes.Index(m, []byte("\n\n"))
	}
	if end < 0 {
		return time.Time{}, false
	}
	msg, err := mail.ReadMessage(bytes.NewReader(m[:end+2]))
	if err != nil {
		return time.Time{}, false
	}
	d, err := msg.Header.Date()
	return d, err == nil
}

// selfSignedCert makes an ECDSA P-256 certificate for localhost and
// 127.0.0.1: Go checks SANs only, never the common name.
func selfSignedCert() (certPEM, keyPEM []byte, sha string, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, "", err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "localhost", Organization: []string{"Carnet mailtest"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, "", err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, "", err
	}
	sum := sha256.Sum256(der)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
		hex.EncodeToString(sum[:]), nil
}

// freePorts asks the kernel for two distinct free loopback ports. Someone may
// take one before Dovecot binds it: callers retry.
func freePorts() (int, int, error) {
	var ports [2]int
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, 0, err
		}
		defer l.Close()
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	return ports[0], ports[1], nil
}

func dovecotBin() (string, error) {
	if p, err := exec.LookPath("dovecot"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/sbin/dovecot"); err == nil {
		return "/usr/sbin/dovecot", nil // not on a non-root PATH
	}
	return "", errors.New("mailtest: no dovecot binary: install dovecot-imapd (make test does)")
}

func doveadmBin() string {
	if p, err := exec.LookPath("doveadm"); err == nil {
		return p
	}
	return "/usr/bin/doveadm"
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
