package mailtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Mbsync pulls the server's INBOX into a fresh Maildir at dir (cur/, new/,
// tmp/ directly in dir) with Debian's mbsync, and returns how long that
// took: the baseline our sync has to beat.
//
// The config is mbsync's defaults but for what the test server needs:
// plaintext IMAP (SSLType None, AuthMechs LOGIN), Host localhost (mbsync
// ignores IP SANs, so that is what a TLS setup would use too), Sync Pull
// Create Near, and SyncState in a temporary folder (by default mbsync keeps
// it in ~/.mbsync, shared by every run). FSync stays at its default, yes,
// like a user's setup.
func Mbsync(tb testing.TB, s *Server, dir string) (time.Duration, error) {
	tb.Helper()
	if _, err := exec.LookPath("mbsync"); err != nil {
		tb.Fatal("mailtest: no mbsync binary: install isync (make test does)")
	}
	return RunMbsync(s, dir)
}

// RunMbsync is Mbsync for programs that are not tests.
func RunMbsync(s *Server, dir string) (time.Duration, error) {
	bin, err := exec.LookPath("mbsync")
	if err != nil {
		return 0, errors.New("mailtest: no mbsync binary: install isync (make test does)")
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return 0, err
	}
	state, err := os.MkdirTemp("", "mbsync")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(state)
	rc := fmt.Sprintf(`IMAPAccount test
Host localhost
Port %d
User %s
Pass %s
SSLType None
AuthMechs LOGIN

IMAPStore remote
Account test

MaildirStore local
Inbox %s/

Channel inbox
Far :remote:
Near :local:
Sync Pull
Create Near
SyncState %s/
`, s.Port, s.User, s.Password, dir, state)
	conf := filepath.Join(state, "mbsyncrc")
	if err := os.WriteFile(conf, []byte(rc), 0o600); err != nil {
		return 0, err
	}
	cmd := exec.Command(bin, "-c", conf, "-q", "inbox")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		return took, fmt.Errorf("mbsync: %v: %s", err, out)
	}
	return took, nil
}
