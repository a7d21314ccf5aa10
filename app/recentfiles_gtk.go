//go:build desktop && linux && cgo

package app

/*
#cgo pkg-config: gtk+-3.0
#include <gtk/gtk.h>

static gboolean carnet_recent_files_off(gpointer unused) {
	GtkSettings *s = gtk_settings_get_default();
	if (s != NULL) g_object_set(s, "gtk-recent-files-enabled", FALSE, NULL);
	return G_SOURCE_REMOVE;
}

// Runs on GTK's main loop: settings belong to its thread.
static void carnet_schedule_recent_files_off(void) { g_idle_add(carnet_recent_files_off, NULL); }
*/
import "C"

// keepOutOfRecentFiles stops GTK's file dialogs from adding every file
// saved through them to the user's recently used list
// (~/.local/share/recently-used.xbel), a plaintext file outside the vault:
// a saved attachment's name ("CV Jeanne Martin.pdf") is personal data.
// The application's own setting outranks the desktop's.
func keepOutOfRecentFiles() { C.carnet_schedule_recent_files_off() }
