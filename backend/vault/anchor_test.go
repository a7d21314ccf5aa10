package vault

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// audit appends n entries to the audit log (the hashes are not a real
// chain: the anchor looks only at heads).
func audit(t *testing.T, v *Vault, n int) {
	t.Helper()
	db, err := v.DB()
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		if _, err := db.Exec(`INSERT INTO audit_log (at, actor, action, prev_hash, hash)
			VALUES ('2026-12-01T10:00:00Z', 'me', 'test', 'p', lower(hex(randomblob(32))))`); err != nil {
			t.Fatal(err)
		}
	}
}

func unlockedTest(t *testing.T, dir, passphrase string) *Vault {
	t.Helper()
	v := openTest(t, dir)
	if err := v.Unlock(context.Background(), passphrase); err != nil {
		t.Fatal(err)
	}
	return v
}

// copyDB copies carnet.db of a locked vault (no -wal then) to a file.
func copyDB(t *testing.T, dir string) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, dbFileName+"-wal")); err == nil {
		t.Fatal("copying a database with a -wal")
	}
	p := filepath.Join(t.TempDir(), "copy.db")
	os.WriteFile(p, mustRead(t, filepath.Join(dir, dbFileName)), 0o600)
	return p
}

func TestARolledBackDatabaseIsReportedUntilAccepted(t *testing.T) {
	ctx := context.Background()
	dir, _ := createTest(t)
	v := unlockedTest(t, dir, pass)
	audit(t, v, 2)
	v.Close()
	old := copyDB(t, dir)

	v = unlockedTest(t, dir, pass)
	if st := v.Status(); st.Rollback != nil {
		t.Fatalf("normal use reported a rollback: %+v", st.Rollback)
	}
	audit(t, v, 3)
	addRows(t, v, "after", 1)
	v.Close()
	// The older copy goes back in place.
	os.WriteFile(filepath.Join(dir, dbFileName), mustRead(t, old), 0o600)

	v = unlockedTest(t, dir, pass)
	rb := v.Status().Rollback
	if rb == nil || rb.Chain != "audit_log" || rb.AnchoredEntries != 5 || rb.Entries != 2 {
		t.Fatalf("rollback %+v, want the audit log back from 5 entries to 2", rb)
	}
	// Not a refusal: the data is there to read.
	if countRows(t, v, "after") != 0 {
		t.Fatal("the copy is not the older one")
	}
	r, err := v.Verify(ctx)
	if err != nil || r.OK() || r.Rollback == nil {
		t.Fatalf("Verify: %+v, %v", r, err)
	}
	// Work on the old copy and a lock do not hide it: the anchor waits for
	// the user's decision, even when the chain grows past its old length.
	audit(t, v, 4)
	v.Close()
	v = unlockedTest(t, dir, pass)
	if rb := v.Status().Rollback; rb == nil {
		t.Fatal("the rollback was forgotten at lock")
	}
	if err := v.AcceptRollback(ctx); err != nil {
		t.Fatal(err)
	}
	if v.Status().Rollback != nil {
		t.Fatal("still reported once accepted")
	}
	v.Close()
	v = unlockedTest(t, dir, pass)
	if r, _ := v.Verify(ctx); !r.OK() {
		t.Fatalf("after accepting: %+v", r)
	}
}

// Normal use never reports a rollback: locks, backups, a re-key, an older
// backup restored (a restore goes back in time on purpose) and the lock
// after it.
func TestNormalUseNeverReportsARollback(t *testing.T) {
	ctx := context.Background()
	dir, _ := createTest(t)
	v := unlockedTest(t, dir, pass)
	audit(t, v, 2)
	backup := filepath.Join(t.TempDir(), "b"+BackupExtension)
	if _, err := v.Backup(ctx, backup, "test"); err != nil {
		t.Fatal(err)
	}
	audit(t, v, 3)
	if _, err := v.Backup(ctx, filepath.Join(t.TempDir(), "c"+BackupExtension), "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Rekey(ctx, pass, RekeyOptions{}); err != nil {
		t.Fatal(err)
	}
	audit(t, v, 1)
	check := func(when string) {
		t.Helper()
		if rb := v.Status().Rollback; rb != nil {
			t.Fatalf("%s: rollback reported %+v", when, rb)
		}
		if r, err := v.Verify(ctx); err != nil || !r.OK() {
			t.Fatalf("%s: Verify %+v %v", when, r, err)
		}
	}
	check("after a re-key")
	if err := v.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := v.Unlock(ctx, pass); err != nil {
		t.Fatal(err)
	}
	check("after a lock")
	if _, err := v.Restore(ctx, backup, pass, false, nil); err != nil {
		t.Fatal(err)
	}
	check("after restoring the older backup")
	v.Close()
	v = unlockedTest(t, dir, pass)
	check("at the unlock after the restore")
}

// A key file whose anchor was replaced by someone without the data key
// (its checksum made right again) is reported like a rollback.
func TestAForgedAnchorIsReported(t *testing.T) {
	dir, _ := createTest(t)
	kb := mustRead(t, filepath.Join(dir, keyFileName))
	k, err := decodeKeyFile(kb)
	if err != nil || k.Anchor == nil {
		t.Fatalf("a new vault has no anchor: %v", err)
	}
	k.Anchor.Box[0] ^= 1
	forged, _ := k.encode()
	for _, n := range []string{keyFileName, keyBackupName} {
		os.WriteFile(filepath.Join(dir, n), forged, 0o600)
	}
	v := unlockedTest(t, dir, pass)
	if rb := v.Status().Rollback; rb == nil || rb.Chain != "" {
		t.Fatalf("forged anchor: %+v", rb)
	}
}

// A re-key cannot carry a forged anchor to the new key (it would anchor
// the current heads and silence the warning): refused while the warning
// waits, which it still does afterwards.
func TestARekeyIsRefusedWhileAForgedAnchorIsReported(t *testing.T) {
	ctx := context.Background()
	dir, _ := createTest(t)
	k, err := decodeKeyFile(mustRead(t, filepath.Join(dir, keyFileName)))
	if err != nil {
		t.Fatal(err)
	}
	k.Anchor.Box[0] ^= 1
	forged, _ := k.encode()
	for _, n := range []string{keyFileName, keyBackupName} {
		os.WriteFile(filepath.Join(dir, n), forged, 0o600)
	}
	v := unlockedTest(t, dir, pass)
	if _, err := v.Rekey(ctx, pass, RekeyOptions{NewPassphrase: strongPass}); !errors.Is(err, ErrRollbackPending) {
		t.Fatalf("re-key with a forged anchor: %v", err)
	}
	if err := v.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := v.Unlock(ctx, pass); err != nil {
		t.Fatal(err)
	}
	if rb := v.Status().Rollback; rb == nil || rb.Chain != "" {
		t.Fatalf("the forged anchor is no longer reported: %+v", rb)
	}
}

// anchoredAuditEntries reads the audit log's entry count in the anchor of
// the key file on disk.
func anchoredAuditEntries(t *testing.T, dir string, dek []byte) int64 {
	t.Helper()
	k, err := decodeKeyFile(mustRead(t, filepath.Join(dir, keyFileName)))
	if err != nil {
		t.Fatal(err)
	}
	h, err := openAnchor(k.Anchor, dek, k.VaultID)
	if err != nil {
		t.Fatal(err)
	}
	return h["audit_log"].Entries
}

// A reader holding an old snapshot stops a passive checkpoint short of
// the newest commits: they are not on disk yet, so they are not anchored
// (an anchor ahead of the disk would report a rollback after a power
// cut). Once the reader is gone, the lock anchors them.
func TestNoAnchorAheadOfWhatACheckpointMadeDurable(t *testing.T) {
	ctx := context.Background()
	dir, _ := createTest(t)
	v := unlockedTest(t, dir, pass)
	dek := append([]byte(nil), v.dek...)
	audit(t, v, 2)
	v.mu.Lock()
	err := v.anchorNow(ctx)
	v.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	anchored := anchoredAuditEntries(t, dir, dek)

	db, _ := v.DB()
	reader, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := reader.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&n); err != nil { // the snapshot starts here
		t.Fatal(err)
	}
	audit(t, v, 3)
	v.mu.Lock()
	err = v.anchorNow(ctx)
	v.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if got := anchoredAuditEntries(t, dir, dek); got != anchored {
		t.Fatalf("anchored %d entries with a checkpoint cut short by a reader, want %d still", got, anchored)
	}
	reader.Rollback()
	if err := v.Lock(); err != nil {
		t.Fatal(err)
	}
	if got := anchoredAuditEntries(t, dir, dek); got != anchored+3 {
		t.Fatalf("anchored %d entries at lock, want %d", got, anchored+3)
	}
}
