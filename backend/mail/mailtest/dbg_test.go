//go:build mailtestdbg

package mailtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestDbgMbsync10k(t *testing.T) {
	msgs := GenerateMessages(10, 10000, nil)
	s := Dovecot(t)
	s.Deliver(t, "", "", msgs...)
	c := s.Client(t)
	c.Select("INBOX", true)
	c.Logout()
	for run := 0; run < 3; run++ {
		dir := t.TempDir()
		took, err := Mbsync(t, s, dir)
		files, _ := os.ReadDir(filepath.Join(dir, "new"))
		t.Log("mbsync default FSync", took, err, len(files))
	}
	if os.Getenv("FSYNCNO") != "" {
		for run := 0; run < 2; run++ {
			dir := t.TempDir()
			state := t.TempDir()
			rc := "FSync no\n" + strings.NewReplacer("PORT", itoa(s.Port), "DIR", dir, "STATE", state).Replace(`IMAPAccount test
Host localhost
Port PORT
User test
Pass test-pass
SSLType None
AuthMechs LOGIN

IMAPStore remote
Account test

MaildirStore local
Inbox DIR/

Channel inbox
Far :remote:
Near :local:
Sync Pull
Create Near
SyncState STATE/
`)
			os.WriteFile(state+"/rc", []byte(rc), 0o600)
			t0 := time.Now()
			out, err := exec.Command("mbsync", "-c", state+"/rc", "-q", "inbox").CombinedOutput()
			files, _ := os.ReadDir(filepath.Join(dir, "new"))
			t.Log("mbsync FSync no", time.Since(t0), err, string(out), len(files))
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
