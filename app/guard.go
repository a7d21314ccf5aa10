package app

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log"
	"log/slog"
	"runtime"
	"runtime/debug"

	"carnet/backend/core"
)

// Wails v2 does not recover a panic in a bound method: it would end the
// program, and the user would lose the window for what is a bug in one
// action. So every exported method of the bound structs starts with
//
//	defer guard(&err)
//
// (guard_test.go fails for one that does not) and background work started
// here runs under recovered. Writes are transactions, so an action stopped
// by a panic changed nothing.

// guard turns a panic in a bound method into the internal-error message.
func guard(err *error) {
	if p := recover(); p != nil {
		*err = internalError(p)
	}
}

// recovered runs fn, logging a panic instead of ending the program; for
// goroutines and timers started by the app.
func recovered(what string, fn func()) {
	defer func() {
		if p := recover(); p != nil {
			logPanic(what, p)
		}
	}()
	fn()
}

// internalError logs the panic and returns what the user reads: an
// internal error, nothing changed, a bug to report with this reference.
func internalError(p any) *core.UserError {
	ref := logPanic("bound method", p)
	return &core.UserError{Key: "error.internal", Params: map[string]any{"ref": ref}}
}

// logPanic writes the panic and its stack to the log (stderr) under a
// short reference the user can quote. The panic value itself is left out
// unless it is a runtime error (nil pointer, index out of range…), whose
// text is the runtime's own: a value passed to panic, or an error wrapping
// one, may quote a name, an address or a message. The stack names
// functions, files and lines; arguments appear as machine words, not as
// the text they point to.
func logPanic(what string, p any) string {
	b := make([]byte, 4)
	rand.Read(b)
	ref := hex.EncodeToString(b)
	attrs := []any{"ref", ref, "in", what, "type", fmt.Sprintf("%T", p)}
	if re, ok := p.(runtime.Error); ok {
		attrs = append(attrs, "runtime_error", re.Error())
	}
	slog.Error("panic recovered: this is a bug", attrs...)
	// Where the default logger writes (stderr), as lines a person can read.
	fmt.Fprintf(log.Writer(), "panic %s stack:\n%s", ref, debug.Stack())
	return ref
}

// PanicError is internalError for code that calls the bound methods itself
// (the browser bridge) and recovers a panic outside their guard.
func PanicError(p any) error { return internalError(p) }
