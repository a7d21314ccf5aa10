package bridge

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

type Greeter struct{}

func (Greeter) Hello(name string, n int) (string, error) {
	if name == "" {
		return "", errors.New(`{"key":"error.empty"}`)
	}
	return strings.Repeat("hi "+name+" ", n), nil
}
func (Greeter) Nothing()    {}
func (Greeter) Boom() error { panic("kaboom") }

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
	if r := post(t, srv, `{"method":"bridge.Greeter.Boom","args":[]}`); !strings.Contains(r.Error, "kaboom") {
		t.Fatalf("a panic becomes an error: %+v", r)
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

func TestRefusesForeignHosts(t *testing.T) {
	s := New(fstest.MapFS{}, &Greeter{})
	req := httptest.NewRequest("GET", "http://evil.example:80/", nil)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != http.StatusForbidden {
		t.Fatalf("foreign Host header: %d", w.Code)
	}
}
