package cli

import (
	"context"
	"flag"
	"fmt"
	"os"

	"carnet/backend/backup"
	"carnet/backend/core"
	"carnet/backend/fsutil"
	"carnet/backend/prefs"
	"carnet/backend/vault"
)

func (r *runner) backupCommands(cmds map[string]command) {
	var output string
	var recovery bool
	cmds["backup"] = command{
		flags: func(fs *flag.FlagSet) { fs.StringVar(&output, "o", "", "") },
		run:   func(ctx context.Context, _ []string) int { return r.backup(ctx, output) }}
	cmds["restore"] = command{args: 1,
		flags: func(fs *flag.FlagSet) { fs.BoolVar(&recovery, "recovery", false, "") },
		run:   func(ctx context.Context, a []string) int { return r.restore(ctx, a[0], recovery) }}
	r.replacedCommands(cmds)
}

// backup writes a backup to -o FILE, else into the backup folder chosen in
// the app (with its rotation).
func (r *runner) backup(ctx context.Context, output string) int {
	folder := prefs.Load(r.dataDir).BackupFolder
	if output == "" && folder == "" {
		return r.usage(r.errorf("cli.backup_where", nil))
	}
	if output != "" && fsutil.Exists(output) {
		return r.fail(&core.UserError{Key: "backup.error.file_exists", Params: map[string]any{"path": output}})
	}
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	var res backup.Result
	if output != "" {
		res, err = c.BackUpFile(ctx, output)
	} else {
		res, err = c.BackUp(ctx, folder)
	}
	logged, err := r.said(err)
	if err != nil {
		return r.fail(err)
	}
	if r.json {
		r.writeJSON(recorded(map[string]any{"ok": true, "path": res.Backup.Path, "size": res.Backup.Size, "created": res.Backup.Created, "removed": nonNil(res.Removed)}, logged))
		return ExitOK
	}
	fmt.Fprintln(r.env.Stdout, r.t("cli.backup_done", map[string]any{"path": res.Backup.Path, "size": r.megabytes(res.Backup.Size)}))
	if len(res.Removed) > 0 {
		fmt.Fprintln(r.env.Stdout, r.t("cli.backup_rotated", map[string]any{"count": len(res.Removed)}))
	}
	return ExitOK
}

// restore replaces the vault with a backup. The secret is the passphrase
// (or with --recovery the recovery code) in force when the backup was made.
func (r *runner) restore(ctx context.Context, path string, recovery bool) int {
	if _, err := os.Stat(path); err != nil {
		return r.fail(err)
	}
	v, err := r.open()
	if err != nil {
		return r.fail(err)
	}
	defer v.Close()
	variable, prompt := "CARNET_PASSPHRASE", "cli.prompt_backup_passphrase"
	if recovery {
		variable, prompt = "CARNET_RECOVERY_CODE", "cli.prompt_recovery_code"
	}
	secret, err := r.secret(variable, prompt, false)
	if err != nil {
		return r.fail(err)
	}
	var next string
	if recovery {
		// Asked and checked before anything is replaced: a refused
		// passphrase leaves the folder as it was.
		if next, err = r.secret("CARNET_NEW_PASSPHRASE", "cli.prompt_new", true); err != nil {
			return r.fail(err)
		}
		if err := vault.CheckPassphrase(next); err != nil {
			return r.fail(err)
		}
	}
	res, c, err := core.Restore(ctx, r.options(v), path, secret, recovery, nil)
	logged, err := r.said(err)
	if err != nil {
		return r.fail(err)
	}
	if res.MustChangePassphrase {
		if next == "" {
			if next, err = r.secret("CARNET_NEW_PASSPHRASE", "cli.prompt_new", true); err != nil {
				return r.fail(err)
			}
		}
		if err := v.SetNewPassphrase(ctx, next); err != nil {
			return r.fail(err)
		}
	}
	if c == nil {
		if c, err = core.New(r.options(v)); err != nil {
			return r.fail(err)
		}
	}
	if res.MustChangePassphrase {
		if logged, err = r.said(c.RecordRestore(ctx, res, recovery)); err != nil {
			return r.fail(err)
		}
	}
	// What every unlock does, as after the window's restore; with it, Art.
	// 17: a backup older than an erasure holds the person again, the
	// erasures recorded outside the vault are applied to it at once.
	re := r.housekeep(ctx, v).Reapplied
	if r.json {
		r.writeJSON(recorded(map[string]any{"ok": true, "created": res.Backup.Created, "replaced": res.Replaced, "reapplied": re}, logged))
		return ExitOK
	}
	fmt.Fprintln(r.env.Stdout, r.t("cli.restore_done", map[string]any{"date": r.i18n.Format(r.lang).DateTime(res.Backup.Created.Local())}))
	if res.Replaced != "" {
		fmt.Fprintln(r.env.Stdout, r.t("cli.restore_replaced", map[string]any{"path": res.Replaced}))
	}
	if n := len(re.Erasures); n > 0 {
		fmt.Fprintln(r.env.Stdout, r.t("backup.restore.reapplied", map[string]any{"count": n}))
		for _, e := range re.Erasures {
			fmt.Fprintln(r.env.Stdout, "  - "+r.t("cli.reapplied_erasure", map[string]any{"id": e.ContactID, "certificate": e.Certificate, "now": e.Now}))
		}
	}
	if re.Record != "" {
		fmt.Fprintln(r.env.Stdout, r.t("backup.restore.record_"+re.Record, nil))
	}
	if re.Relisted > 0 {
		fmt.Fprintln(r.env.Stdout, r.t("backup.restore.relisted", map[string]any{"count": re.Relisted}))
	}
	if re.NotRelisted > 0 {
		fmt.Fprintln(r.env.Stdout, r.t("backup.restore.not_relisted", map[string]any{"count": re.NotRelisted}))
	}
	return ExitOK
}
