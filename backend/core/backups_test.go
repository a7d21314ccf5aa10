package core_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"carnet/backend/core"
	"carnet/backend/fsutil"
	"carnet/backend/prefs"
	"carnet/backend/settings"
)

func TestChoosingTheBackupFolderIsRecordedWithThePreference(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	folder := t.TempDir()
	if err := c.SetBackupFolder(ctx, folder, true); err != nil {
		t.Fatal(err)
	}
	if p := prefs.Load(c.Vault().Dir()); p.BackupFolder != folder || !p.AutoBackup {
		t.Fatalf("preferences: %+v", p)
	}
	if got := auditEntries(t, c.DB(), "backup.settings"); len(got) != 1 || got[0].Detail["automatic"] != true {
		t.Fatalf("backup.settings entries: %+v", got)
	}
	// Inside the data folder: refused, nothing saved or recorded.
	if err := c.SetBackupFolder(ctx, c.Vault().Dir(), false); err == nil {
		t.Fatal("a backup folder inside the data folder was accepted")
	}
	failAudit(t, c.DB())
	if err := c.SetBackupFolder(ctx, t.TempDir(), false); err == nil || !strings.Contains(err.Error(), "injected audit failure") {
		t.Fatalf("with a failing audit: %v", err)
	}
	if p := prefs.Load(c.Vault().Dir()); p.BackupFolder != folder || !p.AutoBackup {
		t.Fatalf("the preference changed without its entry: %+v", p)
	}
}

func TestABackupIsRecordedAndAnUnrecordedOneSaysSo(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	file := filepath.Join(t.TempDir(), "one.carnetbackup")
	if _, err := c.BackUpFile(ctx, file); err != nil {
		t.Fatal(err)
	}
	res, err := c.BackUp(ctx, t.TempDir())
	if err != nil || !fsutil.Exists(file) || !fsutil.Exists(res.Backup.Path) {
		t.Fatalf("backups: %+v, %v", res, err)
	}
	if n := len(auditEntries(t, c.DB(), "backup.write")); n != 2 {
		t.Fatalf("%d backup.write entries, want 2", n)
	}
	// The file exists whatever the log says: the caller is told it is
	// not recorded, and can tell it from a failed backup.
	failAudit(t, c.DB())
	file = filepath.Join(t.TempDir(), "two.carnetbackup")
	if _, err := c.BackUpFile(ctx, file); !errors.Is(err, core.ErrNotRecorded) || !fsutil.Exists(file) {
		t.Fatalf("backup with a failing audit: %v (file written: %v)", err, fsutil.Exists(file))
	}
}

func TestVaultSettingsGoThroughCore(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	if err := c.SetAutoLockMinutes(ctx, 12); err != nil {
		t.Fatal(err)
	}
	if err := c.SetMailMaxMessageMB(ctx, 7); err != nil {
		t.Fatal(err)
	}
	st := settings.New(c.DB())
	if n, _ := st.AutoLockMinutes(ctx); n != 12 {
		t.Errorf("auto-lock %d, want 12", n)
	}
	if n, _ := st.MailMaxMessageMB(ctx); n != 7 {
		t.Errorf("mail size limit %d, want 7", n)
	}
	var ue *core.UserError
	if err := c.SetMailMaxMessageMB(ctx, 0); !errors.As(err, &ue) || ue.Key != "error.out_of_range" {
		t.Errorf("0 MB: %v", err)
	}
}
