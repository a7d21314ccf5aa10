package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"carnet/backend/core"
	"carnet/backend/mail"
)

// stringList is a flag given several times (--to a --to b).
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func (r *runner) mailCommands(cmds map[string]command) {
	var a mail.Account
	var security, caFile, account, subject, bodyFile string
	var contact int64
	var html bool
	var to, cc, attach stringList
	cmds["mail account add"] = command{
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&a.Name, "name", "", "")
			fs.StringVar(&a.Address, "address", "", "")
			fs.StringVar(&a.DisplayName, "display-name", "", "")
			fs.StringVar(&a.IMAPHost, "imap-host", "", "")
			fs.IntVar(&a.IMAPPort, "imap-port", 993, "")
			fs.StringVar(&a.SMTPHost, "smtp-host", "", "")
			fs.IntVar(&a.SMTPPort, "smtp-port", 465, "")
			fs.StringVar(&a.Username, "user", "", "")
			fs.StringVar(&security, "tls", "tls", "")
			fs.StringVar(&caFile, "ca-file", "", "")
		},
		run: func(ctx context.Context, _ []string) int { return r.mailAccountAdd(ctx, a, security, caFile) },
	}
	cmds["mail sync"] = command{
		flags: func(fs *flag.FlagSet) { fs.StringVar(&account, "account", "", "") },
		run:   func(ctx context.Context, _ []string) int { return r.mailSync(ctx, account) },
	}
	cmds["mail list"] = command{
		flags: func(fs *flag.FlagSet) {
			fs.Int64Var(&contact, "contact", 0, "")
			fs.StringVar(&account, "account", "", "")
		},
		run: func(ctx context.Context, _ []string) int { return r.mailList(ctx, contact, account) },
	}
	cmds["mail show"] = command{args: 1,
		flags: func(fs *flag.FlagSet) { fs.BoolVar(&html, "html", false, "") },
		run:   func(ctx context.Context, args []string) int { return r.mailShow(ctx, args[0], html) },
	}
	cmds["mail send"] = command{
		flags: func(fs *flag.FlagSet) {
			fs.Var(&to, "to", "")
			fs.Var(&cc, "cc", "")
			fs.StringVar(&subject, "subject", "", "")
			fs.StringVar(&bodyFile, "body-file", "", "")
			fs.Var(&attach, "attach", "")
			fs.StringVar(&account, "account", "", "")
		},
		run: func(ctx context.Context, _ []string) int {
			return r.mailSend(ctx, account, mail.Draft{To: to, Cc: cc, Topic: subject}, bodyFile, attach)
		},
	}
}

// mailStore unlocks the vault and returns its use cases and, for reads,
// its mail store; done closes the vault.
func (r *runner) mailStore(ctx context.Context) (*core.Core, *mail.Store, func(), error) {
	c, done, err := r.core(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	return c, mail.New(c.DB(), nil), done, nil
}

func (r *runner) mailAccountAdd(ctx context.Context, a mail.Account, security, caFile string) int {
	a.IMAPSecurity, a.SMTPSecurity = mail.Security(security), mail.Security(security)
	if a.Address == "" && strings.Contains(a.Username, "@") {
		a.Address = a.Username
	}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return r.fail(err)
		}
		a.CAPEM = string(pem)
	}
	pw, err := r.secret("CARNET_MAIL_PASSWORD", "cli.prompt_mail_password", false)
	if err != nil {
		return r.fail(err)
	}
	a.Password = pw
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	id, err := c.SaveMailAccount(ctx, a)
	if err != nil {
		return r.fail(err)
	}
	if r.json {
		r.writeJSON(map[string]any{"ok": true, "id": id})
	} else {
		fmt.Fprintln(r.env.Stdout, r.t("cli.mail_account_added", map[string]any{"id": id}))
	}
	return ExitOK
}

// accounts returns the named account, or every account when name is "".
func accounts(ctx context.Context, s *mail.Store, name string) ([]mail.Account, error) {
	if name == "" {
		return s.Accounts(ctx)
	}
	a, err := s.AccountByName(ctx, name)
	if err != nil {
		return nil, err
	}
	return []mail.Account{a}, nil
}

func (r *runner) mailSync(ctx context.Context, name string) int {
	c, s, done, err := r.mailStore(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	var only int64
	if name != "" {
		a, err := s.AccountByName(ctx, name)
		if err != nil {
			return r.fail(err)
		}
		only = a.ID
	}
	res, err := c.SyncMail(ctx, only, nil)
	if len(res.Failed) > 0 || (err != nil && res.SendErr == nil) {
		return r.fail(err)
	}
	// Synced, perhaps with the outbox failing: one result, with the error.
	total := res.SyncResult
	return r.report(map[string]any{"sync": total, "outbox": res.Sent}, func() {
		fmt.Fprintln(r.env.Stdout, r.t("cli.mail_synced", map[string]any{"new": total.New, "updated": total.Updated, "deleted": total.Deleted, "sent": res.Sent.Sent}))
	}, res.SendErr)
}

func (r *runner) mailList(ctx context.Context, contact int64, name string) int {
	_, s, done, err := r.mailStore(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	var list []mail.Summary
	if contact != 0 {
		if list, err = s.ForContact(ctx, contact, 10000); err != nil {
			return r.fail(err)
		}
	} else {
		accs, err := accounts(ctx, s, name)
		if err != nil {
			return r.fail(err)
		}
		list = []mail.Summary{}
		for _, a := range accs {
			folders, err := s.Folders(ctx, a.ID)
			if err != nil {
				return r.fail(err)
			}
			for _, f := range folders {
				p, err := s.List(ctx, f.ID, 0, 1<<30)
				if err != nil {
					return r.fail(err)
				}
				list = append(list, p.Messages...)
			}
		}
	}
	return r.output(list, func(w io.Writer) {
		for _, m := range list {
			who := m.FromName
			if who == "" {
				who = m.FromAddress
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", m.ID, r.momentOf(m.Date), who, m.Topic)
		}
	})
}

func (r *runner) mailShow(ctx context.Context, arg string, html bool) int {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return r.usage(r.errorf("cli.not_a_number", map[string]any{"value": arg}))
	}
	_, s, done, err := r.mailStore(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	m, err := s.Open(ctx, id, false, nil)
	if err != nil {
		return r.fail(err)
	}
	switch {
	case r.json:
		r.writeJSON(m)
	case html:
		fmt.Fprintln(r.env.Stdout, m.HTML)
	default:
		fmt.Fprintf(r.env.Stdout, "%s: %s <%s>\n%s: %s\n%s: %s\n\n%s\n",
			r.t("mail.from", nil), m.FromName, m.FromAddress, r.t("mail.date", nil), r.momentOf(m.Date), r.t("mail.subject", nil), m.Topic, m.Text)
	}
	return ExitOK
}

func (r *runner) mailSend(ctx context.Context, name string, d mail.Draft, bodyFile string, attach []string) int {
	if bodyFile != "" {
		b, err := os.ReadFile(bodyFile)
		if err != nil {
			return r.fail(err)
		}
		d.Body = string(b)
	}
	for _, path := range attach {
		b, err := os.ReadFile(path)
		if err != nil {
			return r.fail(err)
		}
		d.Attachments = append(d.Attachments, mail.OutAttachment{Filename: filepath.Base(path),
			ContentType: mime.TypeByExtension(filepath.Ext(path)), Data: b})
	}
	c, s, done, err := r.mailStore(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	accs, err := accounts(ctx, s, name)
	if err != nil {
		return r.fail(err)
	}
	if len(accs) == 0 {
		return r.fail(fmt.Errorf("%w: no account", mail.ErrNotFound))
	}
	d.AccountID = accs[0].ID
	id, err := c.QueueMail(ctx, d)
	if err != nil {
		return r.fail(err)
	}
	res, sendErr := c.SendMail(ctx)
	state := "sent"
	if res.Sent == 0 {
		state = "queued"
	}
	// Queued, perhaps not sent: one result, with the error.
	return r.report(map[string]any{"id": id, "state": state}, func() {
		fmt.Fprintln(r.env.Stdout, r.t("cli.mail_"+state, map[string]any{"id": id}))
	}, sendErr)
}
