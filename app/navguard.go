package app

import (
	"net/url"
	"strings"
)

// navigationAllowed says whether the window may go to uri: only the app's
// own pages, served by Wails under wails://wails/, and the blank and
// srcdoc documents frames start with. The dev server (wails dev) is
// allowed in dev builds only (devBuild).
func navigationAllowed(uri string) bool {
	switch uri {
	case "about:blank", "about:srcdoc":
		return true
	}
	u, err := url.Parse(uri)
	if err != nil || u.User != nil {
		return false
	}
	switch {
	case u.Scheme == "wails" && u.Host == "wails":
		return true
	case devBuild && u.Scheme == "http" && u.Hostname() == "localhost":
		return true
	}
	return false
}

// uriScheme names what was refused in the log without the address itself,
// which may be personal (a link in a message).
func uriScheme(uri string) string {
	if i := strings.IndexByte(uri, ':'); i > 0 && i < 16 {
		return uri[:i]
	}
	return "?"
}
