// Package cli runs Carnet's headless subcommands (init, verify, contacts,
// sales, mail, privacy, backup…). Like the window's bound services it only
// parses, calls a use case of backend/core and reports; it never imports
// package app. It works in a binary built without the desktop tags.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"golang.org/x/term"

	"carnet/backend/core"
	"carnet/backend/i18n"
	"carnet/backend/privacy"
	"carnet/backend/vault"
)

// Env is the outside world a command sees, so tests can run commands
// in-process.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Prompt asks for a secret on the terminal; nil when there is none.
	Prompt func(label string) (string, error)
	KDF    vault.KDFParams // zero: the defaults
}

// OSEnv is the real process environment.
func OSEnv() Env {
	e := Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	if tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0); err == nil {
		e.Prompt = func(label string) (string, error) {
			fmt.Fprint(tty, label)
			b, err := term.ReadPassword(int(tty.Fd()))
			fmt.Fprintln(tty)
			return string(b), err
		}
	}
	return e
}

// Wanted reports whether args (without the program name) ask for a
// subcommand rather than the window: any word that is not a flag or the
// value of --data-dir.
func Wanted(args []string) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--data-dir" || a == "-data-dir":
			i++
		case len(a) > 0 && a[0] == '-':
		default:
			return true
		}
	}
	return false
}

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1 // the check found a problem, or the command failed
	ExitUsage   = 2
)

type runner struct {
	env     Env
	i18n    *i18n.Bundle
	lang    string
	dataDir string
	json    bool
}

// Run parses args (without the program name) and runs one subcommand,
// returning the process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	b, err := i18n.Load()
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return ExitFailure
	}
	r := &runner{env: env, i18n: b}
	r.lang = b.FromEnv(env.Getenv)

	// Global flags may come before or after the command; each command
	// adds its own, and positional arguments may sit among them.
	global := flag.NewFlagSet("carnet", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	r.globalFlags(global)
	if err := global.Parse(args); err != nil {
		return r.usage(err)
	}
	rest := global.Args()
	if len(rest) == 0 {
		return r.usage(nil)
	}
	cmd, rest := rest[0], rest[1:]
	for groups[cmd] {
		if len(rest) == 0 {
			return r.usage(r.errorf("cli.which_command", map[string]any{"name": cmd}))
		}
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	c, ok := r.commands()[cmd]
	if !ok {
		fmt.Fprintln(env.Stderr, r.t("cli.unknown_command", map[string]any{"name": cmd}))
		return ExitUsage
	}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	r.globalFlags(fs)
	if c.flags != nil {
		c.flags(fs)
	}
	var pos []string
	for {
		if err := fs.Parse(rest); err != nil {
			return r.usage(err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(pos) != c.args {
		return r.usage(r.errorf("cli.arguments", map[string]any{"name": cmd, "count": c.args, "got": len(pos)}))
	}
	if r.dataDir == "" {
		r.dataDir = first(env.Getenv("CARNET_DATA_DIR"), core.DefaultDataDir())
	}
	return c.run(ctx, pos)
}

// groups are the words that take a subcommand ("mail account add").
var groups = map[string]bool{"contacts": true, "sales": true, "mail": true, "mail account": true, "privacy": true, "privacy consent": true, "privacy breach": true, "replaced": true}

type command struct {
	args  int                 // positional arguments expected
	flags func(*flag.FlagSet) // the command's own flags
	run   func(ctx context.Context, args []string) int
}

func (r *runner) globalFlags(fs *flag.FlagSet) {
	fs.StringVar(&r.dataDir, "data-dir", r.dataDir, "")
	fs.BoolVar(&r.json, "json", r.json, "")
}

func (r *runner) commands() map[string]command {
	noArgs := func(f func(context.Context) int) func(context.Context, []string) int {
		return func(ctx context.Context, _ []string) int { return f(ctx) }
	}
	var dryRun, rekey, acceptRollback bool
	var format, output, delimiter string
	var contacts int
	var seed uint64
	cmds := map[string]command{
		"init": {run: noArgs(r.init)},
		"verify": {
			flags: func(fs *flag.FlagSet) { fs.BoolVar(&acceptRollback, "accept-rollback", false, "") },
			run:   func(ctx context.Context, _ []string) int { return r.verify(ctx, acceptRollback) }},
		"passwd": {
			flags: func(fs *flag.FlagSet) { fs.BoolVar(&rekey, "rekey", false, "") },
			run:   func(ctx context.Context, _ []string) int { return r.passwd(ctx, rekey) }},
		"rekey":   {run: noArgs(r.rekey)},
		"version": {run: func(context.Context, []string) int { return r.version() }},
		"help": {run: func(context.Context, []string) int {
			fmt.Fprintln(r.env.Stdout, r.t("cli.usage", map[string]any{"version": core.Version, "default": core.DefaultDataDir()}))
			return ExitOK
		}},
		"contacts import": {args: 1,
			flags: func(fs *flag.FlagSet) { fs.BoolVar(&dryRun, "dry-run", false, "") },
			run:   func(ctx context.Context, a []string) int { return r.contactsImport(ctx, a[0], dryRun) }},
		"contacts export": {
			flags: func(fs *flag.FlagSet) {
				fs.StringVar(&format, "format", "csv", "")
				fs.StringVar(&output, "o", "", "")
				fs.StringVar(&delimiter, "delimiter", ";", "")
			},
			run: func(ctx context.Context, _ []string) int { return r.contactsExport(ctx, format, output, delimiter) }},
		"sales pdf": {args: 1,
			flags: func(fs *flag.FlagSet) { fs.StringVar(&output, "o", "", "") },
			run:   func(ctx context.Context, a []string) int { return r.salesPDF(ctx, a[0], output) }},
		"sales list": {
			flags: func(fs *flag.FlagSet) { fs.StringVar(&format, "kind", "", "") },
			run:   func(ctx context.Context, _ []string) int { return r.salesList(ctx, format) }},
		"contacts search": {args: 1, run: func(ctx context.Context, a []string) int { return r.contactsSearch(ctx, a[0]) }},
		"contacts show":   {args: 1, run: func(ctx context.Context, a []string) int { return r.contactsShow(ctx, a[0]) }},
		"demo": {
			flags: func(fs *flag.FlagSet) {
				fs.IntVar(&contacts, "contacts", 200, "")
				fs.Uint64Var(&seed, "seed", 1, "")
			},
			run: func(ctx context.Context, _ []string) int { return r.demo(ctx, contacts, seed) }},
	}
	r.mailCommands(cmds)
	r.privacyRegisterCommand(cmds)
	r.privacyCommands(cmds)
	r.privacySubjectCommands(cmds)
	r.privacyRetentionCommands(cmds)
	r.backupCommands(cmds)
	return cmds
}

func (r *runner) t(key string, params map[string]any) string {
	return r.i18n.T(r.lang, key, params)
}

// errorf is a translated error message for the command line.
func (r *runner) errorf(key string, params map[string]any) error {
	return errors.New(r.t(key, params))
}

func (r *runner) usage(err error) int {
	if err != nil {
		fmt.Fprintln(r.env.Stderr, r.t("cli.error", map[string]any{"message": err.Error()}))
	}
	fmt.Fprintln(r.env.Stderr, r.t("cli.usage", map[string]any{"version": core.Version, "default": core.DefaultDataDir()}))
	return ExitUsage
}

// fail reports err in the user's language (and as JSON with --json).
func (r *runner) fail(err error) int {
	return r.report(map[string]any{}, func() {}, err)
}

// report ends a command that did its work, or part of it, before err
// (nil when all went well): with --json one document, out with "ok" and
// the error added; else what text prints, then the error on stderr.
func (r *runner) report(out map[string]any, text func(), err error) int {
	var ue *core.UserError
	if err != nil {
		if ue = core.Describe(err); ue.Key == "error.read_only" {
			ue.Params = map[string]any{"path": r.dataDir}
		}
	}
	if r.json {
		out["ok"] = err == nil
		if ue != nil {
			out["error"], out["message"] = ue.Key, r.message(ue)
		}
		r.writeJSON(out)
	} else {
		text()
		if ue != nil {
			fmt.Fprintln(r.env.Stderr, r.t("cli.error", map[string]any{"message": r.message(ue)}))
		}
	}
	if err != nil {
		return ExitFailure
	}
	return ExitOK
}

func (r *runner) message(ue *core.UserError) string {
	msg := r.t(ue.Key, ue.Params)
	if ue.Then != nil {
		msg += " " + r.message(ue.Then)
	}
	return msg
}

// output writes v as JSON with --json, else what table writes, its
// columns separated by tabs and aligned.
func (r *runner) output(v any, table func(w io.Writer)) int {
	if r.json {
		r.writeJSON(v)
		return ExitOK
	}
	w := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
	table(w)
	w.Flush()
	return ExitOK
}

func (r *runner) writeJSON(v any) {
	enc := json.NewEncoder(r.env.Stdout)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// secret reads a secret from the environment variable, else the terminal.
func (r *runner) secret(variable, promptKey string, confirm bool) (string, error) {
	if s := r.env.Getenv(variable); s != "" {
		return s, nil
	}
	if r.env.Prompt == nil {
		return "", errors.New(r.t("cli.no_tty", map[string]any{"variable": variable}))
	}
	s, err := r.env.Prompt(r.t(promptKey, nil))
	if err != nil {
		return "", err
	}
	if confirm {
		again, err := r.env.Prompt(r.t("cli.prompt_repeat", nil))
		if err != nil {
			return "", err
		}
		if again != s {
			return "", errors.New(r.t("passphrase.mismatch", nil))
		}
	}
	return s, nil
}

func (r *runner) open() (*vault.Vault, error) {
	return vault.Open(r.dataDir, vault.Options{KDF: r.env.KDF})
}

// unlocked opens and unlocks the vault and does what every unlock does
// (housekeep).
func (r *runner) unlocked(ctx context.Context) (*vault.Vault, error) {
	v, err := r.unlock(ctx)
	if err != nil {
		return nil, err
	}
	r.housekeep(ctx, v)
	return v, nil
}

// unlock opens and unlocks the vault, writing nothing into it.
func (r *runner) unlock(ctx context.Context) (*vault.Vault, error) {
	v, err := r.open()
	if err != nil {
		return nil, err
	}
	if st := v.Status(); st.Problem != nil {
		v.Close()
		return nil, st.Problem
	}
	pass, err := r.secret("CARNET_PASSPHRASE", "cli.prompt_passphrase", false)
	if err != nil {
		v.Close()
		return nil, err
	}
	if err := v.Unlock(ctx, pass); err != nil {
		v.Close()
		return nil, err
	}
	return v, nil
}

// options are the use cases' options on v, as done from the command line.
func (r *runner) options(v *vault.Vault) core.Options {
	lang := r.lang
	return core.Options{Vault: v, I18n: r.i18n, Lang: func() string { return lang }, Via: core.ViaCLI}
}

// housekeep does what every unlock does, as the window does at its own
// (core.Housekeep: the trash, ended restrictions, the unlock recorded,
// erasures applied again). A failure is said, not fatal: the command asked for may still work.
func (r *runner) housekeep(ctx context.Context, v *vault.Vault) core.Housekept {
	var h core.Housekept
	c, err := core.New(r.options(v))
	if err == nil {
		h, err = c.Housekeep(ctx)
	}
	if err != nil {
		fmt.Fprintln(r.env.Stderr, r.t("cli.housekeep_failed", map[string]any{"message": r.message(core.Describe(err))}))
	}
	return h
}

// core unlocks the vault and returns its use cases, as done from the
// command line; done closes the vault.
func (r *runner) core(ctx context.Context) (c *core.Core, done func(), err error) {
	v, err := r.unlocked(ctx)
	if err != nil {
		return nil, nil, err
	}
	if c, err = core.New(r.options(v)); err != nil {
		v.Close()
		return nil, nil, err
	}
	return c, func() { v.Close() }, nil
}

// said reports err, the failure to record an action that is done
// (core.ErrNotRecorded), on stderr without failing the command: recorded
// is false then, for "recorded": false in --json. Other errors come back
// as they are.
func (r *runner) said(err error) (recorded bool, _ error) {
	if !errors.Is(err, core.ErrNotRecorded) {
		return err == nil, err
	}
	fmt.Fprintln(r.env.Stderr, r.t("cli.not_recorded", map[string]any{"message": r.message(core.Describe(err))}))
	return false, nil
}

// recorded adds "recorded": false to a --json result whose audit entry
// could not be written (Art. 5(2): a script must be able to tell).
func recorded(out map[string]any, ok bool) map[string]any {
	if !ok {
		out["recorded"] = false
	}
	return out
}

func (r *runner) init(ctx context.Context) int {
	v, err := r.open()
	if err != nil {
		return r.fail(err)
	}
	defer v.Close()
	if st := v.Status(); st.State != vault.StateAbsent {
		return r.fail(vault.ErrVaultExists)
	}
	pass, err := r.secret("CARNET_PASSPHRASE", "cli.prompt_new", true)
	if err != nil {
		return r.fail(err)
	}
	code, err := v.Create(ctx, pass)
	if err != nil {
		return r.fail(err)
	}
	if r.json {
		r.writeJSON(map[string]any{"ok": true, "dataDir": v.Dir(), "recoveryCode": code})
	} else {
		fmt.Fprintln(r.env.Stdout, r.t("cli.created", map[string]any{"path": v.Dir()}))
		fmt.Fprintln(r.env.Stdout, r.t("cli.recovery_code", nil))
		fmt.Fprintln(r.env.Stdout, "  "+code)
	}
	return ExitOK
}

// verify checks the vault before anything is written into it: the
// housekeeping of an unlock (its audit entry, the trash, ended
// restrictions) would append to the chains being checked, in a database
// that may be damaged. It runs only once the check found the vault sound.
func (r *runner) verify(ctx context.Context, acceptRollback bool) int {
	v, err := r.unlock(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer v.Close()
	c, err := core.New(r.options(v))
	if err != nil {
		return r.fail(err)
	}
	if acceptRollback {
		// The user's decision, asked for: recorded before the check, which
		// then no longer reports the copy.
		accepted, err := c.AcceptRollback(ctx)
		if err != nil {
			return r.fail(err)
		}
		if accepted && !r.json {
			fmt.Fprintln(r.env.Stdout, r.t("cli.rollback_accepted", nil))
		}
	}
	rep, err := v.Verify(ctx)
	if err != nil {
		return r.fail(err)
	}
	problems := rep.Integrity
	if !rep.KeyFilesHealthy {
		problems = append(problems, r.t("cli.verify_key_files", nil))
	}
	if rb := rep.Rollback; rb != nil && rb.Chain == "" {
		problems = append(problems, r.t("cli.verify_rollback_unknown", nil))
	} else if rb != nil {
		problems = append(problems, r.t("cli.verify_rollback", map[string]any{
			"chain": r.t("vault.rollback_chain_"+rb.Chain, nil), "anchored": rb.AnchoredEntries, "entries": rb.Entries}))
	}
	// The consent ledger and the audit log must still chain.
	var chains *core.Chains
	if len(rep.Integrity) == 0 {
		ch, err := c.VerifyChains(ctx)
		if err != nil {
			return r.fail(err)
		}
		chains = &ch
		for _, c := range []struct {
			name string
			st   privacy.ChainStatus
		}{{"ledger", ch.Ledger}, {"audit", ch.Audit}} {
			if !c.st.OK {
				problems = append(problems, r.t("cli.verify_chain_"+c.name, map[string]any{"id": c.st.BrokenAt}))
			}
		}
	}
	ok := len(problems) == 0
	if ok {
		r.housekeep(ctx, v)
	}
	if r.json {
		r.writeJSON(map[string]any{"ok": ok, "integrity": nonNil(rep.Integrity), "keyFilesHealthy": rep.KeyFilesHealthy, "chains": chains, "rollback": rep.Rollback})
	} else if ok {
		fmt.Fprintln(r.env.Stdout, r.t("cli.verify_ok", nil))
	} else {
		fmt.Fprintln(r.env.Stdout, r.t("cli.verify_failed", map[string]any{"count": len(problems)}))
		for _, p := range problems {
			fmt.Fprintln(r.env.Stdout, "  "+p)
		}
	}
	if !ok {
		return ExitFailure
	}
	return ExitOK
}

// passwd changes the passphrase: instantly (the key file only), or with
// --rekey by re-encrypting the vault under a new key.
func (r *runner) passwd(ctx context.Context, rekey bool) int {
	v, cur, err := r.unlockWithPassphrase(ctx)
	if v != nil {
		defer v.Close()
	}
	if err != nil {
		return r.fail(err)
	}
	next, err := r.secret("CARNET_NEW_PASSPHRASE", "cli.prompt_new", true)
	if err != nil {
		return r.fail(err)
	}
	if rekey {
		return r.runRekey(ctx, v, cur, next)
	}
	if err := v.ChangePassphrase(ctx, cur, next); err != nil {
		return r.fail(err)
	}
	if r.json {
		r.writeJSON(map[string]any{"ok": true, "rekeyed": false})
	} else {
		fmt.Fprintln(r.env.Stdout, r.t("cli.passwd_done", nil))
		fmt.Fprintln(r.env.Stdout, r.t("cli.rekey_recommended", nil))
	}
	return ExitOK
}

// rekey re-encrypts the vault under a new key, keeping the passphrase.
func (r *runner) rekey(ctx context.Context) int {
	v, cur, err := r.unlockWithPassphrase(ctx)
	if v != nil {
		defer v.Close()
	}
	if err != nil {
		return r.fail(err)
	}
	return r.runRekey(ctx, v, cur, "")
}

// unlockWithPassphrase opens the vault and unlocks it with the passphrase
// asked for, which it returns: passwd and rekey need it again. The vault,
// when not nil, is the caller's to close, even with an error.
func (r *runner) unlockWithPassphrase(ctx context.Context) (*vault.Vault, string, error) {
	v, err := r.open()
	if err != nil {
		return nil, "", err
	}
	if st := v.Status(); st.Problem != nil {
		return v, "", st.Problem
	}
	cur, err := r.secret("CARNET_PASSPHRASE", "cli.prompt_passphrase", false)
	if err != nil {
		return v, "", err
	}
	if err := v.Unlock(ctx, cur); err != nil {
		return v, "", err
	}
	r.housekeep(ctx, v)
	return v, cur, nil
}

// runRekey re-keys the unlocked vault, showing progress on stderr, and
// prints the new recovery code.
func (r *runner) runRekey(ctx context.Context, v *vault.Vault, cur, next string) int {
	c, err := core.New(r.options(v))
	if err != nil {
		return r.fail(err)
	}
	shown := -1
	code, err := c.Rekey(ctx, cur, vault.RekeyOptions{
		NewPassphrase: next,
		Progress: func(done, total int64) {
			if total <= 0 || r.json {
				return
			}
			// Every tenth: enough for a big vault, quiet for a small one.
			if p := int(done * 100 / total); p/10 > shown/10 {
				shown = p
				fmt.Fprintln(r.env.Stderr, r.t("cli.rekey_progress", map[string]any{"percent": p}))
			}
		},
	})
	if code == "" {
		return r.fail(err)
	}
	var notRecorded error
	if errors.Is(err, core.ErrNotRecorded) {
		notRecorded, err = err, nil
	}
	// The re-key is committed: the old code is dead, so the new one is
	// shown before anything else can fail, and even with a failure after
	// the commit (the next unlock finishes the swap).
	exit := r.report(recorded(map[string]any{"rekeyed": true, "recoveryCode": code}, notRecorded == nil), func() {
		fmt.Fprintln(r.env.Stdout, r.t("cli.rekey_done", nil))
		fmt.Fprintln(r.env.Stdout, r.t("cli.recovery_code", nil))
		fmt.Fprintln(r.env.Stdout, "  "+code)
	}, err)
	if err == nil && notRecorded != nil {
		// Said, not fatal: the re-key is done and its code shown.
		fmt.Fprintln(r.env.Stderr, r.t("cli.rekey_audit_failed", map[string]any{"message": r.message(core.Describe(notRecorded))}))
	}
	return exit
}

func (r *runner) version() int {
	if r.json {
		r.writeJSON(map[string]any{"version": core.Version, "schema": vault.SchemaVersion()})
	} else {
		fmt.Fprintf(r.env.Stdout, "carnet %s (schema %d)\n", core.Version, vault.SchemaVersion())
	}
	return ExitOK
}

func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
