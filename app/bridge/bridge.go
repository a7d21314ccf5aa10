// Package bridge serves the built frontend over loopback HTTP and lets it
// call the very methods the Wails window binds, through the same JavaScript
// names (window.go.app.Vault.Unlock…), with events over Server-Sent Events.
// It exists so browser tests drive the real frontend against the real Go
// services; it is compiled into the test binary only (build tag "bridge").
//
// It never ships, but developers run it next to their browser, so it
// answers only its own page (issue 16): the page's address carries a token
// drawn at each start (Token, printed by "carnet bridge"), which the page
// sends with every call and event subscription; calls must be JSON posts
// from the bridge's own origin, so that neither another local process nor
// a web page the developer visits (a cross-site form or text post needs no
// preflight) can drive the vault.
package bridge

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"path"
	"reflect"
	"strings"
	"sync"

	"carnet/app"
)

// Server is an http.Handler and an app.Emitter.
type Server struct {
	token   string
	static  fs.FS
	methods map[string]reflect.Value // "app.Vault.Unlock" → bound method

	mu      sync.Mutex
	clients map[chan []byte]struct{}
}

// New serves static (the frontend's dist folder) and exposes every exported
// method of each bound struct pointer.
func New(static fs.FS, bound ...any) *Server {
	var t [32]byte
	rand.Read(t[:]) // never fails (crypto/rand)
	s := &Server{token: hex.EncodeToString(t[:]), static: static, methods: map[string]reflect.Value{}, clients: map[chan []byte]struct{}{}}
	for _, b := range bound {
		v := reflect.ValueOf(b)
		t := v.Type()
		pkg := path.Base(t.Elem().PkgPath())
		for i := range t.NumMethod() {
			m := t.Method(i)
			s.methods[pkg+"."+t.Elem().Name()+"."+m.Name] = v.Method(i)
		}
	}
	return s
}

// Token is this run's secret: the page must be opened as /?token=… and
// sends it back with each call (header) and event subscription (query).
func (s *Server) Token() string { return s.token }

// tokenHeader carries the token on calls; a custom header also makes any
// cross-origin fetch need a preflight, which the bridge never grants.
const tokenHeader = "X-Carnet-Bridge-Token"

func (s *Server) validToken(t string) bool {
	return subtle.ConstantTimeCompare([]byte(t), []byte(s.token)) == 1
}

// sameOrigin: a request the bridge's own page made. Origin, when the
// browser sends it (every POST, any cross-origin request), must be the
// bridge's own; Sec-Fetch-Site, when sent, must say same-origin.
func sameOrigin(r *http.Request, required bool) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return !required
	}
	return origin == "http://"+r.Host
}

// Emit sends an event to every connected page.
func (s *Server) Emit(event string, data any) {
	b, err := json.Marshal(map[string]any{"name": event, "data": data})
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.clients {
		select {
		case c <- b:
		default: // a stalled page loses the event rather than blocking Go
		}
	}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Loopback only, and no DNS rebinding: the Host must be a loopback name.
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil || (host != "127.0.0.1" && host != "localhost" && host != "[::1]" && host != "::1") {
		http.Error(w, "forbidden host", http.StatusForbidden)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	// The token is in the page's address: never send it anywhere.
	w.Header().Set("Referrer-Policy", "no-referrer")
	switch r.URL.Path {
	case "/__bridge/runtime.js":
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, runtimeJS)
	case "/__bridge/call":
		s.call(w, r)
	case "/__bridge/events":
		if !s.validToken(r.URL.Query().Get("token")) || !sameOrigin(r, false) {
			http.Error(w, "bridge: forbidden", http.StatusForbidden)
			return
		}
		s.events(w, r)
	case "/", "/index.html":
		if !s.validToken(r.URL.Query().Get("token")) {
			http.Error(w, "bridge: open the address the bridge printed, with its token", http.StatusForbidden)
			return
		}
		s.index(w)
	default:
		http.FileServerFS(s.static).ServeHTTP(w, r)
	}
}

// index injects the bridge runtime before the app's own scripts.
func (s *Server) index(w http.ResponseWriter) {
	b, err := fs.ReadFile(s.static, "index.html")
	if err != nil {
		http.Error(w, "frontend not built", http.StatusNotFound)
		return
	}
	inject := `<meta name="carnet-bridge-token" content="` + s.token + `"><script src="/__bridge/runtime.js"></script><script`
	b = bytes.Replace(b, []byte("<script"), []byte(inject), 1)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b)
}

type callRequest struct {
	Method string            `json:"method"`
	Args   []json.RawMessage `json:"args"`
}

type callResponse struct {
	Result any    `json:"result,omitempty"`
	Error  string `json:"error,omitempty"`
}

var errorType = reflect.TypeFor[error]()

func (s *Server) call(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if !s.validToken(r.Header.Get(tokenHeader)) || !sameOrigin(r, true) {
		http.Error(w, "bridge: forbidden", http.StatusForbidden)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		http.Error(w, "bridge: JSON only", http.StatusUnsupportedMediaType)
		return
	}
	var req callRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(s.respond(req))
}

// respond calls the method and encodes its answer. A panic, in the method
// or in encoding what it returned, is answered like a bound method's own
// error (app.PanicError), not by dropping the connection.
func (s *Server) respond(req callRequest) (out []byte) {
	defer func() {
		if p := recover(); p != nil {
			out, _ = json.Marshal(callResponse{Error: app.PanicError(p).Error()})
		}
	}()
	res, err := s.invoke(req)
	if err != nil {
		out, _ = json.Marshal(callResponse{Error: err.Error()})
		return out
	}
	out, err = json.Marshal(callResponse{Result: res})
	if err != nil {
		out, _ = json.Marshal(callResponse{Error: fmt.Sprintf("bridge: %s: encode result: %v", req.Method, err)})
	}
	return out
}

// invoke calls a bound method the way Wails does: JSON arguments decoded
// into the parameter types; results are (value, error), (value), (error) or
// nothing.
func (s *Server) invoke(req callRequest) (any, error) {
	m, ok := s.methods[req.Method]
	if !ok {
		return nil, fmt.Errorf("bridge: no bound method %s", req.Method)
	}
	t := m.Type()
	if len(req.Args) != t.NumIn() {
		return nil, fmt.Errorf("bridge: %s takes %d arguments, got %d", req.Method, t.NumIn(), len(req.Args))
	}
	in := make([]reflect.Value, t.NumIn())
	for i := range in {
		p := reflect.New(t.In(i))
		if err := json.Unmarshal(req.Args[i], p.Interface()); err != nil {
			return nil, fmt.Errorf("bridge: %s argument %d: %w", req.Method, i+1, err)
		}
		in[i] = p.Elem()
	}
	out := m.Call(in)
	if n := len(out); n > 0 && t.Out(n-1) == errorType {
		if e := out[n-1].Interface(); e != nil {
			return nil, e.(error)
		}
		out = out[:n-1]
	}
	if len(out) == 0 {
		return nil, nil
	}
	if len(out) > 1 {
		return nil, errors.New("bridge: methods return at most one value and an error")
	}
	return out[0].Interface(), nil
}

func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan []byte, 64)
	s.mu.Lock()
	s.clients[c] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	io.WriteString(w, ": connected\n\n")
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case b := <-c:
			fmt.Fprintf(w, "data: %s\n\n", strings.ReplaceAll(string(b), "\n", ""))
			fl.Flush()
		}
	}
}

// runtimeJS stands in for Wails' window.go and window.runtime.
const runtimeJS = `(() => {
  const token = document.querySelector('meta[name="carnet-bridge-token"]')?.content ?? '';
  const call = async (method, args) => {
    const r = await fetch('/__bridge/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', '` + tokenHeader + `': token },
      body: JSON.stringify({ method, args }),
    });
    if (!r.ok) throw new Error(await r.text());
    const v = await r.json();
    if (v.error !== undefined) throw v.error;
    return v.result;
  };
  const node = (path) => new Proxy(function () {}, {
    get: (_, k) => (typeof k === 'string' ? node(path.concat(k)) : undefined),
    apply: (_, __, args) => call(path.join('.'), args),
  });
  window.go = node([]);

  const listeners = new Map();
  const on = (name, cb, max) => {
    const l = { cb, left: max };
    if (!listeners.has(name)) listeners.set(name, new Set());
    listeners.get(name).add(l);
    return () => listeners.get(name)?.delete(l);
  };
  const dispatch = (name, data) => {
    for (const l of [...(listeners.get(name) ?? [])]) {
      l.cb(...data);
      if (l.left > 0 && --l.left === 0) listeners.get(name).delete(l);
    }
  };
  const es = new EventSource('/__bridge/events?token=' + encodeURIComponent(token));
  window.__bridgeReady = new Promise((ok) => es.addEventListener('open', ok, { once: true }));
  es.onmessage = (m) => {
    const e = JSON.parse(m.data);
    dispatch(e.name, [e.data]);
  };
  const runtime = {
    EventsOnMultiple: on,
    EventsOff: (...names) => names.forEach((n) => listeners.delete(n)),
    EventsOffAll: () => listeners.clear(),
    EventsEmit: (name, ...data) => dispatch(name, data),
    BrowserOpenURL: (url) => window.open(url, '_blank', 'noopener,noreferrer'),
    LogPrint: console.log, LogTrace: console.debug, LogDebug: console.debug,
    LogInfo: console.info, LogWarning: console.warn, LogError: console.error, LogFatal: console.error,
  };
  window.runtime = new Proxy(runtime, {
    get: (o, k) => o[k] ?? (() => Promise.resolve()),
  });
})();
`
