package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"math/rand/v2"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// Recipient is the To of every generated message.
const Recipient = "camille@carnet.test"

// GenerateMessages returns n realistic RFC 5322 messages, the same ones for
// the same seed (and the first n of a longer run): plain text, text with an
// HTML alternative, attachments, HTML-only newsletters; UTF-8 with
// encoded-word subjects and names, some ISO-8859-1 and windows-1252 bodies;
// replies and forwards that thread through In-Reply-To and References. Each
// is 2–30 KB, has a unique Message-ID and a Date later than the one before.
//
// Senders come from from ("Name <addr>" or a bare address), so tests can
// link messages to contacts; an empty list means made-up French senders.
func GenerateMessages(seed int64, n int, from []string) [][]byte {
	return GenerateMessagesSince(time.Date(2024, 1, 8, 8, 30, 0, 0, time.UTC), seed, n, from)
}

// GenerateMessagesSince is GenerateMessages with the first message sent
// shortly after start, for mailboxes spread over the years.
func GenerateMessagesSince(start time.Time, seed int64, n int, from []string) [][]byte {
	g := newGenerator(seed, from)
	g.date = start
	msgs := make([][]byte, n)
	for i := range msgs {
		msgs[i] = g.message(i)
	}
	return msgs
}

type person struct {
	name, addr, first, company string
}

type sent struct {
	id, subject, refs string
	sender            int
	excerpt           string
}

type generator struct {
	r       *rand.Rand
	seed    int64
	senders []person
	date    time.Time
	history []sent
}

func newGenerator(seed int64, from []string) *generator {
	g := &generator{
		r:    rand.New(rand.NewPCG(uint64(seed), 0x6d61696c74657374)),
		seed: seed,
		date: time.Date(2024, 1, 8, 8, 30, 0, 0, time.UTC),
	}
	for _, f := range from {
		a, err := mail.ParseAddress(f)
		if err != nil {
			a = &mail.Address{Address: strings.TrimSpace(f)}
		}
		p := person{name: a.Name, addr: a.Address}
		if p.name == "" {
			p.name = nameFromLocal(a.Address)
		}
		p.first, _, _ = strings.Cut(p.name, " ")
		p.company = companyFromDomain(a.Address)
		g.senders = append(g.senders, p)
	}
	if len(g.senders) == 0 {
		for range 40 {
			first := pick(g.r, firstNames)
			last := pick(g.r, lastNames)
			domain := pick(g.r, domains)
			local := strings.ToLower(asciiFold(first) + "." + asciiFold(last))
			local = strings.ReplaceAll(local, " ", "")
			addr := local + "@" + domain
			g.senders = append(g.senders, person{first + " " + last, addr, first, companyFromDomain(addr)})
		}
	}
	return g
}

// Body charsets, with how much a transfer encoding inflates the text.
type bodyCharset struct {
	name   string // MIME charset
	cte    string // Content-Transfer-Encoding
	encode *charmap.Charmap
}

var (
	utf8QP     = bodyCharset{"utf-8", "quoted-printable", nil}
	utf8B64    = bodyCharset{"utf-8", "base64", nil}
	utf8Bit    = bodyCharset{"utf-8", "8bit", nil}
	latin1QP   = bodyCharset{"iso-8859-1", "quoted-printable", charmap.ISO8859_1}
	cp1252QP   = bodyCharset{"windows-1252", "quoted-printable", charmap.Windows1252}
	usASCII7   = bodyCharset{"us-ascii", "7bit", nil}
	dateLayout = "Mon, 02 Jan 2006 15:04:05 -0700"
)

func (g *generator) message(i int) []byte {
	r := g.r
	// Office hours, a few messages an hour, weekends off.
	g.date = g.date.Add(time.Duration(3+r.IntN(90)) * time.Minute).Add(time.Duration(r.IntN(60)) * time.Second)
	if g.date.Hour() >= 19 {
		g.date = time.Date(g.date.Year(), g.date.Month(), g.date.Day()+1, 8, r.IntN(50), r.IntN(60), 0, time.UTC)
	}
	for g.date.Weekday() == time.Saturday || g.date.Weekday() == time.Sunday {
		g.date = g.date.AddDate(0, 0, 1)
	}
	offset := 3600 // Paris: winter +0100, summer +0200 (roughly)
	if m := g.date.Month(); m >= time.April && m <= time.October {
		offset = 7200
	}
	date := time.Date(g.date.Year(), g.date.Month(), g.date.Day(), g.date.Hour(), g.date.Minute(), g.date.Second(), 0, time.FixedZone("", offset))

	kind := r.IntN(100)
	english := kind >= 95
	cs := utf8QP
	switch c := r.IntN(100); {
	case english:
		cs = usASCII7
	case c < 10:
		cs = utf8B64
	case c < 15:
		cs = utf8Bit
	case c < 30:
		cs = latin1QP
	case c < 45:
		cs = cp1252QP
	}

	si := r.IntN(len(g.senders))
	subject := g.subject(english)
	var inReplyTo, refs, quote string
	switch c := r.IntN(100); {
	case c < 25 && len(g.history) > 0 && !english:
		orig := g.history[len(g.history)-1-r.IntN(min(len(g.history), 30))]
		si = orig.sender
		subject = pick(r, []string{"Re: ", "RE: ", "Re : "}) + orig.subject
		inReplyTo = orig.id
		refs = strings.TrimSpace(orig.refs + " " + orig.id)
		quote = orig.excerpt
	case c < 30 && len(g.history) > 0 && !english:
		orig := g.history[len(g.history)-1-r.IntN(len(g.history))]
		subject = pick(r, []string{"Tr: ", "TR: ", "Fwd: "}) + orig.subject
		quote = orig.excerpt
	}
	sender := g.senders[si]
	domain := sender.addr[strings.LastIndexByte(sender.addr, '@')+1:]
	id := fmt.Sprintf("<%x.%d.%08x@%s>", uint64(g.seed), i, r.Uint32(), domain)

	var h bytes.Buffer
	g.traceHeaders(&h, sender, domain, date)
	header(&h, "Date", date.Format(dateLayout))
	header(&h, "From", g.address(sender.name, sender.addr, cs))
	header(&h, "To", g.address("Camille Bérard", Recipient, cs))
	if r.IntN(5) == 0 && len(g.senders) > 1 {
		cc := g.senders[(si+1+r.IntN(len(g.senders)-1))%len(g.senders)]
		header(&h, "Cc", g.address(cc.name, cc.addr, cs))
	}
	header(&h, "Subject", g.encodeWord(subject, cs))
	header(&h, "Message-ID", id)
	if inReplyTo != "" {
		header(&h, "In-Reply-To", inReplyTo)
		header(&h, "References", refs)
	}
	header(&h, "MIME-Version", "1.0")
	if kind >= 90 && kind < 95 {
		header(&h, "List-Id", fmt.Sprintf("Lettre d'information <news.%s>", domain))
		header(&h, "List-Unsubscribe", fmt.Sprintf("<https://%s/desinscription?u=%x>, <mailto:unsubscribe@%s>", domain, r.Uint64(), domain))
		header(&h, "Precedence", "bulk")
	} else if r.IntN(3) > 0 {
		mailer := pick(r, mailers)
		header(&h, mailer[0], mailer[1])
	}

	// Aim for a total size in 2–30 KB, business-mail shaped: mostly small.
	target := 2300 + min(int(r.ExpFloat64()*5000), 25000)
	if kind >= 72 && kind < 90 {
		target = 9000 + r.IntN(19000)
	}
	budget := max(target-h.Len(), 800)

	size := budget // before the transfer encoding inflates it
	switch cs.cte {
	case "base64":
		size = size * 3 / 4
	case "quoted-printable":
		size = size * 17 / 20
	}
	var text string
	if english {
		text = g.englishText(sender, budget)
	} else {
		if kind >= 40 && kind < 72 { // the HTML alternative takes most
			size = size * 2 / 5
		}
		if kind >= 72 && kind < 90 { // the attachment takes most
			size = 600 + r.IntN(1500)
		}
		text = g.frenchText(sender, max(size, 700), quote)
	}
	excerpt := text
	if i := strings.LastIndexByte(excerpt[:min(len(excerpt), 400)], ' '); len(excerpt) > 400 && i > 0 {
		excerpt = excerpt[:i]
	}
	g.history = append(g.history, sent{id, baseSubject(subject), refs, si, excerpt})
	if len(g.history) > 200 {
		g.history = g.history[100:]
	}

	var b bytes.Buffer
	b.Write(h.Bytes())
	switch {
	case english || kind < 40:
		g.textPart(&b, "text/plain", text, cs)
	case kind < 72:
		g.alternative(&b, text, sender, cs)
	case kind < 90:
		boundary := g.boundary()
		header(&b, "Content-Type", fmt.Sprintf("multipart/mixed; boundary=%q", boundary))
		b.WriteString("\r\nThis is a multi-part message in MIME format.\r\n")
		fmt.Fprintf(&b, "\r\n--%s\r\n", boundary)
		if r.IntN(2) == 0 {
			g.textPart(&b, "text/plain", text, cs)
		} else {
			g.alternative(&b, text, sender, cs)
		}
		left := max(target-b.Len()-600, 1500)
		for n := 1 + r.IntN(2); n > 0 && left > 500; n-- {
			size := left
			if n > 1 {
				size = left / 2
			}
			fmt.Fprintf(&b, "\r\n--%s\r\n", boundary)
			g.attachment(&b, size*3/4)
			left = target - b.Len() - 300
		}
		fmt.Fprintf(&b, "\r\n--%s--\r\n", boundary)
	default:
		g.textPart(&b, "text/html", g.newsletterHTML(sender, size, cs), cs)
	}
	return b.Bytes()
}

func (g *generator) traceHeaders(h *bytes.Buffer, p person, domain string, date time.Time) {
	r := g.r
	header(h, "Return-Path", "<"+p.addr+">")
	ip := fmt.Sprintf("198.51.100.%d", 1+r.IntN(250))
	header(h, "Received", fmt.Sprintf("from mail.%s (mail.%s [%s])\r\n\tby mx.carnet.test (Postfix) with ESMTPS id %X\r\n\tfor <%s>; %s",
		domain, domain, ip, r.Uint64()&0xffffffffff, Recipient, date.Add(time.Duration(2+r.IntN(20))*time.Second).Format(dateLayout)))
	header(h, "Received", fmt.Sprintf("from [192.168.1.%d] (unknown [%s])\r\n\tby mail.%s (Postfix) with ESMTPSA id %X;\r\n\t%s",
		2+r.IntN(200), ip, domain, r.Uint64()&0xffffffffff, date.Add(time.Second).Format(dateLayout)))
	header(h, "Authentication-Results", fmt.Sprintf("mx.carnet.test;\r\n\tdkim=pass header.d=%s;\r\n\tspf=pass smtp.mailfrom=%s", domain, p.addr))
	if r.IntN(10) < 6 {
		sig := make([]byte, 32+256) // body hash, RSA-2048 signature
		for i := range sig {
			sig[i] = byte(r.Uint32())
		}
		bh, b := base64.StdEncoding.EncodeToString(sig[:32]), base64.StdEncoding.EncodeToString(sig[32:])
		header(h, "DKIM-Signature", fmt.Sprintf("v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s; s=mail;\r\n\tt=%d; h=From:To:Subject:Date:Message-ID;\r\n\tbh=%s;\r\n\tb=%s\r\n\t %s\r\n\t %s\r\n\t %s",
			domain, date.Unix(), bh, b[:76], b[76:152], b[152:228], b[228:]))
	}
}

func header(b *bytes.Buffer, name, value string) {
	b.WriteString(name)
	b.WriteString(": ")
	b.WriteString(value)
	b.WriteString("\r\n")
}

// encodeWord RFC 2047-encodes s when it is not ASCII, in the body's charset
// as mail programs do, folding between encoded words.
func (g *generator) encodeWord(s string, cs bodyCharset) string {
	if isASCII(s) {
		return s
	}
	var w string
	switch {
	case cs.encode != nil:
		s = toCharset(s, cs)
		w = mime.QEncoding.Encode(cs.name, s)
	case g.r.IntN(3) == 0:
		w = mime.BEncoding.Encode("UTF-8", s)
	default:
		w = mime.QEncoding.Encode("UTF-8", s)
	}
	return strings.ReplaceAll(w, "?= =?", "?=\r\n =?")
}

func (g *generator) address(name, addr string, cs bodyCharset) string {
	if name == "" {
		return addr
	}
	if isASCII(name) {
		if g.r.IntN(8) == 0 { // "DUPONT Jean", as some directories show names
			first, last, ok := strings.Cut(name, " ")
			if ok {
				name = strings.ToUpper(last) + " " + first
			}
		}
		if strings.ContainsAny(name, `()<>[]:;@\,."`) {
			name = fmt.Sprintf("%q", name)
		}
		return name + " <" + addr + ">"
	}
	if cs == usASCII7 {
		cs = utf8QP
	}
	return g.encodeWord(name, cs) + " <" + addr + ">"
}

func (g *generator) boundary() string {
	r := g.r
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("----=_Part_%d_%d.%d", r.IntN(1000000), r.IntN(1000000000), 1700000000000+r.IntN(100000000000))
	case 1:
		return fmt.Sprintf("000000000000%012x", r.Uint64()&0xffffffffffff)
	default:
		return fmt.Sprintf("Apple-Mail=_%08X-%04X-%04X-%04X-%012X", r.Uint32(), r.IntN(0x10000), r.IntN(0x10000), r.IntN(0x10000), r.Uint64()&0xffffffffffff)
	}
}

// textPart writes the headers and body of a single text part.
func (g *generator) textPart(b *bytes.Buffer, mediaType, text string, cs bodyCharset) {
	header(b, "Content-Type", fmt.Sprintf("%s; charset=%q", mediaType, cs.name))
	header(b, "Content-Transfer-Encoding", cs.cte)
	b.WriteString("\r\n")
	data := []byte(toCharset(text, cs))
	switch cs.cte {
	case "quoted-printable":
		w := quotedprintable.NewWriter(b)
		w.Write(data)
		w.Close()
	case "base64":
		writeBase64(b, data)
	default:
		b.Write(bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")))
	}
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
}

func (g *generator) alternative(b *bytes.Buffer, text string, p person, cs bodyCharset) {
	boundary := g.boundary()
	header(b, "Content-Type", fmt.Sprintf("multipart/alternative; boundary=%q", boundary))
	fmt.Fprintf(b, "\r\n--%s\r\n", boundary)
	g.textPart(b, "text/plain", text, cs)
	fmt.Fprintf(b, "\r\n--%s\r\n", boundary)
	g.textPart(b, "text/html", g.html(text, p, cs), cs)
	fmt.Fprintf(b, "\r\n--%s--\r\n", boundary)
}

func (g *generator) attachment(b *bytes.Buffer, size int) {
	r := g.r
	n := r.IntN(9000) + 1000
	var name, typ string
	var head []byte
	switch r.IntN(5) {
	case 0:
		name, typ, head = fmt.Sprintf("Devis-%d.pdf", n), "application/pdf", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	case 1:
		name, typ, head = pick(r, []string{"Conditions générales de vente.pdf", fmt.Sprintf("Facture FA-2024-%04d.pdf", n), "Récapitulatif commande.pdf"}), "application/pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	case 2:
		name, typ, head = pick(r, []string{fmt.Sprintf("IMG_%04d.JPG", n), "photo chantier.jpg", "plan d’accès.jpg"}), "image/jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	case 3:
		name, typ, head = pick(r, []string{"Compte-rendu réunion.docx", "Proposition commerciale.docx"}), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", []byte("PK\x03\x04\x14\x00\x06\x00")
	default:
		name, typ, head = "export-clients.csv", "text/csv", nil
	}
	var data []byte
	if head == nil {
		var csv bytes.Buffer
		csv.WriteString("Nom;Prénom;Société;Email;Téléphone\r\n")
		for csv.Len() < size {
			fmt.Fprintf(&csv, "%s;%s;%s;%s.%s@%s;01 %02d %02d %02d %02d\r\n", pick(r, lastNames), pick(r, firstNames), pick(r, companies),
				strings.ToLower(asciiFold(pick(r, firstNames))), strings.ToLower(asciiFold(pick(r, lastNames))), pick(r, domains),
				r.IntN(100), r.IntN(100), r.IntN(100), r.IntN(100))
		}
		data = csv.Bytes()
	} else {
		data = make([]byte, max(size, 200))
		copy(data, head)
		for i := len(head); i < len(data); i++ {
			data[i] = byte(r.Uint32())
		}
	}
	typeParams := map[string]string{"name": name}
	dispParams := map[string]string{"filename": name}
	if !isASCII(name) && r.IntN(5) < 2 {
		// Outlook and Gmail put encoded words in quotes, against RFC 2231
		// but everywhere.
		enc := `"` + mime.BEncoding.Encode("UTF-8", name) + `"`
		fmt.Fprintf(b, "Content-Type: %s; name=%s\r\n", typ, enc)
		fmt.Fprintf(b, "Content-Disposition: attachment; filename=%s\r\n", enc)
	} else {
		header(b, "Content-Type", mime.FormatMediaType(typ, typeParams))
		header(b, "Content-Disposition", mime.FormatMediaType("attachment", dispParams))
	}
	header(b, "Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	writeBase64(b, data)
}

func writeBase64(b *bytes.Buffer, data []byte) {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76])
		b.WriteString("\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc)
	b.WriteString("\r\n")
}

func (g *generator) subject(english bool) string {
	if english {
		return g.fill(pick(g.r, []string{"Meeting next week", "Your order #%d", "Invoice %d", "Quick question", "Partnership proposal"}))
	}
	return g.fill(pick(g.r, subjects))
}

// fill puts a number or a weekday where the template asks for one.
func (g *generator) fill(s string) string {
	switch {
	case strings.Contains(s, "%d"):
		return fmt.Sprintf(s, 100+g.r.IntN(9900))
	case strings.Contains(s, "%s"):
		return fmt.Sprintf(s, pick(g.r, []string{"lundi", "mardi", "mercredi", "jeudi", "vendredi"}))
	}
	return s
}

// frenchText writes a business mail of about size bytes: greeting, body,
// the quoted mail it answers, signature.
func (g *generator) frenchText(p person, size int, quote string) string {
	r := g.r
	var b strings.Builder
	fmt.Fprintf(&b, "%s,\n\n", pick(r, []string{"Bonjour Camille", "Bonjour", "Chère Madame", "Madame, Monsieur", "Salut Camille"}))
	wrap := r.IntN(2) == 0
	sig := fmt.Sprintf("\n%s\n\n%s\n%s\nTél. : 0%d %02d %02d %02d %02d\n", pick(r, closings), p.name, p.company,
		1+r.IntN(5), r.IntN(100), r.IntN(100), r.IntN(100), r.IntN(100))
	quoted := ""
	if quote != "" {
		quoted = "\nLe " + g.date.AddDate(0, 0, -1).Format("02/01/2006") + " à 10:12, Camille Bérard a écrit :\n" + quoteLines(quote)
	}
	for b.Len()+len(sig)+len(quoted) < size {
		var para strings.Builder
		for range 2 + r.IntN(4) {
			para.WriteString(g.fill(pick(r, sentences)))
			para.WriteByte(' ')
		}
		p := strings.TrimSpace(para.String())
		if wrap {
			p = wrapText(p, 72)
		}
		b.WriteString(p)
		b.WriteString("\n\n")
	}
	b.WriteString(sig)
	b.WriteString(quoted)
	return b.String()
}

func (g *generator) englishText(p person, size int) string {
	var b strings.Builder
	b.WriteString("Hello Camille,\n\n")
	for b.Len() < size-100 {
		var para strings.Builder
		for range 3 {
			para.WriteString(pick(g.r, englishSentences))
			para.WriteByte(' ')
		}
		b.WriteString(wrapText(strings.TrimSpace(para.String()), 72))
		b.WriteString("\n\n")
	}
	fmt.Fprintf(&b, "Best regards,\n%s\n", asciiFold(p.name))
	return b.String()
}

// html renders the text the way Outlook and webmails do: styled paragraphs,
// entities, a signature table.
func (g *generator) html(text string, p person, cs bodyCharset) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=%s\">\n", cs.name)
	b.WriteString("<style type=\"text/css\">p.MsoNormal{margin:0cm;font-size:11.0pt;font-family:\"Calibri\",sans-serif;}</style>\n</head>\n")
	b.WriteString("<body lang=\"FR\" style=\"word-wrap:break-word\">\n<div class=\"WordSection1\">\n")
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		para = html.EscapeString(strings.ReplaceAll(para, "\n", " "))
		if g.r.IntN(4) == 0 {
			para = strings.ReplaceAll(para, "é", "&eacute;")
		}
		fmt.Fprintf(&b, "<p class=\"MsoNormal\" style=\"margin-bottom:12pt\"><span style=\"color:#1F1F1F\">%s</span></p>\n", para)
	}
	fmt.Fprintf(&b, "<table border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr><td style=\"padding:0 8pt 0 0\"><img width=\"64\" height=\"64\" src=\"https://www.%s/img/logo.png\" alt=\"%s\"></td>\n<td><b>%s</b><br>%s</td></tr></table>\n",
		p.addr[strings.IndexByte(p.addr, '@')+1:], html.EscapeString(p.company), html.EscapeString(p.name), html.EscapeString(p.company))
	b.WriteString("</div>\n</body>\n</html>\n")
	return b.String()
}

func (g *generator) newsletterHTML(p person, size int, cs bodyCharset) string {
	domain := p.addr[strings.IndexByte(p.addr, '@')+1:]
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"%s\"><title>Lettre d'information</title></head>\n<body style=\"margin:0;background:#f4f4f4\">\n", cs.name)
	b.WriteString("<table width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\"><tr><td align=\"center\">\n")
	for i := 0; b.Len() < size-600; i++ {
		fmt.Fprintf(&b, "<table width=\"600\" style=\"background:#ffffff;margin:12px 0\"><tr><td style=\"padding:16px;font-family:Arial,sans-serif;font-size:14px;color:#333\">\n<h2 style=\"color:#0b5394\">%s</h2>\n<p>%s</p>\n<a href=\"https://%s/article/%d?utm_source=newsletter&amp;utm_medium=email\" style=\"color:#0b5394\">Lire la suite</a>\n</td></tr></table>\n",
			html.EscapeString(g.subject(false)), html.EscapeString(g.fill(pick(g.r, sentences))+" "+g.fill(pick(g.r, sentences))), domain, i)
	}
	fmt.Fprintf(&b, "<p style=\"font-size:11px;color:#888\">Vous recevez ce message car vous êtes client de %s. <a href=\"https://%s/desinscription\">Se désinscrire</a></p>\n", html.EscapeString(p.company), domain)
	fmt.Fprintf(&b, "<img src=\"https://%s/t/open.gif?id=%x\" width=\"1\" height=\"1\" alt=\"\">\n</td></tr></table>\n</body></html>\n", domain, g.r.Uint64())
	return b.String()
}

func quoteLines(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(wrapText(strings.ReplaceAll(s, "\n", " "), 70), "\n") {
		b.WriteString("> ")
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

func wrapText(s string, width int) string {
	var b strings.Builder
	line := 0
	for i, w := range strings.Fields(s) {
		if i > 0 && line+1+len(w) > width {
			b.WriteByte('\n')
			line = 0
		} else if i > 0 {
			b.WriteByte(' ')
			line++
		}
		b.WriteString(w)
		line += len(w)
	}
	return b.String()
}

// toCharset converts UTF-8 text to the part's charset, replacing what it
// cannot hold the way a careful mailer would.
func toCharset(s string, cs bodyCharset) string {
	switch {
	case cs == usASCII7:
		return asciiFold(s)
	case cs.encode == nil:
		return s
	}
	if cs.encode == charmap.ISO8859_1 {
		s = latin1Replacer.Replace(s)
	}
	s = strings.Map(func(r rune) rune {
		if r > 0xffff {
			return -1 // emoji
		}
		return r
	}, s)
	out, err := encoding.ReplaceUnsupported(cs.encode.NewEncoder()).String(s)
	if err != nil {
		return asciiFold(s)
	}
	return out
}

var latin1Replacer = strings.NewReplacer("€", "EUR", "’", "'", "œ", "oe", "Œ", "OE", "…", "...", "“", "\"", "”", "\"", "–", "-", "\u202f", " ")

func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		if f, ok := folds[r]; ok {
			b.WriteString(f)
		} else if unicode.IsSpace(r) {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

var folds = map[rune]string{
	'à': "a", 'â': "a", 'ä': "a", 'ç': "c", 'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'î': "i", 'ï': "i",
	'ô': "o", 'ö': "o", 'ù': "u", 'û': "u", 'ü': "u", 'ÿ': "y", 'œ': "oe", 'æ': "ae",
	'À': "A", 'Â': "A", 'Ç': "C", 'É': "E", 'È': "E", 'Ê': "E", 'Î': "I", 'Ô': "O", 'Ù': "U", 'Œ': "OE",
	'€': "EUR", '’': "'", '«': "\"", '»': "\"", '…': "...", '–': "-", '°': "o",
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func baseSubject(s string) string {
	for {
		t := s
		for _, p := range []string{"Re: ", "RE: ", "Re : ", "Tr: ", "TR: ", "Fwd: "} {
			t = strings.TrimPrefix(t, p)
		}
		if t == s {
			return s
		}
		s = t
	}
}

func nameFromLocal(addr string) string {
	local, _, _ := strings.Cut(addr, "@")
	parts := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' })
	if len(parts) < 2 {
		return ""
	}
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, " ")
}

func companyFromDomain(addr string) string {
	domain := addr[strings.LastIndexByte(addr, '@')+1:]
	label, _, _ := strings.Cut(domain, ".")
	switch label {
	case "gmail", "orange", "free", "laposte", "wanadoo", "outlook", "hotmail", "yahoo", "sfr":
		return ""
	}
	words := strings.Split(label, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

var (
	firstNames = []string{"Élodie", "François", "Hélène", "Jérôme", "Anaïs", "Benoît", "Cécile", "Gaëlle", "Noël", "Zoé",
		"Marie", "Thomas", "Julie", "Nicolas", "Sophie", "Pierre", "Camille", "Antoine", "Léa", "Mathieu",
		"Chloé", "Stéphane", "Aurélie", "Rémi", "Inès", "Loïc", "Valérie", "Sébastien", "Maëlle", "Hugo"}
	lastNames = []string{"Lefèvre", "Dupré", "Girard", "Bézier", "Rocher", "Moreau", "Faure", "Le Bihan", "Dumas", "Brûlé",
		"Martin", "Bernard", "Dubois", "Durand", "Lambert", "Fontaine", "Chevalier", "Mercier", "Gauthier", "Perrin",
		"Morel", "Roussel", "Lemaître", "Garnier", "Benoît", "Lecœur", "Côté", "Besançon", "Noël", "Hébert"}
	domains = []string{"dupont-batiment.fr", "cabinet-girard.fr", "orange.fr", "gmail.com", "laposte.net", "free.fr",
		"sarl-martin.fr", "menuiserie-roussel.fr", "atelier-perrin.com", "transports-morel.fr", "agence-lumiere.fr", "wanadoo.fr"}
	companies = []string{"Dupont Bâtiment", "Cabinet Girard", "SARL Martin", "Menuiserie Roussel", "Atelier Perrin",
		"Transports Morel", "Agence Lumière", "Boulangerie Lecœur", "Garage Côté", "Éditions Hébert"}
	subjects = []string{
		"Devis n°%d – rénovation des bureaux", "Facture FA-2024-%d", "Relance : facture FA-2024-%d impayée",
		"Réunion de suivi de %s", "Commande %d confirmée", "Votre rendez-vous de %s", "Proposition de partenariat",
		"Question sur la livraison", "Compte rendu de la réunion", "Contrat de maintenance %d",
		"Mise à jour des coordonnées bancaires", "Planning des interventions – semaine %d", "Demande d'informations",
		"Bon de commande signé", "Félicitations pour le salon !", "Invitation : déjeuner d’affaires",
		"Urgent : pièces manquantes", "Candidature – poste de commercial", "Votre avis nous intéresse 😊",
		"Avoir sur la facture %d", "Point sur le chantier de Besançon", "Nouveaux tarifs à compter du 1er janvier",
		"Confirmation de votre inscription à la formation « Gestion de la relation client » du mois prochain",
		"Documents à signer", "Re-planification de l'intervention", "Bonne année !", "Congés d'été",
		"Offre spéciale : -20 % sur l'entretien", "Accusé de réception", "Attestation d'assurance %d",
	}
	sentences = []string{
		"Je vous remercie pour votre message et reviens vers vous au sujet de notre échange de la semaine dernière.",
		"Vous trouverez ci-joint le devis n°%d correspondant à la prestation dont nous avons parlé.",
		"Le montant total s’élève à 1 250,00 € HT, soit 1 500,00 € TTC.",
		"Pourriez-vous me confirmer vos disponibilités pour une réunion jeudi prochain à 14 h ?",
		"Nous avons bien reçu votre commande et la livraison est prévue sous huit jours ouvrés.",
		"Sauf erreur de notre part, la facture n°%d reste à régler à ce jour.",
		"Je me permets de vous relancer concernant notre proposition commerciale.",
		"L’équipe technique interviendra sur site mardi matin, entre 8 h et 10 h.",
		"N’hésitez pas à me contacter si vous avez la moindre question.",
		"Comme convenu, je vous transmets le compte rendu de notre réunion.",
		"Les pièces détachées sont arrivées : nous pouvons donc planifier l’intervention.",
		"Notre comptabilité m’informe que le virement n’a pas encore été reçu.",
		"Merci de bien vouloir nous retourner le bon de commande signé.",
		"Le chantier a pris un léger retard à cause des intempéries, mais la réception reste prévue fin du mois.",
		"Je serai absente du 12 au 23 août ; ma collègue Hélène prendra le relais.",
		"Nous vous proposons un rendez-vous à nos bureaux, 14 rue de la République à Lyon.",
		"Pour rappel, nos conditions générales de vente prévoient un paiement à trente jours.",
		"Votre dossier est complet et sera traité dans les meilleurs délais.",
		"Nous avons le plaisir de vous inviter à notre journée portes ouvertes le samedi 14 septembre.",
		"Après vérification, une erreur s’est glissée dans la facture : un avoir de 85,50 € vous sera adressé.",
		"Les tarifs indiqués sont valables jusqu’au 31 décembre, hors frais de déplacement.",
		"Je vous confirme la réservation de la salle pour douze personnes, café et déjeuner compris.",
		"Pourriez-vous m’envoyer une attestation d’assurance à jour avant le début des travaux ?",
		"Le client souhaite modifier la couleur des façades : « gris anthracite » au lieu de « blanc cassé ».",
		"Côté délais, nous tablons sur une mise en service début février, si tout va bien.",
		"J’ai transmis votre demande au service après-vente, qui vous recontactera rapidement.",
		"Bien reçu, merci ! Je regarde ça dès demain et je reviens vers vous.",
		"Nous restons à votre disposition pour tout complément d’information.",
	}
	closings         = []string{"Cordialement,", "Bien cordialement,", "Bien à vous,", "Bonne journée,", "Merci d’avance,", "À bientôt,"}
	englishSentences = []string{
		"Thank you for your email.", "Please find attached the documents you requested.",
		"Could we schedule a call next Tuesday?", "The shipment left our warehouse this morning.",
		"Let me know if you need anything else.", "Our team will get back to you shortly.",
	}
	mailers = [][2]string{
		{"X-Mailer", "Microsoft Outlook 16.0"},
		{"X-Mailer", "Apple Mail (2.3731.700.6)"},
		{"User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.6.0"},
		{"X-Mailer", "Zimbra 9.0.0_GA_4583 (ZimbraWebClient - FF120 (Win)/9.0.0_GA_4583)"},
		{"User-Agent", "Roundcube Webmail/1.6.5"},
	}
)

// BigMessage returns a message of exactly size bytes (at least 2,000): a
// short text and a PDF-like attachment in base64 lines, as a real mail
// with a big attachment is. i makes its Message-ID and subject unique.
func BigMessage(i, size int) []byte {
	const line = 78 // 76 base64 characters and CRLF
	boundary := fmt.Sprintf("big-%d-boundary", i)
	head := fmt.Sprintf("From: Hélène Dupont <helene.dupont@example.fr>\r\nTo: %s\r\nSubject: Plans, version %d\r\n"+
		"Message-ID: <big%d@example.fr>\r\nDate: Tue, 24 Nov 2026 09:%02d:00 +0100\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/mixed; boundary=%q\r\n", Recipient, i, i, i%60, boundary)
	text := fmt.Sprintf("\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"+
		"Bonjour,\r\nVoici les plans (version %d) en pièce jointe.\r\nHélène\r\n"+
		"\r\n--%s\r\nContent-Type: application/pdf; name=\"plans-%d.pdf\"\r\nContent-Disposition: attachment; filename=\"plans-%d.pdf\"\r\n"+
		"Content-Transfer-Encoding: base64\r\n\r\n", boundary, i, boundary, i, i)
	tail := fmt.Sprintf("--%s--\r\n", boundary)
	const padName = "X-Padding: "
	room := size - len(head) - len(text) - len(tail) - len(padName) - 2
	lines := max(room/line, 0)
	pad := room - lines*line // 0 to 77 characters of padding header
	var b bytes.Buffer
	b.Grow(size)
	b.WriteString(head)
	b.WriteString(padName + strings.Repeat("x", pad) + "\r\n")
	b.WriteString(text)
	// A cheap, incompressible-looking pattern: base64 of a counter.
	var raw [57]byte
	enc := make([]byte, 76)
	for n := 0; n < lines; n++ {
		for k := range raw {
			raw[k] = byte(n*31 + k*7 + i)
		}
		base64.StdEncoding.Encode(enc, raw[:])
		b.Write(enc)
		b.WriteString("\r\n")
	}
	b.WriteString(tail)
	return b.Bytes()
}
