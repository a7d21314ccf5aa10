package mail

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

func FuzzParse(f *testing.F) {
	for _, seed := range [][]byte{
		sampleAlternative,
		sampleMixed,
		benchMessage(),
		nil,
		[]byte("Subject: =?x-unknown?q?=E9?=\nFrom: \"a, b\" <a@b>, (c) d@e\n\n\xe9\n"),
		[]byte("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/related; boundary=c\n\n--c\nContent-ID: <i>\nContent-Transfer-Encoding: base64\n\nAA=\n--c--\n--b\nContent-Disposition: attachment; filename*0*=utf-8''a%C3; filename*1*=%A9.txt\nContent-Transfer-Encoding: quoted-printable\n\n=E9=\n"),
		[]byte("Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: inner\n\nhi\n--d"),
		[]byte("plain text, no header"),
		[]byte("From : Pete(A (nested) \\) chap) <pete(x)@silly.test(y)>, \"=?utf-8?q?R=C3=A9?=\" <r@x>;\nSubject: a\nb\nTo: (c) d@e (f)\n\nbody"),
		[]byte("Content-Type: multipart/mixed; boundary=b\n\n--b junk\n\n--b\nContent-Type: multipart/alternative; boundary=b-c\n\n--b-c\n\nx\n--b--junk"),
		[]byte("Content-Type: text/html; charset=koi8-r\n\n<P>a<script>x</SCRIPT ><pre> b\n c</pre>&amp;&#xE9;<!--c--><li>d<td>e</td></li><3 </a"),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		p := Parse(raw)
		texts := []string{p.Topic, p.Text, p.HTML, p.MessageID, p.InReplyTo}
		for _, list := range [][]Addr{p.From, p.To, p.Cc, p.Bcc, p.ReplyTo} {
			for _, a := range list {
				texts = append(texts, a.Name, a.Address)
			}
		}
		for _, a := range p.Attachments {
			texts = append(texts, a.Filename, a.ContentType, a.ContentID)
		}
		for _, s := range texts {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in output %q", s)
			}
		}
		if strings.ContainsFunc(p.Topic, func(r rune) bool { return r < 0x20 }) {
			t.Fatalf("control character in Subject %q", p.Topic)
		}
		if !p.Date.IsZero() && p.Date.Location().String() != "UTC" {
			t.Fatalf("Date %v is not UTC", p.Date)
		}
		for i, a := range p.Attachments {
			if a.Index != i {
				t.Fatalf("attachment %d has Index %d", i, a.Index)
			}
			if a.Filename == "" || len(a.Filename) > 120 || strings.ContainsAny(a.Filename, `/\`) || strings.HasPrefix(a.Filename, ".") {
				t.Fatalf("unsafe filename %q", a.Filename)
			}
			meta, data, err := AttachmentData(raw, i)
			if err != nil {
				t.Fatalf("AttachmentData(%d): %v", i, err)
			}
			if meta != a || len(data) != a.Size {
				t.Fatalf("AttachmentData(%d) = %+v with %d bytes, Parse said %+v", i, meta, len(data), a)
			}
		}
		if _, _, err := AttachmentData(raw, len(p.Attachments)); !errors.Is(err, ErrNoAttachment) {
			t.Fatalf("AttachmentData past the end: %v", err)
		}
	})
}

func FuzzSanitize(f *testing.F) {
	for _, seed := range []string{
		`<p style="color:#c00; background:url(http://t/p.gif)">x</p><img src="https://t/p.gif" width=1 height=1>`,
		`<a href=" JaVaScRiPt:alert(1)">x</a><a href="https://example.com" onclick="x()">y</a>`,
		`<img src="cid:a@b" srcset="//t/a.png 1x, data:image/png;base64,AAAA 2x"><table background="http://t/b.gif"><tr><td>x`,
		`<svg onload=alert(1)><style>@import url(http://x)</style><iframe src=//x></iframe><form action=/><input>`,
		`<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`,
		`<div style="width: expression(alert(1)); font-family: 'A', B">&lt;script&gt;</div>`,
		Parse(sampleMixed).HTML,
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, in string, allowRemote bool) {
		out := Sanitize(in, allowRemote, func(cid string) string { return "/inline/" + cid })
		if !allowRemote && out.RemoteBlocked < 0 || allowRemote && out.RemoteBlocked != 0 {
			t.Fatalf("RemoteBlocked = %d with allowRemote %v", out.RemoteBlocked, allowRemote)
		}
		if err := checkSanitizedMarkup(out.HTML, allowRemote); err != nil {
			t.Fatalf("%v\n in: %q\nout: %q", err, in, out.HTML)
		}
	})
}

// checkSanitizedMarkup checks the invariants on the markup itself. Text
// content may legitimately say "javascript:" or "url(" (a message about web
// development); what matters is that no tag or attribute does.
func checkSanitizedMarkup(out string, allowRemote bool) error {
	if strings.Contains(strings.ToLower(out), "<script") {
		return errors.New("output contains <script")
	}
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return nil
		case html.CommentToken, html.DoctypeToken:
			return errors.New("output contains a comment or doctype")
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "style", "iframe", "object", "embed", "form", "input", "button", "meta",
				"base", "link", "svg", "math", "textarea", "select", "frame", "frameset", "noscript":
				return errors.New("forbidden element <" + tok.Data + ">")
			}
			for _, a := range tok.Attr {
				key := strings.ToLower(a.Key)
				compact := strings.ToLower(strings.Join(strings.FieldsFunc(a.Val, func(r rune) bool { return r <= ' ' }), ""))
				switch {
				case strings.HasPrefix(key, "on"):
					return errors.New("event handler attribute " + a.Key)
				case strings.Contains(compact, "javascript:") || strings.Contains(compact, "vbscript:"):
					return errors.New("script URL in " + a.Key)
				case key == "style" && (strings.Contains(compact, "url(") || strings.Contains(compact, "expression(") ||
					strings.Contains(compact, "@import") || strings.Contains(compact, `\`)):
					return errors.New("unsafe CSS in style: " + a.Val)
				case (key == "src" || key == "srcset" || key == "background" || key == "href") &&
					strings.Contains(compact, "data:") && !strings.Contains(compact, "data:image/"):
					return errors.New("non-image data URL in " + a.Key)
				case !allowRemote && (key == "src" || key == "srcset" || key == "background") && hasRemoteURL(a.Val):
					return errors.New("remote URL kept in " + a.Key + " while blocking")
				}
			}
		}
	}
}

// hasRemoteURL reports whether an src, background or srcset value would load
// from the network.
func hasRemoteURL(v string) bool {
	for _, candidate := range strings.Split(v, ",") {
		fields := strings.Fields(candidate)
		if len(fields) == 0 {
			continue
		}
		if kind, _ := classifyURL(fields[0]); kind == urlRemote {
			return true
		}
	}
	return false
}

// TestSanitizeFuzzOracle keeps the fuzz oracle honest.
func TestSanitizeFuzzOracle(t *testing.T) {
	for _, bad := range []string{
		`<img src=x onerror=alert(1)>`,
		`<a href="java script:alert(1)">x</a>`,
		`<p style="background:url(x)">`,
		`<img src="https://t/p.gif">`,
		`<SCRIPT>`,
	} {
		if checkSanitizedMarkup(bad, false) == nil {
			t.Errorf("oracle accepts %q", bad)
		}
	}
	if err := checkSanitizedMarkup(`<p>write javascript: url( here</p>`, false); err != nil {
		t.Errorf("oracle rejects plain text: %v", err)
	}
	if !bytes.Contains([]byte(Sanitize("<p>javascript: url(x)</p>", false, nil).HTML), []byte("javascript: url(x)")) {
		t.Errorf("text mentioning javascript: should survive as text")
	}
}
