package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/privacy"
	"carnet/backend/vault"
)

type recorder struct {
	mu     sync.Mutex
	events []string
	data   []any
	got    chan struct{}
}

func (r *recorder) Emit(event string, data any) {
	r.mu.Lock()
	r.events = append(r.events, event)
	r.data = append(r.data, data)
	r.mu.Unlock()
	r.got <- struct{}{}
}

func start(t *testing.T) (*Services, *recorder) {
	t.Helper()
	s, err := New(Config{DataDir: t.TempDir(), KDF: vault.KDFParams{Time: 1, MemKiB: 8 * 1024, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{got: make(chan struct{}, 64)}
	s.Startup(context.Background(), rec)
	t.Cleanup(s.Shutdown)
	return s, rec
}

func userErr(t *testing.T, err error) core.UserError {
	t.Helper()
	if err == nil {
		t.Fatal("want an error")
	}
	var ue core.UserError
	if json.Unmarshal([]byte(err.Error()), &ue) != nil {
		t.Fatalf("error is not a core.UserError: %v", err)
	}
	return ue
}

func TestStatusFollowsTheVault(t *testing.T) {
	s, _ := start(t)
	if st := s.Vault.status(); st.State != "absent" || st.MinPassphraseLength != vault.MinPassphraseLen {
		t.Fatalf("fresh status %+v", st)
	}
	if ue := userErr(t, func() error { _, err := s.Vault.Create("short"); return err }()); ue.Key != "error.passphrase_too_short" || ue.Params["min"] != float64(10) {
		t.Fatalf("short passphrase: %+v", ue)
	}
	if _, err := s.Vault.Create("long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	if st := s.Vault.status(); st.State != "unlocked" {
		t.Fatalf("after Create: %+v", st)
	}
	s.Vault.Lock()
	ue := userErr(t, s.Vault.Unlock("wrong passphrase!"))
	if ue.Key != "error.wrong_passphrase" || ue.Then == nil || ue.Then.Key != "error.tries_left" || ue.Then.Params["count"] != float64(4) {
		t.Fatalf("wrong passphrase: %+v", ue)
	}
	if _, err := s.Settings.VaultSettings(); userErr(t, err).Key != "error.locked" {
		t.Fatalf("settings while locked: %v", err)
	}
}

func TestIdleLockLocksAndTellsTheFrontend(t *testing.T) {
	s, rec := start(t)
	if _, err := s.Vault.Create("long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	if err := s.Settings.SetAutoLockMinutes(0); userErr(t, err).Key != "error.out_of_range" {
		t.Fatalf("0 minutes: %v", err)
	}
	if err := s.Settings.SetAutoLockMinutes(3); err != nil {
		t.Fatal(err)
	}
	if vs, _ := s.Settings.VaultSettings(); vs.AutoLockMinutes != 3 {
		t.Fatalf("auto-lock minutes %d, want 3", vs.AutoLockMinutes)
	}
	s.Vault.idleLock() // what the timer calls after 3 idle minutes
	<-rec.got
	if s.Vault.status().State != "locked" {
		t.Fatal("idle lock did not lock")
	}
	if rec.events[0] != EventLocked || rec.data[0] != (LockedEvent{Reason: "idle", Minutes: 3}) {
		t.Fatalf("event %s %+v", rec.events[0], rec.data[0])
	}
}

func TestSecondInstanceIsUnavailableWithAReason(t *testing.T) {
	s, _ := start(t)
	other, err := New(Config{DataDir: s.Vault.cfg.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	other.Startup(context.Background(), &recorder{got: make(chan struct{}, 1)})
	defer other.Shutdown()
	st := other.Vault.status()
	if st.State != "unavailable" || st.Problem == nil || st.Problem.Key != "error.in_use" {
		t.Fatalf("second instance status %+v", st)
	}
}

func TestLanguagePreference(t *testing.T) {
	s, _ := start(t)
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "fr_FR.UTF-8")
	if p := s.Settings.preferences(); p.Language != "fr" || len(p.Languages) != 2 {
		t.Fatalf("from LANG: %+v", p)
	}
	if err := s.Settings.SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	if p := s.Settings.preferences(); p.Language != "en" {
		t.Fatalf("saved choice must win over LANG: %+v", p)
	}
	if err := s.Settings.SetLanguage("xx"); err == nil {
		t.Fatal("unknown language accepted")
	}
}

func TestImportPreviewIsForgottenAtLock(t *testing.T) {
	s, rec := start(t)
	if _, err := s.Vault.Create("long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	csv := base64.StdEncoding.EncodeToString([]byte("Nom;Prénom;E-mail\nDupont;Hélène;h@example.fr\n"))
	p, err := s.ContactImport.Preview("clients.csv", csv)
	if err != nil || p.Rows != 1 || p.Kind != "csv" || p.Mapping[2] != "email" {
		t.Fatalf("preview: %+v, %v", p, err)
	}
	sum, err := s.ContactImport.Run(p.Token, p.Mapping, true)
	if err != nil || sum.New != 1 {
		t.Fatalf("dry run: %+v, %v", sum, err)
	}
	for len(rec.got) > 0 {
		<-rec.got
	}
	if rec.events[len(rec.events)-1] != EventImportProgress {
		t.Fatalf("no progress event: %v", rec.events)
	}
	s.Vault.Lock()
	s.Vault.Unlock("long enough passphrase")
	if _, err := s.ContactImport.Run(p.Token, p.Mapping, false); userErr(t, err).Key != "error.import_expired" {
		t.Fatalf("a preview survived the lock: %v", err)
	}
}

func TestLockAfterAnImportKeepsIt(t *testing.T) {
	s, _ := start(t)
	if _, err := s.Vault.Create("long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	csv, _ := crm.DemoImportFiles(3000)
	p, err := s.ContactImport.Preview("clients.csv", base64.StdEncoding.EncodeToString(csv))
	if err != nil {
		t.Fatal(err)
	}
	if sum, err := s.ContactImport.Run(p.Token, p.Mapping, false); err != nil || sum.New != 3000 {
		t.Fatalf("import: %+v, %v", sum, err)
	}
	// The lock waits for the checkpoint the import started in the
	// background before it closes the database (run with -race, a
	// checkpoint still running on the closed database would show).
	if err := s.Vault.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := s.Vault.Unlock("long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Contacts.Search("lyon", 5); err != nil || len(n) == 0 {
		t.Fatalf("imported contacts after the lock: %v, %v", n, err)
	}
}

// The window's contact actions go through core: each adds one audit entry
// naming the window, committed with the change; the import is audited too.
func TestContactActionsFromTheWindowAreAuditedOnce(t *testing.T) {
	s, _ := start(t)
	if _, err := s.Vault.Create("long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	s.SetDialogs(&saveDialogs{dir: t.TempDir()})
	csv := base64.StdEncoding.EncodeToString([]byte("Nom;Prénom;E-mail\nDupont;Hélène;h@example.fr\nMartin;Paul;p@example.fr\n"))
	p, err := s.ContactImport.Preview("clients.csv", csv)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ContactImport.Run(p.Token, p.Mapping, false); err != nil {
		t.Fatal(err)
	}
	hits, err := s.Contacts.Search("h@example.fr", 5)
	if err != nil || len(hits) != 1 {
		t.Fatalf("search: %+v, %v", hits, err)
	}
	id := hits[0].ID
	ct, err := s.Contacts.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	ct.JobTitle = "Gérante"
	if _, err := s.Contacts.Save(*ct); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Contacts.Export(crm.Filter{}, "vcard", "", false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct {
		action string
		id     int64
	}{{"import.contacts", 0}, {"contact.view", id}, {"contact.edit", id}, {"export.contacts", 0}} {
		log, err := s.Register.Audit(privacy.AuditQuery{Action: want.action})
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 1 || log[0].SubjectID != want.id || !strings.Contains(log[0].Actor, "(window") {
			t.Errorf("%s: %+v, want one entry on %d by the window", want.action, log, want.id)
		}
	}
}

// The mail size limit is a vault setting, 50 MB by default, refused
// outside 1–200 MB with the bounds in the message.
func TestMailSizeLimitIsSavedAndBounded(t *testing.T) {
	s, _ := start(t)
	if _, err := s.Vault.Create("Ormeau vif, glacier pourpre 1987"); err != nil {
		t.Fatal(err)
	}
	if vs, err := s.Settings.VaultSettings(); err != nil || vs.MailMaxMessageMB != 50 || vs.MinMailMaxMB != 1 || vs.MaxMailMaxMB != 200 {
		t.Fatalf("defaults: %+v, %v", vs, err)
	}
	for _, mb := range []int{0, 201} {
		ue := userErr(t, s.Settings.SetMailMaxMessageMB(mb))
		if ue.Key != "error.out_of_range" || ue.Params["min"] != 1.0 || ue.Params["max"] != 200.0 { // numbers come back from JSON as float64
			t.Fatalf("%d MB: %+v", mb, ue)
		}
	}
	if err := s.Settings.SetMailMaxMessageMB(25); err != nil {
		t.Fatal(err)
	}
	if vs, _ := s.Settings.VaultSettings(); vs.MailMaxMessageMB != 25 {
		t.Fatalf("limit %d MB, want 25", vs.MailMaxMessageMB)
	}
}
