package mail

import (
	"net"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Remote content may be allowed for a sender only when the message proves
// it comes from that sender: the From address alone is whatever the sender
// wrote. The proof is the verdict of the user's own provider, which checked
// DKIM and DMARC on receipt and wrote it in an Authentication-Results field
// (RFC 8601).
//
// Which field to trust: RFC 8601 §5 has a receiving domain remove fields
// that carry its own authserv-id from incoming mail, so a field with the
// provider's id was written by the provider; fields with any other id were
// written by someone else (possibly the sender) and mean nothing. Among the
// provider's fields, the topmost is the last one added, at delivery.
//
// The provider's id is not stored per account: it is derived from the
// account's IMAP host. An authserv-id belongs to the provider when its
// registrable domain (eTLD+1) is the IMAP host's, or one the provider is
// known to sign with (providerAuthDomains). A provider we cannot match, or
// an IMAP server on this computer, verifies nothing: the user's choice then
// applies to one message only, which errs on the safe side.

// providerAuthDomains lists, for the IMAP domains of the presets, the other
// domains whose mail servers write their Authentication-Results.
var providerAuthDomains = map[string][]string{
	"gmail.com":     {"google.com"},                // mx.google.com
	"office365.com": {"outlook.com", "office.com"}, // *.prod.outlook.com
	"me.com":        {"icloud.com", "apple.com"},   // *.icloud.com
	"yahoo.com":     {"yahoo.net", "yahoodns.net"}, // atlas*.mail.yahoo.com, mta*.yahoodns.net
	"ovh.net":       {"ovh.com"},
}

// trustedAuthDomains returns the registrable domains whose authserv-ids an
// account with this IMAP host trusts; none for an IP address or a name
// without a public suffix.
func trustedAuthDomains(imapHost string) []string {
	host := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(imapHost), "."))
	if host == "" || net.ParseIP(strings.Trim(host, "[]")) != nil {
		return nil
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return nil
	}
	return append([]string{d}, providerAuthDomains[d]...)
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
// IMAP host vouched for the message's From domain: dmarc=pass, or
// dkim=pass with a signing domain aligned with the From domain (relaxed
// alignment, RFC 7489 §3.1.1). authResults are the message's
// Authentication-Results values, topmost first. A message with several
// From addresses, or none, is never verified.
func senderVerified(authResults []string, imapHost string, from []Addr) bool {
	if len(from) != 1 {
		return false
	}
	_, fromDomain, ok := strings.Cut(from[0].Address, "@")
	if !ok || fromDomain == "" || strings.Contains(fromDomain, "@") {
		return false
	}
	fromDomain = strings.ToLower(fromDomain)
	trusted := trustedAuthDomains(imapHost)
	if len(trusted) == 0 {
		return false
	}
	for _, v := range authResults {
		id, results := parseAuthResults(v)
		if id == "" || !sliceHas(trusted, organizational(id)) {
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

func sliceHas(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
