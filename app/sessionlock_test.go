package app

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"carnet/backend/crm"
	"carnet/backend/sessionlock"
)

const lockPass = "Ormeau vif, glacier pourpre 1987"

// Every way the vault locks goes through the same sequence: what the
// services hold is dropped, the vault closes, the frontend learns why.
// A suspend or a screen lock locks at once, with no backup: logind lets a
// sleep wait only a few seconds, and a backup of a big vault takes longer.
func TestEveryLockTakesTheSameSequence(t *testing.T) {
	for _, c := range []struct {
		name    string
		lock    func(*Vault)
		backups int
		event   *LockedEvent // nil: none
	}{
		{"Ctrl+L", func(v *Vault) { v.Lock() }, 1, nil},
		{"idle", (*Vault).idleLock, 1, &LockedEvent{Reason: "idle", Minutes: 7}},
		{"suspend", func(v *Vault) { v.lockForSession(sessionlock.Suspend) }, 0, &LockedEvent{Reason: "suspend"}},
		{"screen lock", func(v *Vault) { v.lockForSession(sessionlock.ScreenLock) }, 0, &LockedEvent{Reason: "screen_lock"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := start(t)
			if _, err := s.Vault.Create(lockPass); err != nil {
				t.Fatal(err)
			}
			if err := s.Backups.SetFolder(t.TempDir(), true); err != nil {
				t.Fatal(err)
			}
			if err := s.Settings.SetAutoLockMinutes(7); err != nil {
				t.Fatal(err)
			}
			csv := base64.StdEncoding.EncodeToString([]byte("Nom;Prénom;E-mail\nDupont;Hélène;h@example.fr\n"))
			preview, err := s.ContactImport.Preview("clients.csv", csv)
			if err != nil {
				t.Fatal(err)
			}
			rec := &recorder{got: make(chan struct{}, 8)}
			s.Vault.emit = rec

			c.lock(s.Vault)
			if st := s.Vault.status(); st.State != "locked" {
				t.Fatalf("state %s, want locked", st.State)
			}
			if n := countBackups(t, s); n != c.backups {
				t.Fatalf("%d backups written at the lock, want %d", n, c.backups)
			}
			switch {
			case c.event == nil && len(rec.events) != 0:
				t.Fatalf("events %v, want none", rec.events)
			case c.event != nil && (len(rec.events) != 1 || rec.events[0] != EventLocked || rec.data[0] != *c.event):
				t.Fatalf("events %v %+v, want %s %+v", rec.events, rec.data, EventLocked, *c.event)
			}
			// Already locked: nothing more happens, and no second event.
			c.lock(s.Vault)
			if len(rec.events) > 1 {
				t.Fatalf("a second lock emitted again: %v", rec.events)
			}
			if err := s.Vault.Unlock(lockPass); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ContactImport.Run(preview.Token, preview.Mapping, false); userErr(t, err).Key != "error.import_expired" {
				t.Fatalf("an import preview survived the lock: %v", err)
			}
		})
	}
}

// The frontend reads the reason and the minutes by these names.
func TestLockedEventPayload(t *testing.T) {
	for reason, want := range map[sessionlock.Reason]string{
		sessionlock.Suspend:    `{"reason":"suspend","minutes":0}`,
		sessionlock.ScreenLock: `{"reason":"screen_lock","minutes":0}`,
	} {
		b, err := json.Marshal(LockedEvent{Reason: string(reason)})
		if err != nil || string(b) != want {
			t.Errorf("%s: %s %v, want %s", reason, b, err, want)
		}
	}
}

// What changed before a suspend's lock (which writes no backup) is in the
// backup written at the next lock.
func TestChangesBeforeASuspendAreBackedUpAtTheNextLock(t *testing.T) {
	s, _ := start(t)
	if _, err := s.Vault.Create(lockPass); err != nil {
		t.Fatal(err)
	}
	if err := s.Backups.SetFolder(t.TempDir(), true); err != nil {
		t.Fatal(err)
	}
	add := func(name string) {
		t.Helper()
		if _, err := s.Contacts.Save(crm.Contact{GivenName: name, FamilyName: "Test"}); err != nil {
			t.Fatal(err)
		}
	}
	add("Before")
	if err := s.Vault.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := s.Vault.Unlock(lockPass); err != nil {
		t.Fatal(err)
	}
	add("Asleep")
	s.Vault.lockForSession(sessionlock.Suspend)
	if n := countBackups(t, s); n != 1 {
		t.Fatalf("%d backups after the suspend, want still 1", n)
	}
	if err := s.Vault.Unlock(lockPass); err != nil {
		t.Fatal(err)
	}
	if err := s.Vault.Lock(); err != nil {
		t.Fatal(err)
	}
	st, err := s.Backups.Status()
	if err != nil || len(st.Backups) != 2 {
		t.Fatalf("backups after the next lock: %+v, %v; want 2", st.Backups, err)
	}
	// The newest backup, restored, holds the contact added before the suspend.
	if err := s.Vault.Unlock(lockPass); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backups.Restore(st.Backups[0].Path, lockPass, false); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	page, err := s.Contacts.List(crm.ListQuery{Limit: 10, WithTotal: true})
	if err != nil || page.Total != 2 {
		t.Fatalf("restored from the backup after the suspend: %+v, %v; want Before and Asleep", page, err)
	}
}
