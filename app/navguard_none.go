//go:build !(desktop && linux && cgo)

package app

// guardNavigation: only the Linux window has a guard of its own so far
// (navguard_gtk.go); Windows and macOS builds do not exist yet.
func guardNavigation() {}
