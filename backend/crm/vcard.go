package crm

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-vcard"
	"golang.org/x/text/encoding/charmap"
)

// ErrNoCards is returned for a file without a single vCard.
var ErrNoCards = errors.New("crm: no vCard in the file")

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

// preprocessVCard unfolds quoted-printable soft line breaks and rewrites
// vCard 2.1 bare parameters as TYPE= / ENCODING= so the decoder keeps them.
func preprocessVCard(text string) string {
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
		if hasColon && strings.Contains(head, ";") && !strings.HasPrefix(l, " ") {
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
		out = append(out, l)
	}
	return strings.Join(out, "\r\n")
}

// fieldText decodes a field's value as text (quoted-printable, charset).
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

func candidateFromCard(n int, card vcard.Card) Candidate {
	cand := Candidate{Row: n}
	c := &cand.Contact
	if f := card.Get(vcard.FieldName); f != nil {
		parts := strings.Split(fieldText(f), ";")
		c.FamilyName = strings.TrimSpace(maybe(parts, 0))
		c.GivenName = strings.TrimSpace(strings.Join(nonEmpty(maybe(parts, 1), maybe(parts, 2)), " "))
	}
	if c.GivenName == "" && c.FamilyName == "" {
		if f := card.Get(vcard.FieldFormattedName); f != nil {
			c.GivenName, c.FamilyName = SplitFullName(fieldText(f))
		}
	}
	for _, f := range card[vcard.FieldEmail] {
		c.Emails = append(c.Emails, Email{Address: fieldText(f), Label: vcardLabel(f)})
	}
	for _, f := range card[vcard.FieldTelephone] {
		num := strings.TrimPrefix(fieldText(f), "tel:")
		c.Phones = append(c.Phones, Phone{Number: num, Label: vcardLabel(f)})
	}
	for _, f := range card[vcard.FieldAddress] {
		p := strings.Split(fieldText(f), ";")
		street := strings.TrimSpace(strings.Join(nonEmpty(maybe(p, 0), maybe(p, 1), maybe(p, 2)), "\n"))
		a := Address{Label: vcardLabel(f), Street: street, City: maybe(p, 3), Region: maybe(p, 4), PostalCode: maybe(p, 5), Country: maybe(p, 6)}
		c.Addresses = append(c.Addresses, a.trimmed())
	}
	if f := card.Get(vcard.FieldOrganization); f != nil {
		cand.CompanyName = strings.TrimSpace(strings.Split(fieldText(f), ";")[0])
	}
	if f := card.Get(vcard.FieldTitle); f != nil {
		c.JobTitle = fieldText(f)
	}
	if f := card.Get(vcard.FieldRole); f != nil {
		cand.CompanyRole = fieldText(f)
	}
	if f := card.Get(vcard.FieldURL); f != nil {
		c.Website = fieldText(f)
	}
	if f := card.Get(vcard.FieldBirthday); f != nil {
		c.Birthday = vcardDate(fieldText(f))
	}
	for _, f := range card[vcard.FieldNote] {
		c.Notes = strings.TrimSpace(c.Notes + "\n" + fieldText(f))
	}
	for _, f := range card[vcard.FieldCategories] {
		c.Tags = append(c.Tags, splitList(fieldText(f))...)
	}
	if f := card.Get("LANG"); f != nil {
		c.Language = fieldText(f)
	}
	return cand
}

func vcardLabel(f *vcard.Field) string {
	for _, t := range f.Params.Types() {
		switch t = strings.ToLower(t); t {
		case "work", "home", "cell", "mobile", "fax":
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

// WriteVCards writes contacts as vCard 4.0.
func WriteVCards(w io.Writer, contacts []*Contact) error {
	enc := vcard.NewEncoder(w)
	for _, c := range contacts {
		card := vcard.Card{}
		card.SetValue(vcard.FieldVersion, "4.0")
		card.SetName(&vcard.Name{FamilyName: c.FamilyName, GivenName: c.GivenName})
		card.SetValue(vcard.FieldFormattedName, c.DisplayName())
		for _, e := range c.Emails {
			f := &vcard.Field{Value: e.Address, Params: vcard.Params{}}
			if e.Label != "" {
				f.Params.Add(vcard.ParamType, e.Label)
			}
			card.Add(vcard.FieldEmail, f)
		}
		for _, p := range c.Phones {
			f := &vcard.Field{Value: p.Number, Params: vcard.Params{}}
			if p.Label != "" {
				f.Params.Add(vcard.ParamType, p.Label)
			}
			card.Add(vcard.FieldTelephone, f)
		}
		for _, a := range c.Addresses {
			card.AddAddress(&vcard.Address{StreetAddress: a.Street, Locality: a.City, Region: a.Region, PostalCode: a.PostalCode, Country: a.Country})
		}
		if len(c.Companies) > 0 {
			card.SetValue(vcard.FieldOrganization, c.Companies[0].CompanyName)
		}
		for k, v := range map[string]string{vcard.FieldTitle: c.JobTitle, vcard.FieldURL: c.Website, vcard.FieldNote: c.Notes, "LANG": c.Language} {
			if v != "" {
				card.SetValue(k, v)
			}
		}
		if c.Birthday != "" {
			card.SetValue(vcard.FieldBirthday, strings.ReplaceAll(c.Birthday, "-", ""))
		}
		if len(c.Tags) > 0 {
			card.SetCategories(c.Tags)
		}
		if err := enc.Encode(card); err != nil {
			return fmt.Errorf("crm: write vCard for contact %d: %w", c.ID, err)
		}
	}
	return nil
}
