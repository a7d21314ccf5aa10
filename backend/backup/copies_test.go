package backup

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"carnet/backend/vault"
	"carnet/backend/vault/vaulttest"
)

func TestExpiryFollowsTheRotation(t *testing.T) {
	now := day(2026, 3, 11, 20) // a Wednesday in mid-March
	for _, tc := range []struct {
		name    string
		backups []time.Time
		of      time.Time
		want    time.Time // the day of the simulated backup that drops it
	}{
		{"a mid-week, mid-month backup goes after 7 daily backups", []time.Time{day(2026, 3, 11, 9)}, day(2026, 3, 11, 9), day(2026, 3, 18, 20)},
		{"the last of a month stays until 12 later months have backups (February 2026 had none)", []time.Time{day(2026, 1, 31, 18), day(2026, 3, 11, 9)}, day(2026, 1, 31, 18), day(2027, 2, 1, 20)},
		{"the last of an ISO week stays until 4 later weeks have backups", []time.Time{day(2026, 3, 8, 18), day(2026, 3, 11, 9)}, day(2026, 3, 8, 18), day(2026, 3, 30, 20)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es := entries(tc.backups...)
			got := Expiry(es, now)
			var path string
			for _, e := range es {
				if e.Time.Equal(tc.of) {
					path = e.Path
				}
			}
			if !got[path].Equal(tc.want) {
				t.Errorf("expires %s, want %s", got[path], tc.want)
			}
			// Checked against the rotation itself: one more day is too many.
			var future []time.Time
			for d := now.Add(Every); !d.After(tc.want); d = d.Add(Every) {
				future = append(future, d)
			}
			if !dropped(entries(append(tc.backups, future...)...), path) {
				t.Errorf("the rotation keeps it on %s", tc.want)
			}
			if dropped(entries(append(tc.backups, future[:len(future)-1]...)...), path) {
				t.Errorf("the rotation drops it before %s", tc.want)
			}
		})
	}
}

// dropped runs the rotation as Run does after each backup and reports
// whether the entry at path is gone at the end.
func dropped(all []Entry, path string) bool {
	var live []Entry
	for i := len(all) - 1; i >= 0; i-- { // oldest first, one backup at a time
		live = append([]Entry{all[i]}, live...)
		drop := map[string]bool{}
		for _, d := range Prune(live) {
			drop[d.Path] = true
		}
		kept := live[:0]
		for _, e := range live {
			if !drop[e.Path] {
				kept = append(kept, e)
			}
		}
		live = kept
	}
	for _, e := range live {
		if e.Path == path {
			return false
		}
	}
	return true
}

func TestHoldingListsTheCopiesMadeWhileThePersonWasThere(t *testing.T) {
	v, _ := vaulttest.Vault(t)
	id, err := v.ID()
	if err != nil {
		t.Fatal(err)
	}
	folder := t.TempDir()
	ctx := context.Background()
	now := time.Now().Truncate(time.Second)
	// Automatic backups 40, 10 and 2 days ago; a file of the user's own.
	for _, ago := range []int{40, 10, 2} {
		if _, err := Run(ctx, v, folder, "test", now.AddDate(0, 0, -ago)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := v.Backup(ctx, filepath.Join(folder, "before-the-move.carnetbackup"), "test"); err != nil {
		t.Fatal(err)
	}
	// Another vault's backup in the same folder is not this person's.
	other, _ := vaulttest.Vault(t)
	if _, err := other.Backup(ctx, filepath.Join(folder, "colleague.carnetbackup"), "test"); err != nil {
		t.Fatal(err)
	}
	// Two restores set vaults aside, 20 days ago and 5 days ago.
	for _, ago := range []int{20, 5} {
		d := filepath.Join(v.Dir(), vault.ReplacedDirName, now.AddDate(0, 0, -ago).Format(timeLayout))
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "carnet.db"), []byte("encrypted pages"), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	// First recorded 15 days ago, erased 1 day ago.
	c := Holding(v.Dir(), folder, id, now.AddDate(0, 0, -15), now.AddDate(0, 0, -1), now)
	var auto []string
	for _, b := range c.Backups {
		if b.Automatic {
			auto = append(auto, b.Time.Format(time.DateOnly))
			if b.Expires.IsZero() || !b.Expires.After(now) {
				t.Errorf("automatic backup %s without a future expiry: %s", b.Name, b.Expires)
			}
		}
	}
	want := []string{now.AddDate(0, 0, -2).Format(time.DateOnly), now.AddDate(0, 0, -10).Format(time.DateOnly)}
	if len(auto) != 2 || auto[0] != want[0] || auto[1] != want[1] {
		t.Errorf("automatic backups holding the person %v, want %v", auto, want)
	}
	// The user's own file was written just now, after the erasure: it does
	// not hold them; the colleague's is another vault.
	if c.Kept != 0 || len(c.Backups) != 2 {
		t.Errorf("%d backups, %d kept by hand: %+v", len(c.Backups), c.Kept, c.Backups)
	}
	if c.LastExpiry.IsZero() {
		t.Error("no last expiry")
	}
	if len(c.Replaced) != 1 || c.Replaced[0].Name != now.AddDate(0, 0, -5).Format(timeLayout) {
		t.Errorf("replaced vaults %+v, want the one of 5 days ago", c.Replaced)
	}

	// A preview (erasure now) of someone recorded before everything: the
	// user's own file too, never expiring.
	c = Holding(v.Dir(), folder, id, time.Time{}, now.Add(time.Hour), now)
	if c.Kept != 1 || len(c.Backups) != 4 || len(c.Replaced) != 2 {
		t.Errorf("preview: %d backups, %d kept, %d replaced", len(c.Backups), c.Kept, len(c.Replaced))
	}
	for _, b := range c.Backups {
		if !b.Automatic && !b.Expires.IsZero() {
			t.Errorf("the user's own file %s expires %s", b.Name, b.Expires)
		}
	}

	// An unplugged disk: said, not hidden.
	c = Holding(v.Dir(), filepath.Join(folder, "unplugged"), id, time.Time{}, now, now)
	if !c.FolderUnavailable {
		t.Error("a missing folder is not reported")
	}
}

// mkReplaced makes a replaced vault named name in dir, two 3 MiB files.
func mkReplaced(t *testing.T, dir, name string) string {
	t.Helper()
	d := filepath.Join(dir, vault.ReplacedDirName, name)
	if err := os.MkdirAll(d, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"carnet.db", "carnet.keys"} {
		if err := os.WriteFile(filepath.Join(d, f), make([]byte, 3<<20), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

func TestPurgeReplacedOverwritesAndRemoves(t *testing.T) {
	v, _ := vaulttest.Vault(t)
	dir := v.Dir()
	mk := func(name string) string { return mkReplaced(t, dir, name) }
	a, b := mk("2026-01-05-101500"), mk("2026-02-07-081000")
	list, err := ListReplaced(dir)
	if err != nil || len(list) != 2 || list[0].Name != "2026-02-07-081000" || list[0].Size != 6<<20 {
		t.Fatalf("list %+v %v", list, err)
	}
	if _, err := PurgeReplaced(v, []string{"../.."}); !errors.Is(err, ErrUnknownReplaced) {
		t.Fatalf("a name that is not a replaced vault: %v", err)
	}
	// Not while a restore's journal waits to be finished.
	journal := filepath.Join(dir, "carnet-restore.journal")
	if err := os.WriteFile(journal, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := PurgeReplaced(v, nil); !errors.Is(err, vault.ErrRestoreRunning) {
		t.Fatalf("purge during a restore: %v", err)
	}
	os.Remove(journal)

	// The file is overwritten in place before it goes: a hard link (the
	// same blocks under another name) shows what was written there.
	witness := filepath.Join(dir, "witness")
	if err := os.WriteFile(filepath.Join(a, "carnet.db"), []byte("ciphertext of an erased person"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(a, "carnet.db"), witness); err != nil {
		t.Fatal(err)
	}
	purged, err := PurgeReplaced(v, []string{"2026-01-05-101500"})
	if err != nil || len(purged) != 1 {
		t.Fatalf("purged %v %v", purged, err)
	}
	if got, _ := os.ReadFile(witness); string(got) != string(make([]byte, len("ciphertext of an erased person"))) {
		t.Errorf("the file was not overwritten before removal: %q", got)
	}
	if _, err := os.Stat(a); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s still there", a)
	}
	if _, err := os.Stat(b); err != nil {
		t.Errorf("the other replaced vault went too: %v", err)
	}
	// Everything: the replaced folder itself goes when empty.
	if purged, err := PurgeReplaced(v, nil); err != nil || len(purged) != 1 {
		t.Fatalf("purge all: %v %v", purged, err)
	}
	if _, err := os.Stat(filepath.Join(dir, vault.ReplacedDirName)); !errors.Is(err, os.ErrNotExist) {
		t.Error("the empty replaced folder is left")
	}
}

// A purge while a restore runs (its backup proven and staged, the swap
// about to move the current vault into replaced/) is refused and deletes
// nothing: the journal is not written yet, the restore lock is held.
func TestPurgeReplacedWaitsForARestore(t *testing.T) {
	ctx := context.Background()
	v, _ := vaulttest.Vault(t)
	kept := mkReplaced(t, v.Dir(), "2026-01-05-101500")
	b := filepath.Join(t.TempDir(), "b"+vault.BackupExtension)
	if _, err := v.Backup(ctx, b, "test"); err != nil {
		t.Fatal(err)
	}
	var purgeErr error
	if _, err := v.Restore(ctx, b, vaulttest.Passphrase, false, func() {
		_, purgeErr = PurgeReplaced(v, nil)
	}); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(purgeErr, vault.ErrRestoreRunning) {
		t.Fatalf("purge during a restore: %v", purgeErr)
	}
	if _, err := os.Stat(filepath.Join(kept, "carnet.db")); err != nil {
		t.Fatalf("a replaced vault went during a restore: %v", err)
	}
	if list, _ := ListReplaced(v.Dir()); len(list) != 2 {
		t.Fatalf("replaced vaults after the restore: %+v", list)
	}
}

func TestListReplacedReadsSameSecondSuffixes(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"2026-01-02-150405", "2026-01-02-150405-2", "2026-01-02-150405-x", "notes"} {
		if err := os.MkdirAll(filepath.Join(dir, vault.ReplacedDirName, name), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ListReplaced(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name[:17] != "2026-01-02-150405" || got[1].Name[:17] != "2026-01-02-150405" {
		t.Fatalf("listed %+v, want the two replaced vaults of that second", got)
	}
}
