//go:build !unix

package procsec

// DisableCoreDumps does nothing on Windows: a process there writes no core
// file of its own; crash dumps are Windows Error Reporting's, configured
// per machine (LocalDumps), which the README mentions.
func DisableCoreDumps() error { return nil }
