//go:build !(desktop && linux && cgo)

package app

// keepOutOfRecentFiles: only GTK keeps a recently used list (see recentfiles_gtk.go).
func keepOutOfRecentFiles() {}
