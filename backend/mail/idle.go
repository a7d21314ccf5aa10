package mail

import (
	"context"
	"time"

	"github.com/emersion/go-imap/client"
)

// WatchInbox holds an IDLE connection on the account's inbox and calls
// changed whenever the server announces new or removed messages. It
// returns when ctx ends or the connection fails; the caller reconnects.
func WatchInbox(ctx context.Context, a Account, changed func()) error {
	c, err := DialIMAP(ctx, &a)
	if err != nil {
		return err
	}
	defer c.Logout()
	updates := make(chan client.Update, 32)
	c.Updates = updates
	if _, err := c.Select("INBOX", true); err != nil {
		return classify("imap", a.IMAPHost, c.cause(err))
	}
	for {
		stop := make(chan struct{})
		done := make(chan error, 1)
		// Servers drop idle connections after 30 minutes: restart IDLE well before.
		go func() {
			done <- safely(func() error {
				return c.Idle(stop, &client.IdleOptions{LogoutTimeout: 25 * time.Minute, PollInterval: time.Minute})
			})
		}()
		poke := false
	wait:
		for {
			select {
			case <-ctx.Done():
				close(stop)
				<-done
				return ctx.Err()
			case err := <-done:
				if err != nil {
					return classify("imap", a.IMAPHost, c.cause(err))
				}
				break wait
			case u := <-updates:
				if _, ok := u.(*client.MailboxUpdate); ok {
					poke = true
				}
				if _, ok := u.(*client.ExpungeUpdate); ok {
					poke = true
				}
				if poke {
					close(stop)
					if err := <-done; err != nil {
						return classify("imap", a.IMAPHost, c.cause(err))
					}
					break wait
				}
			}
		}
		if poke {
			changed()
		}
	}
}
