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

	"carnet/app"
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

func post(t *testing.T, srv *httptest.Server, body string) callResponse {
	t.Helper()
	r, err := http.Post(srv.URL+"/__bridge/call", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var cr callResponse
	json.NewDecoder(r.Body).Decode(&cr)
	return cr
}

func TestCallsBoundMethodsLikeWails(t *testing.T) {
	s := New(fstest.MapFS{"index.html": {Data: []byte(`<html><script type="module" src="/x.js"></script>`)}}, &Greeter{})
	srv := httptest.NewServer(s)
	defer srv.Close()

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

	r, _ := http.Get(srv.URL + "/")
	b, _ := io.ReadAll(r.Body)
	if !strings.HasPrefix(string(b), `<html><script src="/__bridge/runtime.js"></script><script type="module"`) {
		t.Fatalf("runtime not injected first: %s", b)
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
	srv := httptest.NewServer(New(fstest.MapFS{}, &Greeter{}, &app.Contacts{}))
	defer srv.Close()
	for _, call := range []string{
		`{"method":"bridge.Greeter.Boom","args":[]}`,
		`{"method":"bridge.Greeter.Odd","args":[]}`,
		`{"method":"app.Contacts.List","args":[{}]}`,
	} {
		r := post(t, srv, call)
		var ue app.UserError
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
