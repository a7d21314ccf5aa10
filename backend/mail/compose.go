package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	netmail "net/mail"
	"strings"
	"time"

	gomail "github.com/emersion/go-message/mail"
)

// Draft is a message being written.
type Draft struct {
	AccountID   int64           `json:"accountId"`
	To          []string        `json:"to"` // "Name <a@b.fr>" or "a@b.fr"
	Cc          []string        `json:"cc"`
	Bcc         []string        `json:"bcc"`
	Topic       string          `json:"subject"` // the Subject header
	Body        string          `json:"body"`    // plain text; the signature is added when sending
	InReplyTo   int64           `json:"inReplyTo"`
	ForwardOf   int64           `json:"forwardOf"` // its attachments go along
	Attachments []OutAttachment `json:"attachments"`
	// AnswersRequest: the message answers the person's own request about
	// their data, so it may go to a restricted or suppressed address.
	AnswersRequest bool `json:"answersRequest"`
}

// OutAttachment is a file joined to a draft.
type OutAttachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"`
	Data        []byte `json:"data"`
}

// Draft errors.
var (
	ErrNoRecipient  = errors.New("mail: the message has no recipient")
	ErrBadRecipient = errors.New("mail: a recipient address is not valid")
)

// MaxMessageSize bounds what Carnet queues; most servers refuse more.
const MaxMessageSize = 25 << 20

// ErrTooLarge is returned for a message over MaxMessageSize.
var ErrTooLarge = errors.New("mail: the message is too large to send (25 MB at most)")

func parseList(list []string) ([]*netmail.Address, error) {
	var out []*netmail.Address
	for _, s := range list {
		for _, part := range splitAddresses(s) {
			a, err := netmail.ParseAddress(part)
			if err != nil {
				return nil, fmt.Errorf("%w: %q", ErrBadRecipient, part)
			}
			out = append(out, a)
		}
	}
	return out, nil
}

// splitAddresses splits "a@b, Name <c@d>; e@f" typed in one field.
func splitAddresses(s string) []string {
	var out []string
	quoted, depth, start := false, 0, 0
	for i, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case r == '<' && !quoted:
			depth++
		case r == '>' && !quoted && depth > 0:
			depth--
		case (r == ',' || r == ';') && !quoted && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	out = append(out, s[start:])
	kept := out[:0]
	for _, p := range out {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return kept
}

// built is a composed message ready for the outbox.
type built struct {
	raw        []byte
	recipients []string
	topic      string
	messageID  string
}

// compose writes the RFC 5322 message for a draft.
func (s *Store) compose(ctx context.Context, d Draft) (built, error) {
	var b built
	a, err := s.Account(ctx, d.AccountID)
	if err != nil {
		return b, err
	}
	to, err := parseList(d.To)
	if err != nil {
		return b, err
	}
	cc, err := parseList(d.Cc)
	if err != nil {
		return b, err
	}
	bcc, err := parseList(d.Bcc)
	if err != nil {
		return b, err
	}
	if len(to)+len(cc)+len(bcc) == 0 {
		return b, ErrNoRecipient
	}
	for _, set := range [][]*netmail.Address{to, cc, bcc} {
		for _, ad := range set {
			b.recipients = append(b.recipients, ad.Address)
		}
	}
	var h gomail.Header
	now := s.now()
	h.SetDate(now)
	h.SetAddressList("From", []*gomail.Address{{Name: a.DisplayName, Address: a.Address}})
	h.SetAddressList("To", conv(to))
	if len(cc) > 0 {
		h.SetAddressList("Cc", conv(cc))
	}
	h.SetSubject(strings.TrimSpace(d.Topic))
	b.topic = strings.TrimSpace(d.Topic)
	domain := a.Address[strings.LastIndex(a.Address, "@")+1:]
	b.messageID = randomID() + "@" + domain
	h.SetMessageID(b.messageID)
	h.Set("User-Agent", "Carnet")

	var files []OutAttachment
	if d.InReplyTo != 0 {
		raw, err := s.Raw(ctx, d.InReplyTo)
		if err != nil {
			return b, err
		}
		orig := Parse(raw)
		if orig.MessageID != "" {
			h.SetMsgIDList("In-Reply-To", []string{orig.MessageID})
			h.SetMsgIDList("References", append(orig.References, orig.MessageID))
		}
	}
	if d.ForwardOf != 0 {
		raw, err := s.Raw(ctx, d.ForwardOf)
		if err != nil {
			return b, err
		}
		for _, at := range Parse(raw).Attachments {
			meta, data, err := AttachmentData(raw, at.Index)
			if err == nil {
				files = append(files, OutAttachment{Filename: meta.Filename, ContentType: meta.ContentType, Data: data})
			}
		}
	}
	files = append(files, d.Attachments...)

	body := strings.ReplaceAll(d.Body, "\r\n", "\n")
	if sig := strings.TrimSpace(a.Signature); sig != "" {
		body = strings.TrimRight(body, "\n") + "\n\n-- \n" + sig + "\n"
	}
	var buf bytes.Buffer
	if len(files) == 0 {
		h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		h.Set("Content-Transfer-Encoding", "quoted-printable")
		w, err := gomail.CreateSingleInlineWriter(&buf, h)
		if err != nil {
			return b, err
		}
		io.WriteString(w, crlf(body))
		w.Close()
	} else {
		w, err := gomail.CreateWriter(&buf, h)
		if err != nil {
			return b, err
		}
		var th gomail.InlineHeader
		th.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		th.Set("Content-Transfer-Encoding", "quoted-printable")
		tw, err := w.CreateSingleInline(th)
		if err != nil {
			return b, err
		}
		io.WriteString(tw, crlf(body))
		tw.Close()
		for _, f := range files {
			var ah gomail.AttachmentHeader
			ct := f.ContentType
			if ct == "" {
				ct = mime.TypeByExtension(extOf(f.Filename))
			}
			if ct == "" {
				ct = "application/octet-stream"
			}
			ah.SetContentType(ct, nil)
			ah.SetFilename(SafeFilename(f.Filename))
			ah.Set("Content-Transfer-Encoding", "base64")
			aw, err := w.CreateAttachment(ah)
			if err != nil {
				return b, err
			}
			aw.Write(f.Data)
			aw.Close()
		}
		w.Close()
	}
	if buf.Len() > MaxMessageSize {
		return b, ErrTooLarge
	}
	b.raw = buf.Bytes()
	return b, nil
}

func conv(list []*netmail.Address) []*gomail.Address {
	out := make([]*gomail.Address, len(list))
	for i, a := range list {
		out[i] = &gomail.Address{Name: a.Name, Address: a.Address}
	}
	return out
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func extOf(name string) string {
	if i := strings.LastIndex(name, "."); i >= 0 {
		return name[i:]
	}
	return ""
}

func randomID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// QuoteWords are the words around a quoted message, in the user's language.
type QuoteWords struct {
	Forwarded, From, Date, Topic string
	Wrote                        func(date, who string) string
	// When writes the quoted message's date and time as the user's
	// language does ("7 déc. 2026 14:05", "7 Dec 2026 14:05").
	When func(time.Time) string
}

// ReplyDraft prepares a reply (to the sender, or to everyone with "all")
// or a forward ("forward") of a stored message, with the original quoted.
func (s *Store) ReplyDraft(ctx context.Context, id int64, mode string, w QuoteWords) (Draft, error) {
	m, err := s.Open(ctx, id, false, nil)
	if err != nil {
		return Draft{}, err
	}
	d := Draft{AccountID: m.AccountID, To: []string{}, Cc: []string{}, Bcc: []string{}, Attachments: []OutAttachment{}}
	a, err := s.Account(ctx, m.AccountID)
	if err != nil {
		return d, err
	}
	own := strings.ToLower(a.Address)
	format := func(ad Addr) string { return (&netmail.Address{Name: ad.Name, Address: ad.Address}).String() }
	topic := strings.TrimSpace(m.Topic)
	date := m.Date
	if t, err := time.Parse(time.RFC3339, m.Date); err == nil && w.When != nil {
		date = w.When(t.Local())
	}
	sender := m.FromAddress
	if m.FromName != "" {
		sender = m.FromName + " <" + m.FromAddress + ">"
	}
	switch mode {
	case "forward":
		if !hasPrefixFold(topic, "fwd:") && !hasPrefixFold(topic, "tr:") {
			topic = "Fwd: " + topic
		}
		d.ForwardOf = id
		d.Body = "\n\n---------- " + w.Forwarded + " ----------\n" + w.From + " " + sender + "\n" +
			w.Date + " " + date + "\n" + w.Topic + " " + m.Topic + "\n\n" + m.Text
	default:
		if !hasPrefixFold(topic, "re:") {
			topic = "Re: " + topic
		}
		d.InReplyTo = id
		targets := m.ReplyTo
		if len(targets) == 0 {
			targets = m.From
		}
		if !m.Inbound {
			targets = m.To // replying to one's own message continues with its recipients
		}
		seen := map[string]bool{own: true}
		add := func(list *[]string, set []Addr) {
			for _, t := range set {
				if k := strings.ToLower(t.Address); !seen[k] {
					seen[k] = true
					*list = append(*list, format(t))
				}
			}
		}
		add(&d.To, targets)
		if mode == "all" {
			add(&d.Cc, m.To)
			add(&d.Cc, m.Cc)
		}
		var q strings.Builder
		for _, line := range strings.Split(strings.TrimRight(m.Text, "\n"), "\n") {
			q.WriteString("> " + line + "\n")
		}
		d.Body = "\n\n" + w.Wrote(date, sender) + "\n" + q.String()
	}
	d.Topic = topic
	return d, nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
