package vault

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// backedUp creates a vault holding one row with marker, backs it up and
// returns the vault (still unlocked), the backup path and the recovery code.
func backedUp(t *testing.T, marker string) (*Vault, string, string) {
	t.Helper()
	ctx := context.Background()
	v := openTest(t, t.TempDir())
	code, err := v.Create(ctx, pass)
	if err != nil {
		t.Fatal(err)
	}
	setMarker(t, v, marker)
	path := filepath.Join(t.TempDir(), "b"+BackupExtension)
	info, err := v.Backup(ctx, path, "test")
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if info.Size < 4096 || info.AppVersion != "test" {
		t.Fatalf("backup info %+v", info)
	}
	return v, path, code
}

func setMarker(t *testing.T, v *Vault, marker string) {
	t.Helper()
	db, err := v.DB()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO settings (key, value) VALUES ('marker', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, marker); err != nil {
		t.Fatal(err)
	}
}

func marker(t *testing.T, v *Vault) string {
	t.Helper()
	db, err := v.DB()
	if err != nil {
		t.Fatal(err)
	}
	var s string
	if err := db.QueryRow(`SELECT value FROM settings WHERE key = 'marker'`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBackupRestoresOnAnotherMachineWithPassphrase(t *testing.T) {
	ctx := context.Background()
	_, path, _ := backedUp(t, "before")
	info, err := ReadBackupInfo(path)
	if err != nil || info.Created.IsZero() || info.VaultID == "" {
		t.Fatalf("ReadBackupInfo = %+v, %v", info, err)
	}
	// An empty folder stands for the other machine.
	dir := t.TempDir()
	other := openTest(t, dir)
	res, err := other.Restore(ctx, path, pass, false, nil)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if res.Replaced != "" || res.MustChangePassphrase {
		t.Fatalf("restore into an empty folder: %+v", res)
	}
	if got := marker(t, other); got != "before" {
		t.Fatalf("restored marker %q", got)
	}
	if r, err := other.Verify(ctx); err != nil || !r.OK() {
		t.Fatalf("Verify after restore: %+v %v", r, err)
	}
	// The restored vault is a normal one: lock, unlock with the passphrase.
	if err := other.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := other.Unlock(ctx, pass); err != nil {
		t.Fatalf("Unlock restored vault: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ReplacedDirName)); !os.IsNotExist(err) {
		t.Fatalf("an empty folder needs no replaced/ folder: %v", err)
	}
	for _, left := range []string{restoredDBName, restoredKeysName, restoreJournal} {
		if _, err := os.Stat(filepath.Join(dir, left)); !os.IsNotExist(err) {
			t.Errorf("%s left behind", left)
		}
	}
}

func TestBackupRestoresWithRecoveryCode(t *testing.T) {
	ctx := context.Background()
	_, path, code := backedUp(t, "kept")
	other := openTest(t, t.TempDir())
	res, err := other.Restore(ctx, path, code, true, nil)
	if err != nil {
		t.Fatalf("Restore with recovery code: %v", err)
	}
	if !res.MustChangePassphrase || !other.Status().MustChangePassphrase {
		t.Fatal("a restore with the recovery code must ask for a new passphrase")
	}
	if _, err := other.DB(); !errors.Is(err, ErrLocked) {
		t.Fatalf("DB before the new passphrase: %v", err)
	}
	if err := other.SetNewPassphrase(ctx, "a brand new passphrase"); err != nil {
		t.Fatal(err)
	}
	if got := marker(t, other); got != "kept" {
		t.Fatalf("restored marker %q", got)
	}
	other.Lock()
	if err := other.Unlock(ctx, "a brand new passphrase"); err != nil {
		t.Fatalf("Unlock with the new passphrase: %v", err)
	}
}

func TestRestoreOverAVaultKeepsThePreviousOne(t *testing.T) {
	ctx := context.Background()
	v, path, _ := backedUp(t, "from backup")
	setMarker(t, v, "changed after backup")
	res, err := v.Restore(ctx, path, pass, false, nil)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if got := marker(t, v); got != "from backup" {
		t.Fatalf("marker after restore %q", got)
	}
	if res.Replaced == "" {
		t.Fatal("the previous vault's folder is not reported")
	}
	// The previous vault is intact in replaced/: it opens as a vault.
	v.Close()
	old := openTest(t, res.Replaced)
	if err := old.Unlock(ctx, pass); err != nil {
		t.Fatalf("previous vault: %v", err)
	}
	if got := marker(t, old); got != "changed after backup" {
		t.Fatalf("previous vault marker %q", got)
	}
}

func TestBackupsShareNoCiphertext(t *testing.T) {
	ctx := context.Background()
	v, first, _ := backedUp(t, "same data")
	second := filepath.Join(t.TempDir(), "c"+BackupExtension)
	if _, err := v.Backup(ctx, second, "test"); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(first)
	b, _ := os.ReadFile(second)
	pages := map[string]bool{}
	for i := 0; i+4096 <= len(a); i += 4096 {
		pages[string(a[i:i+4096])] = true
	}
	for i := 0; i+4096 <= len(b); i += 4096 {
		if pages[string(b[i:i+4096])] {
			t.Fatalf("the two backups share a 4 KiB block at offset %d", i)
		}
	}
	// The same holds block by block at any alignment of the database part.
	if bytes.Contains(b, a[len(a)/2:len(a)/2+64]) {
		t.Fatal("the two backups share 64 bytes")
	}
}

func TestRestoreRefusesBadInputAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	_, path, _ := backedUp(t, "x")
	good, _ := os.ReadFile(path)

	dir, _ := createTest(t)
	v := openTest(t, dir)
	before := snapshot(t, dir)
	write := func(b []byte) string {
		p := filepath.Join(t.TempDir(), "bad"+BackupExtension)
		os.WriteFile(p, b, 0o600)
		return p
	}
	flip := func(off int) []byte {
		b := bytes.Clone(good)
		b[off] ^= 0x40
		return b
	}
	random := make([]byte, 50000)
	rand.Read(random)
	cases := []struct {
		name string
		path string
		want error
	}{
		{"wrong passphrase", path, ErrWrongPassphrase},
		{"not a backup", write(random), ErrNotBackup},
		{"empty file", write(nil), ErrNotBackup},
		{"a byte of the database changed", write(flip(len(good) - 5000)), ErrBackupDamaged},
		{"a byte of the MAC changed", write(flip(len(good) - 1)), ErrBackupDamaged},
		{"cut short", write(good[:len(good)-100]), ErrBackupDamaged},
		{"header cut", write(good[:40]), ErrBackupDamaged},
		{"a byte appended", write(append(bytes.Clone(good), 0)), ErrBackupDamaged},
	}
	for _, c := range cases {
		secret := pass
		if c.want == ErrWrongPassphrase {
			secret = "not the passphrase"
		}
		_, err := v.Restore(ctx, c.path, secret, false, nil)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
		v.thr.reset()
	}
	if _, err := v.Restore(ctx, filepath.Join(t.TempDir(), "missing"), pass, false, nil); err == nil {
		t.Error("a missing file restored")
	}
	after := snapshot(t, dir)
	if len(after) != len(before) {
		t.Fatalf("files before %d, after %d", len(before), len(after))
	}
	for name, b := range before {
		if !bytes.Equal(after[name], b) {
			t.Errorf("%s changed by a failed restore", name)
		}
	}
	if st := v.Status(); st.State != StateLocked {
		t.Fatalf("state after failed restores: %v", st.State)
	}
}

// A file whose MAC is right but whose database is damaged (written so by a
// faulty disk before sealing) is refused by the integrity check.
func TestRestoreRunsTheIntegrityCheck(t *testing.T) {
	ctx := context.Background()
	v := openTest(t, t.TempDir())
	if _, err := v.Create(ctx, pass); err != nil {
		t.Fatal(err)
	}
	db, _ := v.DB()
	for i := range 2000 {
		db.Exec(`INSERT INTO settings (key, value) VALUES (?, ?)`, fmt.Sprintf("filler-%d", i), "some value to fill pages")
	}
	backupKey := make([]byte, dataKeyLen)
	rand.Read(backupKey)
	tmp := filepath.Join(t.TempDir(), "copy.db")
	if err := vacuumInto(context.Background(), db, tmp, backupKey); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(tmp)
	if len(b) < 8*4096 {
		t.Fatalf("copy of %d bytes is too small to damage a middle page", len(b))
	}
	rand.Read(b[len(b)-2*4096 : len(b)-4096]) // a whole page of noise
	os.WriteFile(tmp, b, 0o600)
	path := filepath.Join(t.TempDir(), "damaged"+BackupExtension)
	if _, err := sealBackup(ctx, path, "test", v.opts.Now().UTC(), v.keys, v.dek, backupKey, tmp); err != nil {
		t.Fatal(err)
	}
	other := openTest(t, t.TempDir())
	if _, err := other.Restore(ctx, path, pass, false, nil); !errors.Is(err, ErrBackupDamaged) {
		t.Fatalf("Restore of a damaged database: %v", err)
	}
}

// A crash in the middle of the swap is finished by the next Open.
func TestRestoreInterruptedDuringTheSwapIsFinishedAtOpen(t *testing.T) {
	ctx := context.Background()
	_, path, _ := backedUp(t, "restored")
	dir, _ := createTest(t)
	v := openTest(t, dir)
	staged, err := v.stageRestore(ctx, path, pass, false)
	if err != nil {
		t.Fatal(err)
	}
	clear(staged.vaultKey)
	os.WriteFile(filepath.Join(dir, restoreJournal), []byte("crash"), 0o600)
	// The crash: the old database moved aside, keys not yet.
	os.MkdirAll(filepath.Join(dir, ReplacedDirName, "crash"), 0o700)
	os.Rename(filepath.Join(dir, dbFileName), filepath.Join(dir, ReplacedDirName, "crash", dbFileName))
	v.Close()

	again := openTest(t, dir)
	if err := again.Unlock(ctx, pass); err != nil {
		t.Fatalf("Unlock after the interrupted restore: %v", err)
	}
	if got := marker(t, again); got != "restored" {
		t.Fatalf("marker %q", got)
	}
	for _, n := range []string{dbFileName, keyFileName} {
		if _, err := os.Stat(filepath.Join(dir, ReplacedDirName, "crash", n)); err != nil {
			t.Errorf("previous %s not kept aside: %v", n, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, restoreJournal)); !os.IsNotExist(err) {
		t.Error("journal left behind")
	}
}

// A restore that stopped before its journal leaves the vault as it was.
func TestRestoreInterruptedBeforeTheSwapChangesNothing(t *testing.T) {
	ctx := context.Background()
	_, path, _ := backedUp(t, "restored")
	dir, _ := createTest(t)
	v := openTest(t, dir)
	if _, err := v.stageRestore(ctx, path, pass, false); err != nil {
		t.Fatal(err)
	}
	v.Close()
	again := openTest(t, dir)
	for _, left := range []string{restoredDBName, restoredKeysName} {
		if _, err := os.Stat(filepath.Join(dir, left)); !os.IsNotExist(err) {
			t.Errorf("%s left behind", left)
		}
	}
	if err := again.Unlock(ctx, pass); err != nil {
		t.Fatal(err)
	}
	db, _ := again.DB()
	var n int
	db.QueryRow(`SELECT count(*) FROM settings WHERE key = 'marker'`).Scan(&n)
	if n != 0 {
		t.Fatal("the staged restore leaked into the vault")
	}
}

func TestBackupNeedsAnUnlockedVault(t *testing.T) {
	dir, _ := createTest(t)
	v := openTest(t, dir)
	if _, err := v.Backup(context.Background(), filepath.Join(t.TempDir(), "x"), "t"); !errors.Is(err, ErrLocked) {
		t.Fatalf("Backup while locked: %v", err)
	}
}

func TestTwoRestoresInOneSecondKeepBothPreviousVaults(t *testing.T) {
	ctx := context.Background()
	v, path, _ := backedUp(t, "from backup")
	stopped := v.opts.Now()
	v.opts.Now = func() time.Time { return stopped }
	setMarker(t, v, "first")
	first, err := v.Restore(ctx, path, pass, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	setMarker(t, v, "second")
	second, err := v.Restore(ctx, path, pass, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.Replaced == second.Replaced || filepath.Base(second.Replaced) != filepath.Base(first.Replaced)+"-2" {
		t.Fatalf("replaced folders %q and %q", first.Replaced, second.Replaced)
	}
	v.Close()
	for dir, want := range map[string]string{first.Replaced: "first", second.Replaced: "second"} {
		old := openTest(t, dir)
		if err := old.Unlock(ctx, pass); err != nil {
			t.Fatal(err)
		}
		if got := marker(t, old); got != want {
			t.Fatalf("%s holds %q, want %q", dir, got, want)
		}
		old.Close()
	}
}
