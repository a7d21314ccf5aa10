package mail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// mimeCRLF writes test messages readably with \n and sends them as mail does.
func mimeCRLF(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

// pdfBytes stands in for an attachment whose bytes must survive exactly.
var pdfBytes = []byte("%PDF-1.4\n\x00\x01\x02\xff binary payload \xfe\n%%EOF\n")

func b64Lines(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + "\n")
		s = s[76:]
	}
	return out.String() + s + "\n"
}

var sampleAlternative = mimeCRLF(`From: =?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <Joerg.Mueller@Example.DE>
To: "Dupont, Marie" <marie@example.fr>, paul@example.fr
Cc: Équipe <equipe@example.fr>
Reply-To: <support@example.com>
Subject: =?UTF-8?Q?Devis_n=C2=B042_=E2=80=93_r=C3=A9vision?=
Date: Tue, 3 Feb 2026 10:11:12 +0100 (CET)
Message-ID: <abc.123@mail.example.de>
In-Reply-To: <prev@example.fr>
References: <first@example.fr>
 <prev@example.fr>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt-1"

This is a multi-part message in MIME format.
--alt-1
Content-Type: text/plain; charset=utf-8; format=flowed
Content-Transfer-Encoding: quoted-printable

Bonjour Marie,

voici le devis r=C3=A9vis=C3=A9 =E2=80=94 =
merci.
--alt-1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 8bit

<html><body><p>Bonjour Marie,</p><p>voici le devis révisé</p></body></html>
--alt-1--
`)

var sampleMixed = mimeCRLF(`From: Facturation <factures@example.com>
To: client@example.org
Subject: Facture
Date: Wed, 04 Feb 2026 08:00:00 +0000
Content-Type: multipart/mixed; boundary=MIX

--MIX
Content-Type: multipart/alternative; boundary="ALT"

--ALT
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Ci-joint la facture de f=E9vrier.
--ALT
Content-Type: multipart/related; boundary="REL"

--REL
Content-Type: text/html; charset=iso-8859-1

<p>Ci-joint la facture de f` + "\xe9" + `vrier.<img src="cid:logo@example.com"></p>
--REL
Content-Type: image/png
Content-ID: <logo@example.com>
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--REL--
--ALT--
--MIX
Content-Type: application/pdf; name="ignored.pdf"
Content-Disposition: attachment; filename*=iso-8859-1''facture%20f%E9vrier.pdf
Content-Transfer-Encoding: base64

` + b64Lines(pdfBytes) + `--MIX
Content-Type: message/rfc822

From: someone@example.net
Subject: =?iso-8859-1?q?Transf=E9r=E9?=

forwarded body
--MIX--
`)

func TestParseHeaders(t *testing.T) {
	p := Parse(sampleAlternative)
	if p.Broken {
		t.Fatalf("Broken = true, want false")
	}
	for _, c := range []struct{ field, got, want string }{
		{"MessageID", p.MessageID, "abc.123@mail.example.de"},
		{"InReplyTo", p.InReplyTo, "prev@example.fr"},
		{"Subject", p.Topic, "Devis n°42 – révision"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	if want := []string{"first@example.fr", "prev@example.fr"}; !reflect.DeepEqual(p.References, want) {
		t.Errorf("References = %q, want %q", p.References, want)
	}
	if want := time.Date(2026, 2, 3, 9, 11, 12, 0, time.UTC); !p.Date.Equal(want) || p.Date.Location() != time.UTC {
		t.Errorf("Date = %v, want %v in UTC", p.Date, want)
	}
	wantAddrs := map[string][]Addr{
		"From":    {{"Jörg Müller", "Joerg.Mueller@Example.DE"}},
		"To":      {{"Dupont, Marie", "marie@example.fr"}, {"", "paul@example.fr"}},
		"Cc":      {{"Équipe", "equipe@example.fr"}},
		"ReplyTo": {{"", "support@example.com"}},
	}
	gotAddrs := map[string][]Addr{"From": p.From, "To": p.To, "Cc": p.Cc, "ReplyTo": p.ReplyTo}
	for k, want := range wantAddrs {
		if !reflect.DeepEqual(gotAddrs[k], want) {
			t.Errorf("%s = %+v, want %+v", k, gotAddrs[k], want)
		}
	}
	if p.Bcc != nil {
		t.Errorf("Bcc = %+v, want nil", p.Bcc)
	}
}

func TestParseBodies(t *testing.T) {
	for _, tc := range []struct {
		name     string
		raw      []byte
		text     string // exact, or a prefix when it ends with "…"
		html     string // substring
		noHTML   bool
		broken   bool
		subject  string
		attNames []string
	}{
		{
			name: "alternative keeps plain text and raw HTML",
			raw:  sampleAlternative,
			text: "Bonjour Marie,\n\nvoici le devis révisé — merci.",
			html: "<p>voici le devis révisé</p>",
		},
		{
			name:     "mixed with related inline image, rfc 2231 name and forwarded message",
			raw:      sampleMixed,
			text:     "Ci-joint la facture de février.",
			html:     `février.<img src="cid:logo@example.com">`,
			attNames: []string{"attachment.png", "facture février.pdf", "Transféré.eml"},
		},
		{
			name:    "message that is not MIME, latin1 headers and body",
			raw:     []byte("From: J\xf6rg <j@example.de>\nSubject: R\xe9union \x93demain\x94\n\nA demain, \xe0 10h.\n"),
			text:    "A demain, à 10h.",
			noHTML:  true,
			subject: "Réunion “demain”",
		},
		{
			name:    "header words in iso-8859-1, windows-1252 and an unknown charset",
			raw:     []byte("Subject: =?ISO-8859-1?Q?caf=E9?= =?windows-1252?Q?=93ok=94?= =?x-martian?Q?na=EFve?=\n\nbody\n"),
			text:    "body",
			subject: "café“ok”naïve",
		},
		{
			name: "missing Content-Type is plain text even with 8-bit UTF-8",
			raw:  []byte("Subject: x\n\nGrüße aus Köln\n"),
			text: "Grüße aus Köln",
		},
		{
			name: "unknown body charset falls back to windows-1252",
			raw:  []byte("Content-Type: text/plain; charset=x-klingon\n\nt\xeate \x80\n"),
			text: "tête €",
		},
		{
			name: "bad quoted-printable keeps the undecodable sequences",
			raw:  []byte("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n100=25 s=C3=BBr =ZZ fin=\n=\n"),
			text: "100% sûr =ZZ fin",
		},
		{
			name: "bad base64 keeps what decodes",
			raw:  []byte("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nQm9uam91ciDDoCB0b3Vz\n!!!*** ### ***\nLg==\n"),
			text: "Bonjour à tous.",
		},
		{
			name:   "only HTML gives a plain rendering for search",
			raw:    []byte("Content-Type: text/html; charset=utf-8\n\n<html><head><title>T</title><style>p{color:red}</style></head><body><h1>Titre</h1><p>Un&nbsp;<b>gras</b> &amp; du texte</p><ul><li>un</li><li>deux</li></ul>ligne<br>suivante<script>alert(1)</script></body></html>"),
			text:   "Titre\n\nUn gras & du texte\n\n- un\n- deux\n\nligne\nsuivante",
			html:   "<h1>Titre</h1>",
			noHTML: false,
		},
		{
			name:   "HTML without charset is sniffed from its meta tag",
			raw:    []byte("Content-Type: text/html\n\n<meta charset=\"koi8-r\"><p>\xf0\xd2\xc9\xd7\xc5\xd4</p>"),
			text:   "Привет",
			html:   "<p>Привет</p>",
			noHTML: false,
		},
		{
			name:     "truncated multipart keeps the parts that arrived",
			raw:      mimeCRLF("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhello\n--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK"),
			text:     "hello",
			attNames: []string{"attachment.pdf"},
		},
		{
			name:    "boundary never found is broken and keeps the raw text",
			raw:     []byte("Subject: lost\nContent-Type: multipart/mixed; boundary=nope\n\n--other\nContent-Type: text/plain\n\nsecret \xff words\n--other--\n"),
			text:    "Subject: lost\nContent-Type: multipart/mixed; boundary=nope\n\n--other\nContent-Type: text/plain\n\nsecret \uFFFD words\n--other--\n",
			broken:  true,
			subject: "lost",
		},
		{
			name:   "multipart without boundary is broken",
			raw:    []byte("Content-Type: multipart/mixed\n\nsomething\n"),
			text:   "Content-Type: multipart/mixed\n\nsomething\n",
			broken: true,
		},
		{
			name:   "text without any header is broken and kept whole",
			raw:    []byte("Hello Bob,\nsee you tomorrow.\n"),
			text:   "Hello Bob,\nsee you tomorrow.\n",
			broken: true,
		},
		{
			name: "empty input gives an empty message",
			raw:  nil,
			text: "",
		},
		{
			name:    "mbox From line is skipped",
			raw:     []byte("From someone@example.com Mon Jan  1 00:00:00 2026\nSubject: mbox\n\nbody\n"),
			text:    "body",
			subject: "mbox",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Parse(tc.raw)
			if p.Broken != tc.broken {
				t.Errorf("Broken = %v, want %v", p.Broken, tc.broken)
			}
			if p.Text != tc.text {
				t.Errorf("Text = %q, want %q", p.Text, tc.text)
			}
			if tc.html != "" && !strings.Contains(p.HTML, tc.html) {
				t.Errorf("HTML = %q, want it to contain %q", p.HTML, tc.html)
			}
			if tc.noHTML && p.HTML != "" {
				t.Errorf("HTML = %q, want none", p.HTML)
			}
			if tc.subject != "" && p.Topic != tc.subject {
				t.Errorf("Subject = %q, want %q", p.Topic, tc.subject)
			}
			var names []string
			for _, a := range p.Attachments {
				names = append(names, a.Filename)
			}
			if !reflect.DeepEqual(names, tc.attNames) {
				t.Errorf("attachments = %q, want %q", names, tc.attNames)
			}
		})
	}
}

func TestParseAttachmentsMetadata(t *testing.T) {
	p := Parse(sampleMixed)
	want := []Attachment{
		{Index: 0, Filename: "attachment.png", ContentType: "image/png", Size: 8, ContentID: "logo@example.com", Inline: true},
		{Index: 1, Filename: "facture février.pdf", ContentType: "application/pdf", Size: len(pdfBytes)},
		{Index: 2, Filename: "Transféré.eml", ContentType: "message/rfc822", Size: len("From: someone@example.net\r\nSubject: =?iso-8859-1?q?Transf=E9r=E9?=\r\n\r\nforwarded body")},
	}
	if !reflect.DeepEqual(p.Attachments, want) {
		t.Errorf("Attachments =\n %+v\nwant\n %+v", p.Attachments, want)
	}
}

func TestParseInlineOnlyWhenReferenced(t *testing.T) {
	raw := mimeCRLF(`Content-Type: multipart/related; boundary=R

--R
Content-Type: text/html

<p><img src="CID:shown%40example.com"></p>
--R
Content-Type: image/gif; name=shown.gif
Content-ID: <shown@example.com>

GIF89a
--R
Content-Type: image/gif; name=orphan.gif
Content-ID: <orphan@example.com>

GIF89a
--R
Content-Type: image/gif; name=forced.gif
Content-ID: <forced@example.com>
Content-Disposition: attachment

GIF89a
--R--
`)
	p := Parse(raw)
	want := map[string]bool{"shown.gif": true, "orphan.gif": false, "forced.gif": false}
	if len(p.Attachments) != len(want) {
		t.Fatalf("got %d attachments, want %d", len(p.Attachments), len(want))
	}
	for _, a := range p.Attachments {
		if a.Inline != want[a.Filename] {
			t.Errorf("%s: Inline = %v, want %v", a.Filename, a.Inline, want[a.Filename])
		}
		if meta, _, _ := AttachmentData(raw, a.Index); meta != a {
			t.Errorf("AttachmentData(%d) = %+v, Parse said %+v", a.Index, meta, a)
		}
	}
}

func TestAttachmentDataMatchesParse(t *testing.T) {
	p := Parse(sampleMixed)
	for _, a := range p.Attachments {
		meta, data, err := AttachmentData(sampleMixed, a.Index)
		if err != nil {
			t.Fatalf("AttachmentData(%d): %v", a.Index, err)
		}
		if meta != a {
			t.Errorf("AttachmentData(%d) meta = %+v, Parse said %+v", a.Index, meta, a)
		}
		if len(data) != a.Size {
			t.Errorf("AttachmentData(%d) gave %d bytes, Size says %d", a.Index, len(data), a.Size)
		}
	}
	_, data, _ := AttachmentData(sampleMixed, 1)
	if !bytes.Equal(data, pdfBytes) {
		t.Errorf("pdf bytes = %q, want %q", data, pdfBytes)
	}
	_, data, _ = AttachmentData(sampleMixed, 0)
	if want := []byte("\x89PNG\r\n\x1a\n"); !bytes.Equal(data, want) {
		t.Errorf("png bytes = %q, want %q", data, want)
	}
	for _, i := range []int{-1, 3, 100} {
		if _, _, err := AttachmentData(sampleMixed, i); !errors.Is(err, ErrNoAttachment) {
			t.Errorf("AttachmentData(%d) error = %v, want ErrNoAttachment", i, err)
		}
	}
	if _, _, err := AttachmentData(nil, 0); !errors.Is(err, ErrNoAttachment) {
		t.Errorf("AttachmentData(empty) error = %v, want ErrNoAttachment", err)
	}
}

func TestParseDates(t *testing.T) {
	want := time.Date(2026, 2, 3, 9, 11, 12, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"Tue, 3 Feb 2026 10:11:12 +0100", want},
		{"Tue, 03 Feb 2026 10:11:12 +0100 (CET)", want},
		{"3 Feb 2026 09:11:12 GMT", want},
		{"Tue, 3 Feb 2026 09:11:12", want},
		{"Tue Feb  3 09:11:12 2026", want},
		{"2026-02-03T10:11:12+01:00", want},
		{"Tuesday, 3 February 2026 10:11:12 +0100", want},
		{"not a date", time.Time{}},
		{"", time.Time{}},
	} {
		if got := parseDate(tc.in); !got.Equal(tc.want) {
			t.Errorf("parseDate(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestParseAddressLists(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Addr
	}{
		{"a@example.com", []Addr{{"", "a@example.com"}}},
		{`"Joe, Q" <Joe@Example.com>`, []Addr{{"Joe, Q", "Joe@Example.com"}}},
		{"=?iso-8859-1?q?Ren=E9?= <rene@example.fr>", []Addr{{"René", "rene@example.fr"}}},
		{"Ren\xe9 <rene@example.fr>", []Addr{{"René", "rene@example.fr"}}},
		{"good@example.com, Broken Name <bad@example, other@example.com", []Addr{{"", "good@example.com"}, {"Broken Name", "bad@example"}, {"", "other@example.com"}}},
		{"Only A Name", []Addr{{"Only A Name", ""}}},
		{"undisclosed-recipients:;", nil},
		{"Team: a@example.com, b@example.com;", []Addr{{"", "a@example.com"}, {"", "b@example.com"}}},
		{"  ", nil},
		{"pete(his account)@silly.test(his host)", []Addr{{"", "pete@silly.test"}}},
		{`Pete(A nice \) chap) <pete(his account)@silly.test(his host)>`, []Addr{{"Pete", "pete@silly.test"}}},
		{"foo@bar.test (Foo Bar)", []Addr{{"Foo Bar", "foo@bar.test"}}},
		{"jdoe@example.org (=?utf-8?q?J=C3=B6rg?=)", []Addr{{"Jörg", "jdoe@example.org"}}},
		{"Foo <foo@bar.test> (work)", []Addr{{"Foo", "foo@bar.test"}}},
		{"John(middle)Smith <js@x.test>", []Addr{{"John Smith", "js@x.test"}}},
		{`"=?utf-8?q?Ren=C3=A9?=" <r@x.test>`, []Addr{{"René", "r@x.test"}}},
		{`"Giant; \"Big\" Box" <sysservices@example.net>`, []Addr{{`Giant; "Big" Box`, "sysservices@example.net"}}},
		// RFC 5322 appendix A.1.3: comments in a group, none of them a name.
		{"A Group(Some people):Chris Jones <c@(Chris's host.)public.example>, joe@example.org, John <jdoe@one.test> (my dear friend); (the end of the group)",
			[]Addr{{"Chris Jones", "c@public.example"}, {"", "joe@example.org"}, {"John", "jdoe@one.test"}}},
	} {
		if got := parseAddrs(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseAddrs(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestSafeFilename(t *testing.T) {
	long := strings.Repeat("é", 100) + ".pdf" // 200 bytes of stem
	for _, tc := range []struct{ name, in, want string }{
		{"plain name is kept", "Facture 2026-02.pdf", "Facture 2026-02.pdf"},
		{"unix traversal keeps the last element", "../../.bashrc", "bashrc"},
		{"windows path keeps the last element", `C:\Users\x\evil.exe`, "evil.exe"},
		{"dot runs are collapsed", "a..b...pdf", "a.b.pdf"},
		{"right-to-left override is removed", "invoice\u202Efdp.exe", "invoicefdp.exe"},
		{"controls are removed, tabs become spaces", "a\x00b\tc\x1b.txt", "ab c.txt"},
		{"reserved characters are replaced", `a<b>c:d"e|f?g*.txt`, "a_b_c_d_e_f_g_.txt"},
		{"trailing dots and spaces go", "report.pdf. . ", "report.pdf"},
		{"windows device names are prefixed", "con.txt", "_con.txt"},
		{"empty becomes attachment", "", "attachment"},
		{"only dots becomes attachment", "...", "attachment"},
		{"invalid UTF-8 is dropped", "caf\xe9.txt", "caf.txt"},
		{"long name is cut on a rune boundary keeping the extension", long, strings.Repeat("é", 58) + ".pdf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := SafeFilename(tc.in)
			if got != tc.want {
				t.Errorf("SafeFilename(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if len(got) > 120 || !utf8.ValidString(got) {
				t.Errorf("SafeFilename(%q) = %q: %d bytes, valid UTF-8 %v", tc.in, got, len(got), utf8.ValidString(got))
			}
		})
	}
}

func TestParseHTMLToText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"paragraphs and line breaks", "<P>one</P><p>two<BR>three</p>", "one\n\ntwo\nthree"},
		{"entities decoded, nbsp collapsed", "caf&eacute;&nbsp;&amp;&#32;th&#xE9;", "café & thé"},
		{"script, style and title skipped in any case", "<title>T</title><STYLE>p{}</style ><script type=x>if (a<b) {}</SCRIPT>ok", "ok"},
		{"comments and doctype skipped", "<!DOCTYPE html><!-- <p>hidden</p> -->shown<!-- unterminated", "shown"},
		{"quoted > inside attributes", `<a title="a > b" href='x>y'>link</a>`, "link"},
		{"lone < is text", "1 < 2 <3", "1 < 2 <3"},
		{"lists and table cells", "<ul><li>a</li><li>b</li></ul><table><tr><td>c</td><td>d</td></tr></table>", "- a\n- b\n\nc d"},
		{"pre keeps its spacing", "<pre>a  b\n  c</pre>after", "a  b\n  c\n\nafter"},
		{"unterminated tag ends the text", "before<div class=\"x", "before"},
		{"whitespace collapsed across tags", "  a\n\t<b> b </b>  c ", "a b c"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := htmlToText(tc.in); got != tc.want {
				t.Errorf("htmlToText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseBase64Lenient(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SGVsbG8=", "Hello"},
		{"SGVs\r\nbG8=", "Hello"},
		{"SGk=SGk=", "HiHi"}, // line-wise padding
		{"SGVs*bG8", "Hello"},
		{"S", ""},
	} {
		got := decodeBase64Lenient([]byte(tc.in))
		if string(got) != tc.want {
			t.Errorf("decodeBase64Lenient(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if n := decodedSize([]byte(tc.in), "base64"); n != len(tc.want) {
			t.Errorf("decodedSize(%q) = %d, want %d", tc.in, n, len(tc.want))
		}
	}
}

// benchMessage is a typical 20 KB message: text and HTML alternatives and a
// small attached PDF.
func benchMessage() []byte {
	para := "Bonjour, voici le compte rendu de la réunion de mardi — merci de relire avant vendredi. "
	text := strings.Repeat(para, 60)
	htmlBody := "<html><body>" + strings.Repeat("<p style=\"color:#333\">"+para+"</p>", 60) + "</body></html>"
	att := bytes.Repeat([]byte{0x25, 0x50, 0x44, 0x46, 0x00, 0xff}, 800)
	return mimeCRLF(fmt.Sprintf(`From: Alice <alice@example.com>
To: Bob <bob@example.com>, carol@example.com
Subject: =?utf-8?q?Compte_rendu_r=C3=A9union?=
Date: Tue, 3 Feb 2026 10:11:12 +0100
Message-ID: <bench@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=MIX

--MIX
Content-Type: multipart/alternative; boundary=ALT

--ALT
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

%s
--ALT
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 8bit

%s
--ALT--
--MIX
Content-Type: application/pdf; name=cr.pdf
Content-Disposition: attachment; filename=cr.pdf
Content-Transfer-Encoding: base64

%s--MIX--
`, text, htmlBody, b64Lines(att)))
}

func BenchmarkParse(b *testing.B) {
	raw := benchMessage()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(raw)
	}
}

// TestParseLikeMailClients covers the odd messages that Thunderbird, Apple
// Mail and Gmail read well: each case checks what the reader sees first.
func TestParseLikeMailClients(t *testing.T) {
	for _, tc := range []struct {
		name    string
		raw     []byte
		subject string
		from    Addr
		text    string
	}{
		{
			name:    "comments inside the address are removed",
			raw:     mimeCRLF("From: pete(his account)@silly.test(his host)\nSubject: Comments\n\nHi.\n"),
			subject: "Comments",
			from:    Addr{"", "pete@silly.test"},
			text:    "Hi.",
		},
		{
			name:    "comments around a named address leave the name alone",
			raw:     mimeCRLF("From: Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>\nSubject: Named\n\nHi.\n"),
			subject: "Named",
			from:    Addr{"Pete", "pete@silly.test"},
			text:    "Hi.",
		},
		{
			name:    "a comment after a nameless address is its name",
			raw:     mimeCRLF("From: foo@bar.test (Foo Bar)\nSubject: Old style\n\nHi.\n"),
			subject: "Old style",
			from:    Addr{"Foo Bar", "foo@bar.test"},
			text:    "Hi.",
		},
		{
			name:    "encoded words inside a quoted name are decoded",
			raw:     mimeCRLF("From: \"=?utf-8?q?Ren=C3=A9?= Dupont\" <r@x.test>\nSubject: Quoted\n\nSalut.\n"),
			subject: "Quoted",
			from:    Addr{"René Dupont", "r@x.test"},
			text:    "Salut.",
		},
		{
			name:    "an unknown charset on valid UTF-8 is read as UTF-8",
			raw:     mimeCRLF("From: a@x.test\nSubject: =?x-utf8-ish?q?R=C3=A9union?=\nContent-Type: text/plain; charset=x-unknown\nContent-Transfer-Encoding: 8bit\n\nÀ demain, café à 10 h.\n"),
			subject: "Réunion",
			from:    Addr{"", "a@x.test"},
			text:    "À demain, café à 10 h.",
		},
		{
			name:    "an unknown charset on other bytes is still windows-1252",
			raw:     []byte("From: a@x.test\nSubject: Latin\nContent-Type: text/plain; charset=x-unknown\n\nt\xeate \x80\n"),
			subject: "Latin",
			from:    Addr{"", "a@x.test"},
			text:    "tête €",
		},
		{
			name: "a multipart without its close delimiter keeps its parts",
			raw: mimeCRLF(`From: Alice <alice@x.test>
Subject: Unclosed
Content-Type: multipart/alternative; boundary=b1

--b1
Content-Type: text/plain; charset=utf-8

Plain text.
--b1
Content-Type: text/html; charset=utf-8

<p>Rich text.</p>
`),
			subject: "Unclosed",
			from:    Addr{"Alice", "alice@x.test"},
			text:    "Plain text.",
		},
		{
			name: "a close delimiter with trailing junk still closes",
			raw: mimeCRLF(`From: Alice <alice@x.test>
Subject: Junk
Content-Type: multipart/mixed; boundary=b1

--b1
Content-Type: text/plain; charset=utf-8

First part.
--b1   oops
Content-Type: text/plain; charset=utf-8

Second part.
--b1--this is junk
epilogue
`),
			subject: "Junk",
			from:    Addr{"Alice", "alice@x.test"},
			text:    "First part.\n\nSecond part.",
		},
		{
			name: "nested multipart with a longer boundary is not cut by the outer one",
			raw: mimeCRLF(`From: Alice <alice@x.test>
Subject: Nested
Content-Type: multipart/mixed; boundary=b1

--b1
Content-Type: multipart/alternative; boundary=b1-alt

--b1-alt
Content-Type: text/plain

Inner text.
--b1-alt--
--b1
Content-Type: application/pdf; name=a.pdf

%PDF
--b1--
`),
			subject: "Nested",
			from:    Addr{"Alice", "alice@x.test"},
			text:    "Inner text.",
		},
		{
			name:    "a folded line that lost its indentation is joined to its field",
			raw:     mimeCRLF("Subject: A long subject\nthat was folded badly\nFrom: Bob <bob@x.test>\nDate: Tue, 3 Feb 2026 10:11:12 +0100\n\nBody.\n"),
			subject: "A long subject that was folded badly",
			from:    Addr{"Bob", "bob@x.test"},
			text:    "Body.",
		},
		{
			name:    "a missing blank line starts the body at the first line that is no field",
			raw:     mimeCRLF("From: Bob <bob@x.test>\nSubject: No blank\nHello Alice,\nsee you.\n"),
			subject: "No blank",
			from:    Addr{"Bob", "bob@x.test"},
			text:    "Hello Alice,\nsee you.",
		},
		{
			name:    "a body without the blank line keeps its own \"Word: …\" lines",
			raw:     mimeCRLF("From: Bob <bob@x.test>\nSubject: Contact\nHello Alice,\nhere is my number.\nSee below.\nTel: 01 23 45 67 89\n"),
			subject: "Contact",
			from:    Addr{"Bob", "bob@x.test"},
			text:    "Hello Alice,\nhere is my number.\nSee below.\nTel: 01 23 45 67 89",
		},
		{
			name:    "a body without the blank line keeps a \"Word: …\" line that is no header field",
			raw:     mimeCRLF("From: Bob <bob@x.test>\nSubject: x\nHello there\nRegards: Bob\nmore text\n"),
			subject: "x",
			from:    Addr{"Bob", "bob@x.test"},
			text:    "Hello there\nRegards: Bob\nmore text",
		},
		{
			name:    "a lost fold followed by a Content- or X- field is still joined",
			raw:     mimeCRLF("From: Bob <bob@x.test>\nSubject: Long\nsubject\nX-Mailer: Old\nContent-Type: text/plain\n\nBody.\n"),
			subject: "Long subject",
			from:    Addr{"Bob", "bob@x.test"},
			text:    "Body.",
		},
		{
			name:    "white space before the colon is obsolete syntax, still read",
			raw:     mimeCRLF("From : Alice <alice@x.test>\nSubject : Obsolete\nTo: bob@x.test\n\nBody.\n"),
			subject: "Obsolete",
			from:    Addr{"Alice", "alice@x.test"},
			text:    "Body.",
		},
		{
			name:    "the text part of a multipart with a damaged nested part is shown",
			raw:     mimeCRLF("From: a@x.test\nSubject: Partly\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nReadable.\n--b\nContent-Type: multipart/related\n\nno boundary here\n--b--\n"),
			subject: "Partly",
			from:    Addr{"", "a@x.test"},
			text:    "Readable.",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Parse(tc.raw)
			if p.Broken {
				t.Errorf("Broken = true, want the text recovered")
			}
			if p.Topic != tc.subject {
				t.Errorf("Subject = %q, want %q", p.Topic, tc.subject)
			}
			if len(p.From) != 1 || p.From[0] != tc.from {
				t.Errorf("From = %+v, want [%+v]", p.From, tc.from)
			}
			if p.Text != tc.text {
				t.Errorf("Text = %q, want %q", p.Text, tc.text)
			}
		})
	}
}

// A multipart whose only delimiter is the close one holds no part: the
// message is empty, not damaged, and is not shown as raw source.
func TestEmptyMultipartIsNotBroken(t *testing.T) {
	p := Parse(mimeCRLF("From: a@x.test\nSubject: Empty\nContent-Type: multipart/mixed; boundary=b\n\n--b--\n"))
	if p.Broken || p.Text != "" || p.HTML != "" || len(p.Attachments) != 0 {
		t.Fatalf("Broken %v, text %q, html %q, %d attachments; want an empty message that is not broken", p.Broken, p.Text, p.HTML, len(p.Attachments))
	}
	// Without any delimiter the structure is unreadable: still broken.
	if p := Parse(mimeCRLF("From: a@x.test\nSubject: No delimiter\nContent-Type: multipart/mixed; boundary=b\n\nplain words\n")); !p.Broken {
		t.Fatal("a multipart without any delimiter is not marked broken")
	}
}
