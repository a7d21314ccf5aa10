package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"carnet/backend/core"
	"carnet/backend/crm"
)

// boundMethods lists "Type.Method" for every method the frontend may call.
func boundMethods(t *testing.T) map[string]reflect.Method {
	t.Helper()
	s, err := New(Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]reflect.Method{}
	for _, b := range s.Bound() {
		typ := reflect.TypeOf(b)
		for i := range typ.NumMethod() {
			m := typ.Method(i)
			out[typ.Elem().Name()+"."+m.Name] = m
		}
	}
	return out
}

// Every bound method must start with `defer guard(&err)`, err being its
// last result: Wails does not recover panics, and one would end the program.
func TestEveryBoundMethodIsGuarded(t *testing.T) {
	methods := boundMethods(t)
	fset := token.NewFileSet()
	files, _ := filepath.Glob("*.go")
	guarded := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 {
				continue
			}
			star, ok := fd.Recv.List[0].Type.(*ast.StarExpr)
			if !ok {
				continue
			}
			recv, ok := star.X.(*ast.Ident)
			if !ok {
				continue
			}
			key := recv.Name + "." + fd.Name.Name
			if _, ok := methods[key]; ok && startsWithGuard(fd) {
				guarded[key] = true
			}
		}
	}
	var missing []string
	for key := range methods {
		if !guarded[key] {
			missing = append(missing, key)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("bound methods without `defer guard(&err)` as their first statement (and a last result `err error`): %s", strings.Join(missing, ", "))
	}
}

func startsWithGuard(fd *ast.FuncDecl) bool {
	res := fd.Type.Results
	if res == nil || len(res.List) == 0 {
		return false
	}
	last := res.List[len(res.List)-1]
	if id, ok := last.Type.(*ast.Ident); !ok || id.Name != "error" || len(last.Names) == 0 || last.Names[len(last.Names)-1].Name != "err" {
		return false
	}
	if fd.Body == nil || len(fd.Body.List) == 0 {
		return false
	}
	def, ok := fd.Body.List[0].(*ast.DeferStmt)
	if !ok {
		return false
	}
	fn, ok := def.Call.Fun.(*ast.Ident)
	if !ok || fn.Name != "guard" || len(def.Call.Args) != 1 {
		return false
	}
	addr, ok := def.Call.Args[0].(*ast.UnaryExpr)
	if !ok || addr.Op != token.AND {
		return false
	}
	id, ok := addr.X.(*ast.Ident)
	return ok && id.Name == "err"
}

// captureLog sends the log (where slog's default handler writes too) to a
// buffer for the test.
func captureLog(t *testing.T) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	log.SetOutput(&buf)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	return &buf
}

func internalErr(t *testing.T, err error) core.UserError {
	t.Helper()
	ue := userErr(t, err)
	if ue.Key != "error.internal" || len(fmt.Sprint(ue.Params["ref"])) != 8 {
		t.Fatalf("want the internal error with a reference, got %+v", ue)
	}
	return ue
}

func TestAPanicInABoundMethodBecomesTheInternalError(t *testing.T) {
	logged := captureLog(t)
	// A Contacts with no vault behind it: List dereferences a nil pointer.
	var c Contacts
	_, err := c.List(crm.ListQuery{})
	ue := internalErr(t, err)
	out := logged.String()
	for _, want := range []string{"ref=" + ue.Params["ref"].(string), "runtime_error=", "nil pointer dereference", "panic " + ue.Params["ref"].(string) + " stack:", "app.(*Contacts).List"} {
		if !strings.Contains(out, want) {
			t.Fatalf("the log lacks %q:\n%s", want, out)
		}
	}
}

func TestThePanicValueStaysOutOfTheLog(t *testing.T) {
	logged := captureLog(t)
	for _, v := range []any{
		"Hélène Dupont <helene@example.fr>",
		fmt.Errorf("saving %s: %w", "Hélène Dupont", errors.New("boom")),
		struct{ Name string }{"Hélène Dupont"},
	} {
		err := func() (err error) {
			defer guard(&err)
			panic(v)
		}()
		internalErr(t, err)
	}
	if out := logged.String(); strings.Contains(out, "Hélène") || strings.Contains(out, "helene") || !strings.Contains(out, "type=*fmt.wrapError") {
		t.Fatalf("the log must name the panic's type, never its value:\n%s", out)
	}
}

// Every bound method, called on a struct with nothing behind it and zero
// arguments, answers (often with the internal error) instead of panicking
// out: the guards work, not only exist.
func TestNoBoundMethodPanicsOut(t *testing.T) {
	captureLog(t)
	// Empty structs have empty paths: whatever such a call writes lands
	// in a temporary folder, not the source tree.
	t.Chdir(t.TempDir())
	for key, m := range boundMethods(t) {
		recv := reflect.New(m.Type.In(0).Elem())
		in := []reflect.Value{recv}
		for i := 1; i < m.Type.NumIn(); i++ {
			in = append(in, reflect.Zero(m.Type.In(i)))
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s panicked out: %v", key, p)
				}
			}()
			out := m.Func.Call(in)
			if err, _ := out[len(out)-1].Interface().(error); err != nil {
				var ue core.UserError
				if json.Unmarshal([]byte(err.Error()), &ue) != nil || ue.Key == "" {
					t.Errorf("%s: error %q is not a core.UserError", key, err)
				}
			}
		}()
	}
}

func TestBackgroundPanicsAreLoggedNotFatal(t *testing.T) {
	logged := captureLog(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		recovered("mail sync", func() { panic(errors.New("Hélène's message")) })
	}()
	<-done
	if out := logged.String(); !strings.Contains(out, "in=\"mail sync\"") || strings.Contains(out, "Hélène") {
		t.Fatalf("log: %s", out)
	}
}

func TestTheInternalErrorIsTranslated(t *testing.T) {
	s, _ := start(t)
	for _, lang := range []string{"en", "fr"} {
		msg := s.Contacts.i18n.T(lang, "error.internal", map[string]any{"ref": "0badc0de"})
		if msg == "error.internal" || !strings.Contains(msg, "0badc0de") {
			t.Fatalf("%s: %q", lang, msg)
		}
	}
}
