package crm

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// FuzzParseCSV feeds arbitrary bytes to the CSV importer: it must never
// panic, and whatever it accepts must turn into candidates whose text is
// valid UTF-8.
func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("Nom;Prénom;E-mail\nDupont;Hélène;h@example.fr\n"))
	f.Add(win1252("Nom;Prénom;Société\r\nMüller;François;Eaux du Rhône\r\n"))
	f.Add([]byte("\xef\xbb\xbfName,E-mail 1 - Value,Phone 1 - Value\n\"Dupont, Hélène\",h@example.fr,06 12 34 56 78 ::: 07 00 00 00 00\n"))
	f.Add([]byte("a\tb\n\"unbalanced\tx\n"))
	f.Add([]byte("Nom complet;Naissance;Relation\nDUPONT Hélène;31/02/1980;client, autre\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseCSV("fuzz.csv", bytes.NewReader(data))
		if err != nil {
			return
		}
		cands, err := file.Candidates(file.Mapping)
		if err != nil {
			t.Fatalf("the suggested mapping was refused: %v", err)
		}
		for _, c := range cands {
			if c.Err != nil {
				continue
			}
			for _, s := range []string{c.Contact.GivenName, c.Contact.FamilyName, c.Contact.Notes, c.CompanyName} {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 out of the importer: %q", s)
				}
			}
			cc := c.Contact
			_ = cc.normalize() // must not panic either
		}
	})
}

// FuzzParseVCards does the same for the vCard importer.
func FuzzParseVCards(f *testing.F) {
	f.Add([]byte(outlookVCard21))
	f.Add([]byte(vcard3and4))
	f.Add([]byte("BEGIN:VCARD\r\nN;ENCODING=QUOTED-PRINTABLE:=\r\n=\r\nEND:VCARD\r\n"))
	f.Add([]byte("BEGIN:VCARD\nVERSION:4.0\nADR:;;;;;;\nTEL;VALUE=uri:tel:\nEND:VCARD\nBEGIN:VCARD\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cands, err := ParseVCards(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, c := range cands {
			for _, s := range []string{c.Contact.GivenName, c.Contact.FamilyName, c.Contact.Notes, c.CompanyName} {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 out of the vCard reader: %q", s)
				}
			}
			cc := c.Contact
			_ = cc.normalize()
		}
	})
}
