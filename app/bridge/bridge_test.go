package bridge

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"carnet/app"
	"carnet/backend/core"
)

type Greeter struct{}

func (Greeter) Hello(name string, n int) (string, error) {
	if name == "" {
		return "", errors.New(`{"key":"error.empty"}`)
	}
	return strings.Repeat("hi "+name+" ", n), nil
}
func (Greeter) Nothing()          {}
func (Greeter) Boom() error       { panic("kaboom") }
func (Greeter) Odd() (odd, error) { return odd{}, nil }

// odd fails while its result is being encoded.
type odd struct{}

func (odd) MarshalJSON() ([]byte, error) { panic("kaboom") }

// callRequestAs is a call as the bridge's page makes it, changed by edit.
func callRequestAs(t *testing.T, s *Server, srv *httptest.Server, body string, edit func(*http.Request)) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+"/__bridge/call", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", srv.URL)
	req.Header.Set(tokenHeader, s.Token())
	if edit != nil {
		edit(req)
	}
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func post(t *testing.T, s *Server, srv *httptest.Server, body string) callResponse {
	t.Helper()
	r := callRequestAs(t, s, srv, body, nil)
	defer r.Body.Close()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d", body, r.StatusCode)
	}
	var cr callResponse
	json.NewDecoder(r.Body).Decode(&cr)
	return cr
}

func TestCallsBoundMethodsLikeWails(t *testing.T) {
	s := New(fstest.MapFS{"index.html": {Data: []byte(`<html><script type="module" src="/x.js"></script>`)}}, &Greeter{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	post := func(t *testing.T, _ *httptest.Server, body string) callResponse { return post(t, s, srv, body) }

	if r := post(t, srv, `{"method":"bridge.Greeter.Hello","args":["Zoé",2]}`); r.Result != "hi Zoé hi Zoé " || r.Error != "" {
		t.Fatalf("Hello: %+v", r)
	}
	if r := post(t, srv, `{"method":"bridge.Greeter.Hello","args":["",1]}`); r.Error != `{"key":"error.empty"}` {
		t.Fatalf("error passes through unchanged: %+v", r)
	}
	if r := post(t, srv, `{"method":"bridge.Greeter.Nothing","args":[]}`); r.Error != "" || r.Result != nil {
		t.Fatalf("Nothing: %+v", r)
	}
	if r := post(t, srv, `{"method":"bridge.Greeter.Hello","args":["x"]}`); !strings.Contains(r.Error, "takes 2 arguments") {
		t.Fatalf("wrong arity: %+v", r)
	}
	if r := post(t, srv, `{"method":"os.Exit","args":[1]}`); !strings.Contains(r.Error, "no bound method") {
		t.Fatalf("unbound method: %+v", r)
	}

	r, _ := http.Get(srv.URL + "/?token=" + s.Token())
	b, _ := io.ReadAll(r.Body)
	want := `<html><meta name="carnet-bridge-token" content="` + s.Token() + `"><script src="/__bridge/runtime.js"></script><script type="module"`
	if !strings.HasPrefix(string(b), want) {
		t.Fatalf("token and runtime not injected first: %s", b)
	}
}

// Issue 16: the bridge answers its own page only. Each refusal is checked
// against the same call that succeeds with everything right.
func TestRefusesCallsFromAnyoneButItsOwnPage(t *testing.T) {
	s := New(fstest.MapFS{}, &Greeter{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	const hello = `{"method":"bridge.Greeter.Hello","args":["Zoé",1]}`
	if r := post(t, s, srv, hello); r.Result != "hi Zoé " {
		t.Fatalf("the page's own call: %+v", r)
	}
	other := New(fstest.MapFS{}, &Greeter{})
	if other.Token() == s.Token() || len(s.Token()) != 64 {
		t.Fatalf("tokens must be random per run, 256 bits: %q, %q", s.Token(), other.Token())
	}
	for _, tc := range []struct {
		name string
		edit func(*http.Request)
		want int
	}{
		{"without the token", func(r *http.Request) { r.Header.Del(tokenHeader) }, http.StatusForbidden},
		{"with a wrong token", func(r *http.Request) { r.Header.Set(tokenHeader, other.Token()) }, http.StatusForbidden},
		{"with the token in the query instead of the header", func(r *http.Request) {
			r.Header.Del(tokenHeader)
			r.URL.RawQuery = "token=" + s.Token()
		}, http.StatusForbidden},
		{"from another origin", func(r *http.Request) { r.Header.Set("Origin", "http://127.0.0.1:1") }, http.StatusForbidden},
		{"from a web site", func(r *http.Request) { r.Header.Set("Origin", "https://evil.example") }, http.StatusForbidden},
		{"from an opaque origin (sandboxed frame, file)", func(r *http.Request) { r.Header.Set("Origin", "null") }, http.StatusForbidden},
		{"without an Origin (not a browser page)", func(r *http.Request) { r.Header.Del("Origin") }, http.StatusForbidden},
		{"sent cross-site, whatever the Origin says", func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }, http.StatusForbidden},
		{"as a form post", func(r *http.Request) { r.Header.Set("Content-Type", "application/x-www-form-urlencoded") }, http.StatusUnsupportedMediaType},
		{"as multipart", func(r *http.Request) { r.Header.Set("Content-Type", "multipart/form-data; boundary=x") }, http.StatusUnsupportedMediaType},
		{"as plain text", func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, http.StatusUnsupportedMediaType},
		{"without a content type", func(r *http.Request) { r.Header.Del("Content-Type") }, http.StatusUnsupportedMediaType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := callRequestAs(t, s, srv, hello, tc.edit)
			b, _ := io.ReadAll(r.Body)
			r.Body.Close()
			if r.StatusCode != tc.want || strings.Contains(string(b), "hi Zoé") {
				t.Fatalf("status %d, want %d: %s", r.StatusCode, tc.want, b)
			}
		})
	}
	if r := post(t, s, srv, `{"method":"bridge.Greeter.Hello","args":["Zoé",1]}`); r.Result != "hi Zoé " {
		t.Fatalf("charset parameter or not, JSON passes: %+v", r)
	}
	r := callRequestAs(t, s, srv, hello, func(r *http.Request) { r.Header.Set("Content-Type", "application/json; charset=utf-8") })
	r.Body.Close()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("application/json; charset=utf-8: %d", r.StatusCode)
	}
}

func TestThePageAndItsEventsNeedTheToken(t *testing.T) {
	s := New(fstest.MapFS{"index.html": {Data: []byte(`<html><script src="/x.js"></script>`)}, "app.js": {Data: []byte(`1`)}}, &Greeter{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	get := func(path string, header ...string) int {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		client := &http.Client{Timeout: 2 * time.Second}
		r, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if r.StatusCode == http.StatusOK && strings.HasPrefix(r.Header.Get("Content-Type"), "text/event-stream") {
			// A subscription stays open: its first line is enough.
			line := make([]byte, 12)
			io.ReadFull(r.Body, line)
			if string(line) != ": connected\n" {
				t.Fatalf("events: %q", line)
			}
		}
		r.Body.Close()
		return r.StatusCode
	}
	tok := s.Token()
	for _, tc := range []struct {
		name   string
		path   string
		header []string
		want   int
	}{
		{"the page with the token", "/?token=" + tok, nil, 200},
		{"the page without it", "/", nil, 403},
		{"index.html without it", "/index.html", nil, 403},
		{"the page with a wrong one", "/?token=" + strings.Repeat("0", 64), nil, 403},
		{"the built files, which hold nothing secret", "/app.js", nil, 200},
		{"events with the token", "/__bridge/events?token=" + tok, nil, 200},
		{"events without it", "/__bridge/events", nil, 403},
		{"events with a wrong one", "/__bridge/events?token=x", nil, 403},
		{"events for another origin", "/__bridge/events?token=" + tok, []string{"Origin", "https://evil.example"}, 403},
		{"events asked cross-site", "/__bridge/events?token=" + tok, []string{"Sec-Fetch-Site", "same-site"}, 403},
	} {
		if got := get(tc.path, tc.header...); got != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, got, tc.want)
		}
	}
}

// A panic, in a method or while encoding its result, is answered with the
// internal error a guarded bound method gives (app.PanicError), without the
// panic's text and without dropping the connection.
func TestPanicsAnswerTheInternalError(t *testing.T) {
	var logged bytes.Buffer
	log.SetOutput(&logged)
	defer log.SetOutput(os.Stderr)
	// A zero Contacts has no vault: List dereferences nil, inside its guard.
	s := New(fstest.MapFS{}, &Greeter{}, &app.Contacts{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, call := range []string{
		`{"method":"bridge.Greeter.Boom","args":[]}`,
		`{"method":"bridge.Greeter.Odd","args":[]}`,
		`{"method":"app.Contacts.List","args":[{}]}`,
	} {
		r := post(t, s, srv, call)
		var ue core.UserError
		if err := json.Unmarshal([]byte(r.Error), &ue); err != nil || ue.Key != "error.internal" || ue.Params["ref"] == "" {
			t.Fatalf("%s: %+v, want the internal error", call, r)
		}
	}
	if strings.Contains(logged.String(), "kaboom") || !strings.Contains(logged.String(), "stack") {
		t.Fatalf("the log must hold the stack, not the panic's text:\n%s", logged.String())
	}
}

func TestRefusesForeignHosts(t *testing.T) {
	s := New(fstest.MapFS{}, &Greeter{})
	req := httptest.NewRequest("GET", "http://evil.example:80/", nil)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != http.StatusForbidden {
		t.Fatalf("foreign Host header: %d", w.Code)
	}
}
