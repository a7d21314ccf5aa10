package app

import "testing"

func TestNavigationStaysOnTheAppsOwnPages(t *testing.T) {
	for _, tc := range []struct {
		uri  string
		want bool
	}{
		{"wails://wails/", true},
		{"wails://wails/index.html#/contacts", true},
		{"wails://wails/viewer.html", true},
		{"about:blank", true},
		{"about:srcdoc", true},
		{"https://www.example.org/offre", false},
		{"http://localhost:34115/", false}, // the dev server, outside dev builds
		{"http://127.0.0.1:8080/", false},
		{"file:///etc/passwd", false},
		{"wails://evil/", false},
		{"wails://user@wails/", false},
		{"javascript:alert(1)", false},
		{"data:text/html,<h1>x</h1>", false},
		{"about:config", false},
		{"", false},
	} {
		if got := navigationAllowed(tc.uri); got != tc.want {
			t.Errorf("navigationAllowed(%q) = %v, want %v", tc.uri, got, tc.want)
		}
	}
	if got := uriScheme("https://secret.example/path"); got != "https" {
		t.Errorf("uriScheme logs %q, want only the scheme", got)
	}
}
