package crm

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-vcard"
	"golang.org/x/text/encoding/charmap"
)

// ErrNoCards is returned for a file without a single vCard.
var ErrNoCards = errors.New("crm: no vCard in the file")

// IsVCard tells a vCard file from a CSV one, by its name or, whatever the
// name (phones share cards as "contacts.txt"), by its content: the window
// and the command line decide the same way.
func IsVCard(name string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".vcf", ".vcard":
		return true
	}
	head := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	return len(head) >= len("BEGIN:VCARD") && strings.EqualFold(string(head[:len("BEGIN:VCARD")]), "BEGIN:VCARD")
}

// ParseVCards reads every card of a vCard 2.1, 3.0 or 4.0 file. Old
// Outlook habits are understood: quoted-printable values with soft line
// breaks, charsets, bare parameters (TEL;CELL). A card that cannot be read
// becomes a candidate with an error; a file that is not vCard is refused.
func ParseVCards(r io.Reader) ([]Candidate, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("crm: read vCard: %w", err)
	}
	if len(data) > MaxImportBytes {
		return nil, ErrFileTooLarge
	}
	text, _, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	dec := vcard.NewDecoder(strings.NewReader(preprocessVCard(text)))
	out := make([]Candidate, 0, strings.Count(text, "BEGIN:")+1)
	for n := 1; ; n++ {
		card, err := dec.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(out) == 0 && card == nil {
				return nil, fmt.Errorf("%w: %v", ErrNoCards, err)
			}
			out = append(out, Candidate{Row: n, Err: fmt.Errorf("%w: card %d: %v", ErrMalformedCSV, n, err)})
			if strings.Contains(err.Error(), "no BEGIN") {
				break // the rest is not vCard: stop rather than loop
			}
			continue
		}
		out = append(out, candidateFromCard(n, card))
	}
	if len(out) == 0 {
		return nil, ErrNoCards
	}
	return out, nil
}

// Escaped separators are kept apart from real ones through the vCard
// decoder (which unescapes "\," but leaves "\;", so that neither can be
// told from a separator afterwards): preprocessVCard turns them into these
// private-use characters, restore turns them back once the value is split.
const (
	escSemicolon = "\uE000"
	escComma     = "\uE001"
)

var restorer = strings.NewReplacer(escSemicolon, ";", escComma, ",")

func restore(s string) string {
	if strings.IndexByte(s, 0xEE) < 0 { // the first byte of both in UTF-8
		return s
	}
	return restorer.Replace(s)
}

// preprocessVCard unfolds lines (RFC 6350 3.2) and quoted-printable soft
// line breaks, rewrites vCard 2.1 bare parameters as TYPE= / ENCODING= so
// the decoder keeps them, and protects escaped separators (see restore).
func preprocessVCard(text string) string {
	if strings.IndexByte(text, 0xEE) >= 0 && (strings.Contains(text, escSemicolon) || strings.Contains(text, escComma)) {
		text = strings.NewReplacer(escSemicolon, "", escComma, "").Replace(text)
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	out := make([]string, 0, len(lines))
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		head, _, hasColon := strings.Cut(l, ":")
		if hasColon && strings.Contains(strings.ToUpper(head), "QUOTED-PRINTABLE") {
			for strings.HasSuffix(l, "=") && i+1 < len(lines) {
				i++
				l = l[:len(l)-1] + strings.TrimLeft(lines[i], " \t")
			}
		}
		for i+1 < len(lines) && lines[i+1] != "" && (lines[i+1][0] == ' ' || lines[i+1][0] == '\t') {
			i++
			l += lines[i][1:]
		}
		if hasColon && strings.Contains(head, ";") {
			parts := strings.Split(head, ";")
			for j := 1; j < len(parts); j++ {
				if !strings.Contains(parts[j], "=") {
					switch p := strings.ToUpper(parts[j]); p {
					case "QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT":
						parts[j] = "ENCODING=" + p
					default:
						parts[j] = "TYPE=" + p
					}
				}
			}
			l = strings.Join(parts, ";") + l[len(head):]
		}
		if strings.IndexByte(l, '\\') >= 0 {
			if colon := strings.IndexByte(l, ':'); colon >= 0 && strings.IndexByte(l[colon:], '\\') >= 0 {
				l = l[:colon] + protectEscapes(l[colon:])
			}
		}
		out = append(out, l)
	}
	return strings.Join(out, "\r\n")
}

// protectEscapes turns "\;" and "\," into the private-use characters
// restore reads, and "\N" into "\n", which the decoder knows.
func protectEscapes(v string) string {
	var b strings.Builder
	b.Grow(len(v) + 8)
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' || i+1 == len(v) {
			b.WriteByte(c)
			continue
		}
		switch n := v[i+1]; n {
		case ';':
			b.WriteString(escSemicolon)
		case ',':
			b.WriteString(escComma)
		case 'N':
			b.WriteString(`\n`)
		case '\\', 'n':
			b.WriteByte(c)
			b.WriteByte(n)
		default:
			b.WriteByte(c) // a lone backslash (vCard 2.1 writes paths as they are)
			continue
		}
		i++
	}
	return b.String()
}

// fieldText decodes a field's value as text (quoted-printable, charset),
// escaped separators still protected.
func fieldText(f *vcard.Field) string {
	v := f.Value
	if strings.EqualFold(f.Params.Get("ENCODING"), "QUOTED-PRINTABLE") {
		b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(v)))
		if err == nil {
			cs := strings.ToLower(f.Params.Get("CHARSET"))
			switch {
			case cs == "windows-1252" || cs == "iso-8859-1" || cs == "iso-8859-15" || !utf8.Valid(b):
				if d, err := charmap.Windows1252.NewDecoder().Bytes(b); err == nil {
					b = d
				}
			}
			v = string(bytes.TrimSpace(b))
		}
	}
	return strings.TrimSpace(v)
}

// text is a single-valued field's text.
func text(f *vcard.Field) string { return restore(fieldText(f)) }

// components splits a structured value (N, ADR, ORG) at its semicolons.
func components(f *vcard.Field) []string {
	p := strings.Split(fieldText(f), ";")
	for i := range p {
		p[i] = strings.TrimSpace(restore(p[i]))
	}
	return p
}

// nameList reads component i of N, which may hold several values
// separated by commas in vCard 3.0 and 4.0 ("Marie,Claire"): they are
// joined by spaces, as Carnet keeps a name in one field.
func nameList(parts []string, i int) string {
	if i >= len(parts) || parts[i] == "" {
		return ""
	}
	p := parts[i]
	if strings.IndexByte(p, ',') < 0 {
		return strings.TrimSpace(restore(p))
	}
	var names []string
	for _, n := range strings.Split(p, ",") {
		if n = strings.TrimSpace(restore(n)); n != "" {
			names = append(names, n)
		}
	}
	return strings.Join(names, " ")
}

func candidateFromCard(n int, card vcard.Card) Candidate {
	cand := Candidate{Row: n}
	c := &cand.Contact
	if f := card.Get(vcard.FieldName); f != nil {
		parts := strings.Split(fieldText(f), ";")
		c.FamilyName = nameList(parts, 0)
		c.GivenName = strings.Join(nonEmpty(nameList(parts, 1), nameList(parts, 2)), " ")
		c.NamePrefix, c.NameSuffix = nameList(parts, 3), nameList(parts, 4)
	}
	labels := groupLabels(card)
	for _, f := range card[vcard.FieldEmail] {
		c.Emails = append(c.Emails, Email{Address: text(f), Label: vcardLabel(f, labels)})
	}
	if c.GivenName == "" && c.FamilyName == "" {
		// A card with a formatted name only. A contact without a name is
		// exported with its e-mail as FN (RFC 6350 requires one): that is
		// not a name, and it stays without one.
		if f := card.Get(vcard.FieldFormattedName); f != nil {
			if fn := text(f); !slices.ContainsFunc(c.Emails, func(e Email) bool { return strings.EqualFold(e.Address, fn) }) && !looksLikeEmail(fn) {
				c.GivenName, c.FamilyName = SplitFullName(fn)
			}
		}
	}
	for _, f := range card[vcard.FieldTelephone] {
		num := strings.TrimPrefix(text(f), "tel:")
		c.Phones = append(c.Phones, Phone{Number: num, Label: vcardLabel(f, labels)})
	}
	for _, f := range card[vcard.FieldAddress] {
		p := components(f)
		street := strings.TrimSpace(strings.Join(nonEmpty(maybe(p, 0), maybe(p, 1), maybe(p, 2)), "\n"))
		a := Address{Label: vcardLabel(f, labels), Street: street, City: maybe(p, 3), Region: maybe(p, 4), PostalCode: maybe(p, 5), Country: maybe(p, 6)}
		c.Addresses = append(c.Addresses, a.trimmed())
	}
	// Every ORG is a company; its ROLE is the one in the same group
	// (item1.ORG, item1.ROLE, as Carnet and Apple write them), else the
	// ungrouped ROLE in the same position.
	var roles map[string]string
	var loose []string
	for _, f := range card[vcard.FieldRole] {
		if f.Group != "" {
			if roles == nil {
				roles = map[string]string{}
			}
			roles[strings.ToLower(f.Group)] = text(f)
		} else {
			loose = append(loose, text(f))
		}
	}
	for _, f := range card[vcard.FieldOrganization] {
		name := maybe(components(f), 0)
		if name == "" {
			continue
		}
		role, ok := roles[strings.ToLower(f.Group)]
		if !ok || f.Group == "" {
			role = ""
			if len(loose) > 0 {
				role, loose = loose[0], loose[1:]
			}
		}
		c.Companies = append(c.Companies, CompanyLink{CompanyName: name, Role: role})
	}
	if f := card.Get(vcard.FieldTitle); f != nil {
		c.JobTitle = text(f)
	}
	if f := card.Get(vcard.FieldURL); f != nil {
		c.Website = text(f)
	}
	if f := card.Get(vcard.FieldBirthday); f != nil {
		c.Birthday = vcardDate(text(f))
	}
	for _, f := range card[vcard.FieldNote] {
		if c.Notes == "" {
			c.Notes = text(f)
		} else {
			c.Notes += "\n" + text(f)
		}
	}
	for _, f := range card[vcard.FieldCategories] {
		for _, t := range strings.Split(fieldText(f), ",") {
			// Google's export lists its own "myContacts" group.
			if t = strings.TrimSpace(restore(t)); t != "" && t != "myContacts" && t != "* myContacts" {
				c.Tags = append(c.Tags, t)
			}
		}
	}
	if f := card.Get("LANG"); f != nil {
		c.Language = text(f)
	}
	// What only Carnet writes: its own fields, for a copy kept whole.
	if f := card.Get(xOwner); f != nil {
		c.Owner = text(f)
	}
	if f := card.Get(xSource); f != nil {
		c.Source = text(f)
	}
	if f := card.Get(xLastInbound); f != nil {
		c.LastInboundAt = text(f)
	}
	for _, f := range card[xRelationship] {
		for _, w := range strings.Split(fieldText(f), ",") {
			if w = strings.TrimSpace(restore(w)); w == "" {
				continue
			}
			if rel, ok := relationshipWords[Fold(w)]; ok {
				c.Relationships = append(c.Relationships, rel)
			} else {
				cand.Skipped = append(cand.Skipped, FieldProblem{Field: FieldRelationship, Value: w, Err: fmt.Errorf("%w: %q", ErrInvalidRelationship, w)})
			}
		}
	}
	return cand
}

// Carnet's own properties (RFC 6350 6.10: x-name).
const (
	xOwner        = "X-CARNET-OWNER"
	xSource       = "X-CARNET-SOURCE"
	xLastInbound  = "X-CARNET-LAST-INBOUND"
	xRelationship = "X-CARNET-RELATIONSHIP"
	xABLabel      = "X-ABLABEL" // Apple's label of a grouped property, read by most address books
)

func looksLikeEmail(s string) bool {
	return strings.Contains(s, "@") && !strings.ContainsAny(s, " \t")
}

// groupLabels reads Apple's labels: item1.EMAIL with item1.X-ABLabel:Bureau
// (or _$!<Work>!$_ for a built-in one).
func groupLabels(card vcard.Card) map[string]string {
	fs := card[xABLabel]
	if len(fs) == 0 {
		return nil
	}
	out := make(map[string]string, len(fs))
	for _, f := range fs {
		l := text(f)
		if in, ok := strings.CutPrefix(l, "_$!<"); ok {
			l = strings.ToLower(strings.TrimSuffix(in, ">!$_"))
		}
		if f.Group != "" && l != "" {
			out[strings.ToLower(f.Group)] = l
		}
	}
	return out
}

// labelTypes are the labels vCard's TYPE parameter says itself; any other
// label travels as X-ABLabel.
var labelTypes = []string{"work", "home", "cell", "fax", "pager"}

// vcardLabel is a field's label: its group's X-ABLabel, else the first
// TYPE that is a label ("work", not "voice" or "pref").
func vcardLabel(f *vcard.Field, groups map[string]string) string {
	if l, ok := groups[strings.ToLower(f.Group)]; ok && f.Group != "" {
		return l
	}
	for _, t := range f.Params.Types() {
		if t = strings.ToLower(t); t == "mobile" || slices.Contains(labelTypes, t) {
			return t
		}
	}
	return ""
}

// vcardDate reads 1980-03-05, 19800305 and --0305 (no year).
func vcardDate(v string) string {
	v = strings.TrimSpace(v)
	if len(v) == 8 && !strings.Contains(v, "-") {
		return v[:4] + "-" + v[4:6] + "-" + v[6:]
	}
	if len(v) > 10 {
		v = v[:10]
	}
	if strings.HasPrefix(v, "--") {
		return "" // no year: not a date Carnet can store
	}
	return v
}

func maybe(s []string, i int) string {
	if i < len(s) {
		return strings.TrimSpace(s[i])
	}
	return ""
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// WriteVCards writes contacts as vCard 4.0 (RFC 6350), keeping everything
// ParseVCards reads back: N with its honorific prefix and suffix; every
// company as its own ORG with its ROLE in the same group; labels as TYPE
// when vCard has the word, else as X-ABLabel; owner, relationships,
// source and last inbound contact as X-CARNET- properties. A contact
// without a name gets an empty N and its e-mail as FN, which RFC 6350
// requires and the reader knows not to take for a name. Custom fields are
// left out: some are special categories of data (GDPR Art. 9).
func WriteVCards(w io.Writer, contacts []*Contact) error {
	var b vcardWriter
	for _, c := range contacts {
		b.reset()
		b.line("", "BEGIN", nil, "VCARD")
		b.line("", "VERSION", nil, "4.0")
		b.line("", "FN", nil, escapeText(c.DisplayName()))
		b.line("", "N", nil, structured(c.FamilyName, c.GivenName, "", c.NamePrefix, c.NameSuffix))
		item := 0
		labelled := func(prop, label, value string) {
			group, params := "", []string(nil)
			if t := labelType(label); t != "" {
				params = append(params, "TYPE="+t)
			}
			if label != "" && !slices.Contains(labelTypes, label) {
				item++
				group = fmt.Sprintf("item%d", item)
			}
			b.line(group, prop, params, value)
			if group != "" {
				b.line(group, "X-ABLabel", nil, escapeText(label))
			}
		}
		for _, e := range c.Emails {
			labelled("EMAIL", e.Label, escapeText(e.Address))
		}
		for _, p := range c.Phones {
			labelled("TEL", p.Label, escapeText(p.Number))
		}
		for _, a := range c.Addresses {
			labelled("ADR", a.Label, structured("", "", a.Street, a.City, a.Region, a.PostalCode, a.Country))
		}
		for _, l := range c.Companies {
			item++
			group := fmt.Sprintf("item%d", item)
			b.line(group, "ORG", nil, structured(l.CompanyName))
			if l.Role != "" {
				b.line(group, "ROLE", nil, escapeText(l.Role))
			}
		}
		for _, p := range []struct{ name, value string }{
			{"TITLE", c.JobTitle}, {"URL", c.Website}, {"NOTE", c.Notes}, {"LANG", c.Language},
			{xOwner, c.Owner}, {xSource, c.Source}, {xLastInbound, c.LastInboundAt},
		} {
			if p.value != "" {
				b.line("", p.name, nil, escapeText(p.value))
			}
		}
		if c.Birthday != "" {
			b.line("", "BDAY", nil, strings.ReplaceAll(c.Birthday, "-", ""))
		}
		if len(c.Tags) > 0 {
			tags := make([]string, len(c.Tags))
			for i, t := range c.Tags {
				tags[i] = escapeText(t)
			}
			b.line("", "CATEGORIES", nil, strings.Join(tags, ","))
		}
		if len(c.Relationships) > 0 {
			rels := make([]string, len(c.Relationships))
			for i, r := range c.Relationships {
				rels[i] = string(r)
			}
			b.line("", xRelationship, nil, strings.Join(rels, ","))
		}
		b.line("", "END", nil, "VCARD")
		if _, err := w.Write(b.buf); err != nil {
			return fmt.Errorf("crm: write vCard for contact %d: %w", c.ID, err)
		}
	}
	return nil
}

// labelType is the TYPE to give a label, so that other address books file
// the value right even when the label itself travels as X-ABLabel.
func labelType(label string) string {
	switch l := strings.ToLower(label); l {
	case "work", "home", "cell", "fax", "pager":
		return l
	case "mobile", "portable", "mobile phone":
		return "cell"
	case "bureau", "travail", "pro", "professionnel", "office":
		return "work"
	case "domicile", "maison", "perso", "personnel", "personal":
		return "home"
	}
	return ""
}

var textEscaper = strings.NewReplacer(`\`, `\\`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`, ",", `\,`)

// escapeText escapes a TEXT value (RFC 6350 3.4).
func escapeText(s string) string { return textEscaper.Replace(s) }

// structured joins the components of a compound value, each escaped,
// semicolons included.
func structured(parts ...string) string {
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(escapeText(p), ";", `\;`)
	}
	return strings.Join(parts, ";")
}

// vcardWriter builds a card's lines, folded at 75 octets (RFC 6350 3.2)
// without splitting a UTF-8 sequence.
type vcardWriter struct{ buf []byte }

func (w *vcardWriter) reset() { w.buf = w.buf[:0] }

func (w *vcardWriter) line(group, name string, params []string, value string) {
	start := len(w.buf)
	if group != "" {
		w.buf = append(w.buf, group...)
		w.buf = append(w.buf, '.')
	}
	w.buf = append(w.buf, name...)
	for _, p := range params {
		w.buf = append(w.buf, ';')
		w.buf = append(w.buf, p...)
	}
	w.buf = append(w.buf, ':')
	w.buf = append(w.buf, value...)
	if len(w.buf)-start <= 75 {
		w.buf = append(w.buf, '\r', '\n')
		return
	}
	line := string(w.buf[start:])
	w.buf = w.buf[:start]
	for first := true; line != ""; first = false {
		max := 75
		if !first {
			max = 74 // after the leading space
			w.buf = append(w.buf, ' ')
		}
		cut := min(max, len(line))
		for cut < len(line) && cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		w.buf = append(w.buf, line[:cut]...)
		w.buf = append(w.buf, '\r', '\n')
		line = line[cut:]
	}
}
