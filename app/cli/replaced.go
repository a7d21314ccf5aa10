package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"carnet/backend/backup"
)

func (r *runner) replacedCommands(cmds map[string]command) {
	var name string
	var all, yes bool
	cmds["replaced list"] = command{run: func(context.Context, []string) int { return r.replacedList() }}
	cmds["replaced purge"] = command{
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&name, "name", "", "")
			fs.BoolVar(&all, "all", false, "")
			fs.BoolVar(&yes, "yes", false, "")
		},
		run: func(ctx context.Context, _ []string) int { return r.replacedPurge(ctx, name, all, yes) },
	}
}

// replacedList lists the vaults set aside by restores; no passphrase is
// needed (names, dates and sizes only).
func (r *runner) replacedList() int {
	list, err := backup.ListReplaced(r.dataDir)
	if err != nil {
		return r.fail(err)
	}
	if !r.json && len(list) == 0 {
		fmt.Fprintln(r.env.Stdout, r.t("backup.replaced.none", nil))
		return ExitOK
	}
	return r.output(list, func(w io.Writer) {
		for _, rp := range list {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", rp.Name, r.i18n.Format(r.lang).DateTime(rp.Time.Local()), r.t("mail.size.mb", map[string]any{"n": r.megabytes(rp.Size)}), rp.Path)
		}
	})
}

// replacedPurge deletes one replaced vault (--name) or all (--all). They
// are the way back after a restore: --yes confirms, and the passphrase is
// asked as for any change to the vault.
func (r *runner) replacedPurge(ctx context.Context, name string, all, yes bool) int {
	if (name == "") == !all {
		return r.usage(r.errorf("cli.replaced_which", nil))
	}
	list, err := backup.ListReplaced(r.dataDir)
	if err != nil {
		return r.fail(err)
	}
	var names []string
	if name != "" {
		names = []string{name}
	}
	n := len(list)
	if name != "" {
		n = 1
	}
	if !yes {
		fmt.Fprintln(r.env.Stderr, r.t("backup.replaced.confirm", map[string]any{"count": n}))
		return r.usage(r.errorf("cli.replaced_yes", nil))
	}
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	// Not recorded is said, not fatal: the files are gone whatever the
	// log says.
	purged, err := c.PurgeReplaced(ctx, names)
	logged, err := r.said(err)
	if err != nil {
		return r.fail(err)
	}
	if r.json {
		r.writeJSON(recorded(map[string]any{"ok": true, "purged": purged}, logged))
		return ExitOK
	}
	fmt.Fprintln(r.env.Stdout, r.t("backup.replaced.purged", map[string]any{"count": len(purged)}))
	return ExitOK
}

// copiesLines prints which backups and replaced vaults may still hold an
// erased person.
func (r *runner) copiesLines(c *backup.Copies) {
	if c == nil {
		return
	}
	if len(c.Backups) > 0 {
		fmt.Fprintln(r.env.Stdout, r.t("rights.erasure.backups_held", map[string]any{"count": len(c.Backups)}))
		for _, b := range c.Backups {
			when := r.i18n.Format(r.lang).DateTime(b.Time.Local())
			switch {
			case b.Automatic && !b.Expires.IsZero():
				fmt.Fprintln(r.env.Stdout, "  - "+b.Name+" — "+r.t("rights.erasure.backup_expires", map[string]any{"date": when, "expires": r.day(b.Expires)}))
			case b.Automatic: // no day known when the rotation removes it: none printed
				fmt.Fprintln(r.env.Stdout, "  - "+b.Name+" — "+when)
			default:
				fmt.Fprintln(r.env.Stdout, "  - "+r.t("rights.erasure.backup_kept", map[string]any{"date": when, "name": b.Name}))
			}
		}
		if !c.LastExpiry.IsZero() {
			fmt.Fprintln(r.env.Stdout, r.t("rights.erasure.backups_last", map[string]any{"date": r.day(c.LastExpiry)}))
		}
	}
	if c.FolderUnavailable {
		fmt.Fprintln(r.env.Stdout, r.t("rights.erasure.backups_unavailable", map[string]any{"path": c.Folder}))
	}
	if len(c.Replaced) > 0 {
		fmt.Fprintln(r.env.Stdout, r.t("rights.erasure.replaced_held", map[string]any{"count": len(c.Replaced)}))
		for _, rp := range c.Replaced {
			fmt.Fprintln(r.env.Stdout, "  - "+rp.Path)
		}
		fmt.Fprintln(r.env.Stdout, r.t("cli.replaced_hint", nil))
	}
	if len(c.Backups) == 0 && len(c.Replaced) == 0 && !c.FolderUnavailable {
		fmt.Fprintln(r.env.Stdout, r.t("rights.erasure.backups_none", nil))
	}
	fmt.Fprintln(r.env.Stdout, r.t("rights.erasure.backups", nil))
}
