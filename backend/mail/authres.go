package mail

import (
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Remote content may be allowed for a sender only when the message proves
// it comes from that sender: the From address alone is whatever the sender
// wrote. The proof is the verdict of the user's own provider, which checked
// DKIM and DMARC on receipt and wrote it in an Authentication-Results field
// (RFC 8601).
//
// Such a field proves something only if the sender cannot have written it.
// RFC 8601 §5 has a receiving domain remove fields carrying its own
// authserv-id from incoming mail, but many small hosters strip nothing and
// add no field of their own, and then one naming the provider may be the
// sender's. So a verdict is trusted only from the providers listed in
// authProviders, and only on a message that reached the account through
// the provider's delivery and Carnet's IMAP sync (see deliveredSQL): an
// imported .eml file or a copy in the Sent folder never passed the
// provider's check. Everywhere else the user's choice applies to one
// message only, which errs on the safe side.

// authProvider is a provider whose delivery is known to write its own
// Authentication-Results field on top of every incoming message, so that
// the topmost field with its authserv-id is its verdict.
type authProvider struct {
	imapHost string // the account's IMAP host, exactly
	// authServ is the authserv-id the provider writes; with a leading dot,
	// any host name below that domain.
	authServ string
}

// authProviders is deliberately short. Known: Gmail and Google Workspace
// (IMAP imap.gmail.com) stamp every delivered message with
// "Authentication-Results: mx.google.com; …", and Fastmail
// (imap.fastmail.com) with "mxN.messagingengine.com; …", a domain only
// Fastmail runs; both appear on top of the header of delivered mail.
// Assumed, not documented by either: that no delivery path (mail between
// two of their own users included) skips the stamp, which would leave a
// forged field lower down as the topmost one.
// Left out on purpose: Microsoft 365 / Outlook.com write no authserv-id
// ("Authentication-Results: spf=pass …"), so their field cannot be told
// from a forged one; for iCloud, Yahoo, Orange, Free, SFR, La Poste, OVHcloud
// and IONOS we know of no commitment to stamp or strip every message.
var authProviders = []authProvider{
	{"imap.gmail.com", "mx.google.com"},
	{"imap.fastmail.com", ".messagingengine.com"},
}

// providerFor returns the provider of an account's IMAP host, if listed.
func providerFor(imapHost string) (authProvider, bool) {
	host := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(imapHost), "."))
	for _, p := range authProviders {
		if host == p.imapHost {
			return p, true
		}
	}
	return authProvider{}, false
}

// wrote reports whether a field with this authserv-id is the provider's.
func (p authProvider) wrote(id string) bool {
	id = strings.TrimSuffix(id, ".")
	if suffix, ok := strings.CutPrefix(p.authServ, "."); ok {
		return strings.HasSuffix(id, "."+suffix)
	}
	return id == p.authServ
}

// organizational returns the registrable domain of d, or d itself.
func organizational(d string) string {
	d = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
	if o, err := publicsuffix.EffectiveTLDPlusOne(d); err == nil {
		return o
	}
	return d
}

// authResult is one "method=result" of an Authentication-Results field
// with its properties ("header.d" → "example.com").
type authResult struct {
	method, result string
	props          map[string]string
}

// parseAuthResults reads one Authentication-Results value (RFC 8601 §2.2):
// the authserv-id, then results separated by ";". Comments are dropped;
// anything unreadable yields fewer results, never more trust.
func parseAuthResults(v string) (string, []authResult) {
	v, _ = stripComments(v)
	fields := splitUnquoted(v, ';')
	head := strings.Fields(fields[0])
	if len(head) == 0 {
		return "", nil
	}
	id := strings.ToLower(unquote(head[0]))
	var out []authResult
	for _, f := range fields[1:] {
		words := authWords(f)
		if len(words) == 0 {
			continue
		}
		method, result, ok := strings.Cut(words[0], "=")
		if !ok {
			continue
		}
		r := authResult{
			method: strings.ToLower(strings.TrimSpace(method)),
			result: strings.ToLower(unquote(strings.TrimSpace(result))),
			props:  map[string]string{},
		}
		if i := strings.IndexByte(r.method, '/'); i >= 0 {
			r.method = r.method[:i] // method version, "dkim/1"
		}
		for _, w := range words[1:] {
			if k, val, ok := strings.Cut(w, "="); ok {
				r.props[strings.ToLower(k)] = unquote(val)
			}
		}
		out = append(out, r)
	}
	return id, out
}

// authWords splits a result into "name=value" words: white space around
// "=" and "." is allowed by the grammar and removed here; quoted values
// keep theirs.
func authWords(s string) []string {
	var words []string
	var b strings.Builder
	quoted, pending := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			quoted = !quoted
			b.WriteByte(c)
		case quoted:
			b.WriteByte(c)
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			pending = b.Len() > 0
		case c == '=' || c == '.':
			pending = false
			b.WriteByte(c)
		default:
			if pending {
				if last := b.String()[b.Len()-1]; last != '=' && last != '.' {
					words = append(words, b.String())
					b.Reset()
				}
				pending = false
			}
			b.WriteByte(c)
		}
	}
	if b.Len() > 0 {
		words = append(words, b.String())
	}
	return words
}

// senderVerified reports whether the provider of the account with this
// IMAP host (one of authProviders) vouched for the message's From domain:
// dmarc=pass, or dkim=pass with a signing domain aligned with the From
// domain (relaxed alignment, RFC 7489 §3.1.1). authResults are the
// message's Authentication-Results values, topmost first. A message with
// several From addresses, or none, is never verified. Only a message the
// provider delivered may be asked (see deliveredSQL).
func senderVerified(authResults []string, imapHost string, from []Addr) bool {
	if len(from) != 1 {
		return false
	}
	_, fromDomain, ok := strings.Cut(from[0].Address, "@")
	if !ok || fromDomain == "" || strings.Contains(fromDomain, "@") {
		return false
	}
	fromDomain = strings.ToLower(fromDomain)
	provider, ok := providerFor(imapHost)
	if !ok {
		return false
	}
	for _, v := range authResults {
		id, results := parseAuthResults(v)
		if id == "" || !provider.wrote(id) {
			continue // written by someone else: ignored
		}
		// The topmost field of the provider is its verdict; older ones,
		// lower down, may have been forged before it.
		for _, r := range results {
			if r.result != "pass" {
				continue
			}
			switch r.method {
			case "dmarc":
				if hf := r.props["header.from"]; hf == "" || strings.EqualFold(hf, fromDomain) {
					return true
				}
			case "dkim":
				d := r.props["header.d"]
				if d == "" {
					if _, after, ok := strings.Cut(r.props["header.i"], "@"); ok {
						d = after
					}
				}
				if d != "" && organizational(d) == organizational(fromDomain) {
					return true
				}
			}
		}
		return false
	}
	return false
}
