package crm

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"carnet/backend/csvsafe"
)

// Limits on import files.
const (
	MaxImportBytes = 64 << 20 // a larger contact file is certainly a mistake
	MaxFieldBytes  = 64 << 10 // a 64 KiB field is already a long note
)

// File-level errors.
var (
	ErrFileTooLarge    = errors.New("crm: file too large")
	ErrBinaryFile      = errors.New("crm: not a text file")
	ErrEmptyFile       = errors.New("crm: the file is empty")
	ErrMalformedCSV    = errors.New("crm: malformed CSV")
	ErrFieldTooLong    = errors.New("crm: field too long")
	ErrWrongFieldCount = errors.New("crm: wrong number of columns")
)

// Field names a CSV column can be mapped to.
const (
	FieldIgnore       = ""
	FieldGivenName    = "givenName"
	FieldFamilyName   = "familyName"
	FieldFullName     = "fullName"
	FieldEmail        = "email"
	FieldPhone        = "phone"
	FieldCompany      = "company"
	FieldJobTitle     = "jobTitle"
	FieldStreet       = "street"
	FieldPostalCode   = "postalCode"
	FieldCity         = "city"
	FieldCountry      = "country"
	FieldWebsite      = "website"
	FieldBirthday     = "birthday"
	FieldNotes        = "notes"
	FieldTags         = "tags"
	FieldRelationship = "relationship"
	FieldOwner        = "owner"
	FieldSource       = "source"
	FieldLastInbound  = "lastInbound"
	FieldLanguage     = "language"
)

// ImportFields lists the mapping targets in the order the UI offers them.
var ImportFields = []string{
	FieldGivenName, FieldFamilyName, FieldFullName, FieldEmail, FieldPhone, FieldCompany, FieldJobTitle,
	FieldStreet, FieldPostalCode, FieldCity, FieldCountry, FieldWebsite, FieldBirthday, FieldNotes,
	FieldTags, FieldRelationship, FieldOwner, FieldSource, FieldLastInbound, FieldLanguage,
}

// CSVFile is a parsed CSV file, ready to be mapped.
type CSVFile struct {
	Name      string     `json:"name"`
	Encoding  string     `json:"encoding"`  // "utf-8", "utf-8-bom" or "windows-1252"
	Delimiter string     `json:"delimiter"` // ";", "," or "\t"
	Headers   []string   `json:"headers"`
	Mapping   []string   `json:"mapping"` // suggested field per column
	Rows      [][]string `json:"-"`
	RowCount  int        `json:"rowCount"`
	Preview   [][]string `json:"preview"` // the first rows
}

// ParseCSV reads a CSV file: it sniffs the encoding (UTF-8 with or without
// BOM, else Windows-1252 as French Excel writes) and the delimiter, and
// suggests a mapping from the headers. A file that is not text, or whose
// quoting is broken, is refused whole with the line where it breaks.
func ParseCSV(name string, r io.Reader) (*CSVFile, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("crm: read %s: %w", name, err)
	}
	if len(data) > MaxImportBytes {
		return nil, ErrFileTooLarge
	}
	f := &CSVFile{Name: name}
	text, enc, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	f.Encoding = enc
	if strings.TrimSpace(text) == "" {
		return nil, ErrEmptyFile
	}
	f.Delimiter = sniffDelimiter(text)
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = rune(f.Delimiter[0])
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%w: line %d: %v", ErrMalformedCSV, pe.StartLine, pe.Err)
			}
			return nil, fmt.Errorf("%w: %v", ErrMalformedCSV, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		for i, v := range rec {
			if v != "" && v[0] == '\'' {
				rec[i] = csvsafe.Undo(v) // the apostrophe our export adds before a formula-like cell
			}
		}
		if f.Headers == nil {
			f.Headers = rec
			continue
		}
		f.Rows = append(f.Rows, rec)
	}
	if f.Headers == nil {
		return nil, ErrEmptyFile
	}
	for i, h := range f.Headers {
		f.Headers[i] = strings.TrimSpace(h)
	}
	f.Mapping = SuggestMapping(f.Headers)
	f.RowCount = len(f.Rows)
	f.Preview = f.Rows[:min(5, len(f.Rows))]
	return f, nil
}

// decodeText returns data as UTF-8 and the encoding it was found in.
func decodeText(data []byte) (string, string, error) {
	if bytes.IndexByte(data, 0) >= 0 {
		return "", "", ErrBinaryFile
	}
	if b, ok := bytes.CutPrefix(data, []byte("\xef\xbb\xbf")); ok {
		if !utf8.Valid(b) {
			return "", "", ErrBinaryFile
		}
		return string(b), "utf-8-bom", nil
	}
	if utf8.Valid(data) {
		return string(data), "utf-8", nil
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", ErrBinaryFile
	}
	// Control characters other than tab and line ends betray a binary file
	// that happens not to contain a NUL byte.
	ctl := 0
	for _, r := range string(s) {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			ctl++
		}
	}
	if ctl > len(s)/100+1 {
		return "", "", ErrBinaryFile
	}
	return string(s), "windows-1252", nil
}

// sniffDelimiter picks the delimiter that splits the first lines into the
// same, largest number of fields, counting outside quotes.
func sniffDelimiter(text string) string {
	lines := strings.SplitN(text, "\n", 11)
	if len(lines) > 10 {
		lines = lines[:10]
	}
	best, bestScore := ";", -1
	for _, d := range []string{";", ",", "\t"} {
		counts := map[int]int{}
		for _, l := range lines {
			if strings.TrimSpace(l) == "" {
				continue
			}
			n, quoted := 0, false
			for _, r := range l {
				if r == '"' {
					quoted = !quoted
				} else if !quoted && string(r) == d {
					n++
				}
			}
			counts[n]++
		}
		// The most common count, weighted by how many lines agree.
		score := 0
		for n, lines := range counts {
			if n > 0 && n*lines > score {
				score = n * lines
			}
		}
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}

// headerFields maps folded headers to fields: French, English, and the
// exports of Google Contacts and Outlook.
var headerFields = map[string]string{
	"prenom": FieldGivenName, "first name": FieldGivenName, "given name": FieldGivenName, "firstname": FieldGivenName,
	"nom": FieldFamilyName, "nom de famille": FieldFamilyName, "last name": FieldFamilyName, "family name": FieldFamilyName,
	"lastname": FieldFamilyName, "surname": FieldFamilyName,
	"name": FieldFullName, "nom complet": FieldFullName, "full name": FieldFullName, "display name": FieldFullName, "contact": FieldFullName,
	"societe": FieldCompany, "entreprise": FieldCompany, "company": FieldCompany, "organisation": FieldCompany, "organization": FieldCompany,
	"organization 1 name": FieldCompany, "organization name": FieldCompany, "raison sociale": FieldCompany,
	"fonction": FieldJobTitle, "poste": FieldJobTitle, "job title": FieldJobTitle, "title": FieldJobTitle,
	"organization 1 title": FieldJobTitle, "organization title": FieldJobTitle, "titre": FieldJobTitle,
	"adresse": FieldStreet, "rue": FieldStreet, "street": FieldStreet, "address": FieldStreet, "business street": FieldStreet,
	"home street": FieldStreet, "address 1 street": FieldStreet, "adresse postale": FieldStreet,
	"code postal": FieldPostalCode, "cp": FieldPostalCode, "postal code": FieldPostalCode, "zip": FieldPostalCode,
	"zip code": FieldPostalCode, "business postal code": FieldPostalCode, "home postal code": FieldPostalCode, "address 1 postal code": FieldPostalCode,
	"ville": FieldCity, "city": FieldCity, "business city": FieldCity, "home city": FieldCity, "address 1 city": FieldCity, "commune": FieldCity,
	"pays": FieldCountry, "country": FieldCountry, "business country region": FieldCountry, "home country region": FieldCountry,
	"address 1 country": FieldCountry,
	"site web":          FieldWebsite, "site": FieldWebsite, "website": FieldWebsite, "web page": FieldWebsite, "url": FieldWebsite,
	"website 1 value":   FieldWebsite,
	"date de naissance": FieldBirthday, "anniversaire": FieldBirthday, "birthday": FieldBirthday, "naissance": FieldBirthday,
	"notes": FieldNotes, "note": FieldNotes, "commentaire": FieldNotes, "commentaires": FieldNotes, "remarques": FieldNotes,
	"etiquettes": FieldTags, "tags": FieldTags, "categories": FieldTags, "labels": FieldTags, "group membership": FieldTags, "mots cles": FieldTags,
	"relation": FieldRelationship, "relationship": FieldRelationship, "type de contact": FieldRelationship, "statut": FieldRelationship,
	"responsable": FieldOwner, "owner": FieldOwner, "commercial": FieldOwner, "suivi par": FieldOwner,
	"source": FieldSource, "origine": FieldSource, "provenance": FieldSource,
	"dernier contact": FieldLastInbound, "last inbound contact": FieldLastInbound, "last contact": FieldLastInbound,
	"derniere prise de contact": FieldLastInbound, "last inbound": FieldLastInbound,
	"langue": FieldLanguage, "language": FieldLanguage,
}

func foldHeader(h string) string {
	h = Fold(h)
	h = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return ' '
	}, h)
	return strings.Join(strings.Fields(h), " ")
}

// SuggestMapping guesses each column's field from its header. Several
// columns may map to e-mail or phone; other fields are suggested once.
func SuggestMapping(headers []string) []string {
	out := make([]string, len(headers))
	used := map[string]bool{}
	for i, h := range headers {
		f := foldHeader(h)
		field, ok := headerFields[f]
		if !ok {
			switch {
			case strings.Contains(f, "type") || strings.Contains(f, "label"):
				// "Phone 1 - Type", "E-mail 2 - Label": not data.
			case strings.Contains(f, "mail") || strings.Contains(f, "courriel"):
				field = FieldEmail
			case strings.Contains(f, "phone") || strings.Contains(f, "telephone") || strings.HasPrefix(f, "tel") ||
				strings.Contains(f, "mobile") || strings.Contains(f, "portable") || strings.Contains(f, "gsm"):
				field = FieldPhone
			}
		}
		if field == "" {
			continue
		}
		if field != FieldEmail && field != FieldPhone && used[field] {
			continue
		}
		used[field] = true
		out[i] = field
	}
	return out
}

// Candidates turns the rows into contacts with mapping (one field per
// column, "" to ignore).
func (f *CSVFile) Candidates(mapping []string) ([]Candidate, error) {
	if len(mapping) != len(f.Headers) {
		return nil, fmt.Errorf("crm: mapping has %d columns, the file %d", len(mapping), len(f.Headers))
	}
	for _, m := range mapping {
		if m != "" && !slices.Contains(ImportFields, m) {
			return nil, fmt.Errorf("crm: unknown field %q", m)
		}
	}
	out := make([]Candidate, 0, len(f.Rows))
	for i, rec := range f.Rows {
		out = append(out, candidateFromRecord(i+2, rec, mapping))
	}
	return out, nil
}

func candidateFromRecord(row int, rec []string, mapping []string) Candidate {
	cand := Candidate{Row: row}
	if len(rec) > len(mapping) {
		// Extra fields that are all empty are harmless (trailing delimiters).
		for _, v := range rec[len(mapping):] {
			if strings.TrimSpace(v) != "" {
				cand.Err = fmt.Errorf("%w: %d instead of %d", ErrWrongFieldCount, len(rec), len(mapping))
				return cand
			}
		}
	}
	c := &cand.Contact
	var addr Address
	for i, field := range mapping {
		if i >= len(rec) || field == "" {
			continue
		}
		v := strings.TrimSpace(rec[i])
		if v == "" {
			continue
		}
		if len(v) > MaxFieldBytes {
			// One overlong cell costs that cell, not the row.
			cand.Skipped = append(cand.Skipped, FieldProblem{Field: field, Value: v, Err: fmt.Errorf("%w: column %d", ErrFieldTooLong, i+1)})
			continue
		}
		switch field {
		case FieldGivenName:
			c.GivenName = v
		case FieldFamilyName:
			c.FamilyName = v
		case FieldFullName:
			if c.GivenName == "" && c.FamilyName == "" {
				c.GivenName, c.FamilyName = SplitFullName(v)
			}
		case FieldEmail:
			for _, e := range splitList(v) {
				c.Emails = append(c.Emails, Email{Address: e})
			}
		case FieldPhone:
			for _, p := range splitList(strings.ReplaceAll(v, " ::: ", ",")) { // Google joins numbers with " ::: "
				c.Phones = append(c.Phones, Phone{Number: p})
			}
		case FieldCompany:
			cand.CompanyName = v
		case FieldJobTitle:
			c.JobTitle = v
		case FieldStreet:
			addr.Street = v
		case FieldPostalCode:
			addr.PostalCode = v
		case FieldCity:
			addr.City = v
		case FieldCountry:
			addr.Country = v
		case FieldWebsite:
			c.Website = v
		case FieldBirthday:
			c.Birthday = parseLooseDate(v)
		case FieldNotes:
			c.Notes = strings.TrimRight(rec[i], " \t\r\n") // leading spaces may be the note's layout
		case FieldTags:
			c.Tags = append(c.Tags, splitList(strings.ReplaceAll(v, " ::: ", ","))...)
		case FieldRelationship:
			for _, r := range splitList(v) {
				rel, ok := relationshipWords[Fold(r)]
				if !ok {
					cand.Skipped = append(cand.Skipped, FieldProblem{Field: field, Value: r, Err: fmt.Errorf("%w: %q", ErrInvalidRelationship, r)})
					continue
				}
				c.Relationships = append(c.Relationships, rel)
			}
		case FieldOwner:
			c.Owner = v
		case FieldSource:
			c.Source = v
		case FieldLastInbound:
			c.LastInboundAt = parseLooseDate(v)
		case FieldLanguage:
			c.Language = v
		}
	}
	if addr != (Address{}) {
		c.Addresses = append(c.Addresses, addr)
	}
	return cand
}

// relationshipWords accepts French and English words for relationships.
var relationshipWords = map[string]Relationship{
	"prospect": Prospect, "client": Customer, "customer": Customer, "cliente": Customer,
	"fournisseur": Supplier, "supplier": Supplier, "partenaire": Partner, "partner": Partner,
	"autre": Other, "other": Other,
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
		if p = strings.TrimSpace(p); p != "" && p != "* myContacts" {
			out = append(out, p)
		}
	}
	return out
}

// SplitFullName splits "Hélène Dupont" into given and family names, and
// "DUPONT Hélène" (family name in capitals first, the French habit) and
// "Dupont, Hélène" too. Mail uses it for a sender's display name.
func SplitFullName(v string) (given, family string) {
	if f, g, ok := strings.Cut(v, ","); ok && strings.TrimSpace(f) != "" && strings.TrimSpace(g) != "" {
		return strings.TrimSpace(g), strings.TrimSpace(f)
	}
	parts := strings.Fields(v)
	switch len(parts) {
	case 0:
		return "", ""
	case 1:
		return "", parts[0]
	}
	if strings.ToUpper(parts[0]) == parts[0] && strings.ToUpper(parts[len(parts)-1]) != parts[len(parts)-1] {
		return strings.Join(parts[1:], " "), parts[0]
	}
	return strings.Join(parts[:len(parts)-1], " "), parts[len(parts)-1]
}

// parseLooseDate reads the dates spreadsheets write (31/12/2025,
// 2025-12-31, 31.12.2025) as YYYY-MM-DD; anything else is left as is for
// validation to report.
func parseLooseDate(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 10 && v[4] == '-' {
		return v
	}
	for _, sep := range []string{"/", ".", "-"} {
		p := strings.Split(v, sep)
		if len(p) == 3 && len(p[2]) == 4 && len(p[0]) <= 2 && len(p[1]) <= 2 {
			return p[2] + "-" + pad2(p[1]) + "-" + pad2(p[0])
		}
	}
	return v
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
