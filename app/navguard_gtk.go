//go:build desktop && linux && cgo

package app

/*
#cgo !webkit2_41 pkg-config: gtk+-3.0 webkit2gtk-4.0
#cgo webkit2_41 pkg-config: gtk+-3.0 webkit2gtk-4.1
#include <stdlib.h>
#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

extern int carnetNavigationAllowed(char *uri);

// A navigation (a link, a form, a script, a redirect) to anything but the
// app's own pages is ignored; a request for a new window always is.
static gboolean carnet_decide_policy(WebKitWebView *view, WebKitPolicyDecision *decision,
                                     WebKitPolicyDecisionType type, gpointer unused) {
	if (type == WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION) {
		webkit_policy_decision_ignore(decision);
		return TRUE;
	}
	if (type != WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION) return FALSE;
	WebKitNavigationAction *action =
		webkit_navigation_policy_decision_get_navigation_action(WEBKIT_NAVIGATION_POLICY_DECISION(decision));
	const gchar *uri = webkit_uri_request_get_uri(webkit_navigation_action_get_request(action));
	if (uri != NULL && carnetNavigationAllowed((char *)uri)) return FALSE; // WebKit's default: go on
	webkit_policy_decision_ignore(decision);
	return TRUE;
}

static WebKitWebView *carnet_find_webview(GtkWidget *w) {
	if (WEBKIT_IS_WEB_VIEW(w)) return WEBKIT_WEB_VIEW(w);
	if (!GTK_IS_CONTAINER(w)) return NULL;
	WebKitWebView *found = NULL;
	GList *children = gtk_container_get_children(GTK_CONTAINER(w));
	for (GList *l = children; l != NULL && found == NULL; l = l->next) found = carnet_find_webview(GTK_WIDGET(l->data));
	g_list_free(children);
	return found;
}

static int carnet_guard_tries;

// Runs on GTK's main loop until Wails' web view exists (it does by the
// time the loop runs; the retries are for safety), connecting the guard once.
static gboolean carnet_install_guard(gpointer unused) {
	GList *tops = gtk_window_list_toplevels();
	WebKitWebView *view = NULL;
	for (GList *l = tops; l != NULL && view == NULL; l = l->next) view = carnet_find_webview(GTK_WIDGET(l->data));
	g_list_free(tops);
	if (view == NULL) return ++carnet_guard_tries < 100 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
	if (g_object_get_data(G_OBJECT(view), "carnet-guard") == NULL) {
		g_signal_connect(view, "decide-policy", G_CALLBACK(carnet_decide_policy), NULL);
		g_object_set_data(G_OBJECT(view), "carnet-guard", GINT_TO_POINTER(1));
	}
	return G_SOURCE_REMOVE;
}

static void carnet_schedule_navigation_guard(void) { g_timeout_add(50, carnet_install_guard, NULL); }
*/
import "C"

import "log"

//export carnetNavigationAllowed
func carnetNavigationAllowed(uri *C.char) C.int {
	u := C.GoString(uri)
	if navigationAllowed(u) {
		return 1
	}
	log.Printf("app: navigation refused (scheme %s)", uriScheme(u))
	return 0
}

// guardNavigation keeps the window on the app's own pages (issue 16):
// WebKitGTK follows any navigation by default, and Wails 2.17 has no
// option for it on Linux.
func guardNavigation() { C.carnet_schedule_navigation_guard() }
