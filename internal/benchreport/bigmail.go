package benchreport

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"carnet/backend/mail"
	"carnet/backend/mail/mailtest"
	"carnet/backend/settings"
)

// BigMailChildArg is the first argument a program gives BigMailChild's
// process.
const BigMailChildArg = "big-mail-child"

// BigMail is what the big-mailbox child reports.
type BigMail struct {
	PeakMB      float64 `json:"peakMB"` // VmHWM from just before the sync to its end
	EndMB       float64 `json:"endMB"`  // resident at the end
	GoMB        float64 `json:"goMB"`   // of which the Go runtime's
	Seconds     float64 `json:"seconds"`
	OpenPeakMB  float64 `json:"openPeakMB"`  // VmHWM from after the sync to the end of opening the biggest whole message and taking out its attachment
	Whole       int     `json:"whole"`       // messages stored whole
	HeadersOnly int     `json:"headersOnly"` // messages over the limit, stored as their header
}

// MeasureBigMail fills a Dovecot inbox with one message of each size and
// runs self (this program, told to be BigMailChild) as a fresh process that
// syncs it into an empty vault made under dir.
func MeasureBigMail(ctx context.Context, self []string, dir string, sizes []int) (BigMail, error) {
	var b BigMail
	srv, err := mailtest.StartDovecot()
	if err != nil {
		return b, err
	}
	defer srv.Close()
	for i, n := range sizes {
		if err := srv.Put("INBOX", "", mailtest.BigMessage(i+1, n)); err != nil {
			return b, err
		}
	}
	// The test server's throwaway password, not a user's.
	err = runChild(ctx, "big-mail child", self, []string{dir, srv.Host, strconv.Itoa(srv.Port), srv.User, srv.Password}, &b)
	return b, err
}

// BigMailChild is the child's side: args are the folder for the vault and
// the IMAP server's host, port, user and password. It makes an empty vault
// with a mail account, resets its peak resident size, runs the account's
// first sync as the app does, and prints BigMail as JSON on stdout.
func BigMailChild(ctx context.Context, args []string) error {
	if len(args) != 5 {
		return fmt.Errorf("benchreport: big-mail child: want a folder and the server's host, port, user and password")
	}
	port, err := strconv.Atoi(args[2])
	if err != nil {
		return err
	}
	v, done, err := emptyStore(ctx, args[0], true)
	if err != nil {
		return err
	}
	defer done()
	id, err := v.Mail.SaveAccount(ctx, mail.Account{Name: "bench", Address: "moi@example.org", IMAPHost: args[1], IMAPPort: port,
		IMAPSecurity: mail.None, SMTPHost: "127.0.0.1", SMTPPort: 25, SMTPSecurity: mail.None, Username: args[3], Password: args[4]})
	if err != nil {
		return err
	}
	// Start from what an app at rest holds, not from the vault's creation.
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return fmt.Errorf("benchreport: reset the peak resident size: %w", err)
	}
	start := time.Now()
	res, err := v.Mail.Sync(ctx, id, nil)
	took := time.Since(start)
	if err != nil {
		return err
	}
	var b BigMail
	if b.PeakMB, err = procStatus("VmHWM"); err != nil {
		return err
	}
	if b.EndMB, err = procStatus("VmRSS"); err != nil {
		return err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.GoMB = float64(ms.Sys-ms.HeapReleased) / 1e6
	b.Seconds = took.Seconds()
	if err := v.DB.QueryRowContext(ctx, `SELECT coalesce(sum(headers_only = 0), 0), coalesce(sum(headers_only), 0) FROM mail_messages`).Scan(&b.Whole, &b.HeadersOnly); err != nil {
		return err
	}
	if b.Whole+b.HeadersOnly != res.New {
		return fmt.Errorf("benchreport: big-mail child: the sync reported %d new messages, the vault holds %d", res.New, b.Whole+b.HeadersOnly)
	}
	// Then reading the biggest message copied whole, and saving its attachment.
	var biggest int64
	if err := v.DB.QueryRowContext(ctx, `SELECT id FROM mail_messages WHERE headers_only = 0 ORDER BY size DESC LIMIT 1`).Scan(&biggest); err != nil {
		return err
	}
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return err
	}
	if _, err := v.Mail.Open(ctx, biggest, false, nil); err != nil {
		return err
	}
	raw, err := v.Mail.Raw(ctx, biggest)
	if err != nil {
		return err
	}
	if _, data, err := mail.AttachmentData(raw, 0); err != nil || len(data) == 0 {
		return fmt.Errorf("benchreport: big-mail child: the attachment of the biggest message: %d bytes, %v", len(data), err)
	}
	if b.OpenPeakMB, err = procStatus("VmHWM"); err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(b)
}

// bigMail measures the peak memory of syncing the big mailbox.
func (m *run) bigMail(ctx context.Context, dir string) error {
	if len(m.sz.BigMail) == 0 || len(m.self) == 0 {
		return nil
	}
	m.logf("syncing a Dovecot mailbox of messages of %s in a process of its own", mbList(m.sz.BigMail))
	b, err := MeasureBigMail(ctx, []string{m.self[0], BigMailChildArg}, dir, m.sz.BigMail)
	if err != nil {
		return fmt.Errorf("big-mailbox sync: %w", err)
	}
	if b.Whole+b.HeadersOnly != len(m.sz.BigMail) {
		return fmt.Errorf("big-mailbox sync: %d messages stored of %d", b.Whole+b.HeadersOnly, len(m.sz.BigMail))
	}
	m.add(Figure{Key: "memory.mail.big", Name: "peak RSS, syncing messages of " + mbList(m.sz.BigMail), Unit: "MB", Want: AtMost, Target: 300,
		Measured: round(b.PeakMB, 1),
		Note: fmt.Sprintf("VmHWM of a process of its own, counted from just before the first sync of an account whose Dovecot inbox (loopback) "+
			"holds one message of each size; the %d MB limit kept %d whole and %d as their header; the sync took %.1f s; "+
			"then %.0f MB resident, of which %.0f MB the Go runtime's; opening the biggest message copied whole and taking out its attachment "+
			"then peaked at %.0f MB", settings.DefaultMailMaxMessageMB, b.Whole, b.HeadersOnly, b.Seconds, b.EndMB, b.GoMB, b.OpenPeakMB)})
	return nil
}

// mbList says "1, 10, 25, 50 and 100 MB".
func mbList(sizes []int) string {
	var s []string
	for _, n := range sizes {
		s = append(s, strconv.FormatFloat(float64(n)/1e6, 'f', -1, 64))
	}
	if len(s) > 1 {
		return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1] + " MB"
	}
	return strings.Join(s, "") + " MB"
}
