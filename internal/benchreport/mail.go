package benchreport

import (
	"context"
	"fmt"
	"os"
	"time"

	"carnet/backend/mail"
	"carnet/backend/mail/mailtest"
)

// mailQueries are words people look for in their mail.
var mailQueries = []string{"facture", "devis", "hélène", "paul", "rendez", "livraison", "compta", "merci", "relance", "commande", "du", "pro"}

// openOp opens one stored message per call (read, parse, sanitise), all
// over the mailbox.
func (v *Vault) openOp(ctx context.Context, messages int) op {
	return func(i int) error {
		_, err := v.Mail.Open(ctx, int64(1+(i*7919)%messages), false, nil)
		return err
	}
}

// mailSearchOp searches the mailbox, one query per call.
func (v *Vault) mailSearchOp(ctx context.Context) op {
	return func(i int) error {
		_, err := v.Mail.Search(ctx, mailQueries[i%len(mailQueries)], 50)
		return err
	}
}

// Mailbox is a throwaway Dovecot holding n generated messages in its
// INBOX, for the initial sync and for mbsync.
type Mailbox struct {
	*mailtest.Server
	N int
}

// NewMailbox starts Dovecot on loopback and fills its INBOX.
func NewMailbox(n int) (*Mailbox, error) {
	srv, err := mailtest.StartDovecot()
	if err != nil {
		return nil, err
	}
	from := []string{"helene.dupont@example.fr", "paul.martin@example.com", "compta@fournisseur.fr"}
	for start := 0; start < n; start += 1000 {
		if err := srv.Put("INBOX", "S", mailtest.GenerateMessages(int64(start), min(1000, n-start), from)...); err != nil {
			srv.Close()
			return nil, err
		}
	}
	return &Mailbox{srv, n}, nil
}

// SyncInto copies the mailbox into an empty vault made under dir, as
// Carnet's first sync of a new account does, and returns messages per
// second.
func (mb *Mailbox) SyncInto(ctx context.Context, dir string) (float64, error) {
	v, done, err := emptyStore(ctx, dir, true)
	if err != nil {
		return 0, err
	}
	defer done()
	id, err := v.Mail.SaveAccount(ctx, mail.Account{Name: "bench", Address: "moi@example.org", IMAPHost: mb.Host, IMAPPort: mb.Port,
		IMAPSecurity: mail.None, SMTPHost: "127.0.0.1", SMTPPort: 25, SMTPSecurity: mail.None, Username: mb.User, Password: mb.Password})
	if err != nil {
		return 0, err
	}
	start := time.Now()
	res, err := v.Mail.Sync(ctx, id, nil)
	took := time.Since(start)
	if err != nil {
		return 0, err
	}
	if res.New != mb.N {
		return 0, fmt.Errorf("benchreport: sync copied %d messages of %d", res.New, mb.N)
	}
	return float64(mb.N) / took.Seconds(), nil
}

// Mbsync copies the mailbox into a new Maildir under dir with Debian's
// mbsync, and returns messages per second.
func (mb *Mailbox) Mbsync(dir string) (float64, error) {
	d, err := os.MkdirTemp(dir, "maildir-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(d)
	took, err := mailtest.RunMbsync(mb.Server, d)
	if err != nil {
		return 0, err
	}
	return float64(mb.N) / took.Seconds(), nil
}
