//go:build bridge

package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"carnet/app"
	"carnet/app/bridge"
	"carnet/app/cli"
	"carnet/backend/core"
)

// bridgeWanted: "carnet bridge" serves the built frontend and the real
// services over loopback for the browser tests (see app/bridge).
func bridgeWanted(args []string) bool { return len(args) > 0 && args[0] == "bridge" }

func runCommand(ctx context.Context, args []string) int {
	if !bridgeWanted(args) {
		return cli.Run(ctx, args, cli.OSEnv())
	}
	fs := flag.NewFlagSet("bridge", flag.ContinueOnError)
	dataDir := fs.String("data-dir", core.DefaultDataDir(), "vault folder")
	addr := fs.String("addr", "127.0.0.1:0", "loopback address to listen on")
	static := fs.String("static", "frontend/dist", "built frontend")
	exportDir := fs.String("export-dir", os.TempDir(), "where \"save file\" dialogs save, since a browser test cannot click them")
	if err := fs.Parse(args[1:]); err != nil {
		return cli.ExitUsage
	}
	services, err := app.New(app.Config{DataDir: *dataDir})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	services.SetDialogs(folderDialogs(*exportDir))
	srv := bridge.New(os.DirFS(*static), services.Bound()...)
	services.Startup(ctx, srv)
	defer services.Shutdown()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
		fmt.Fprintln(os.Stderr, "bridge: refusing to listen outside loopback")
		return 1
	}
	// The token goes to whoever started the bridge (the test fixtures read
	// this line), never into a file or the arguments other users can see.
	fmt.Printf("listening on http://%s/?token=%s\n", ln.Addr(), srv.Token())
	hs := &http.Server{Handler: srv}
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	if err := hs.Serve(ln); err != nil && err != http.ErrServerClosed {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// folderDialogs answers every "save file" dialog with a file in one folder.
type folderDialogs string

func (d folderDialogs) SaveFile(_ context.Context, _, defaultName string) (string, error) {
	return filepath.Join(string(d), defaultName), nil
}

// ChooseFolder answers with the backups folder inside the export folder.
func (d folderDialogs) ChooseFolder(context.Context, string) (string, error) {
	dir := filepath.Join(string(d), "backups")
	return dir, os.MkdirAll(dir, 0o700)
}

// OpenFile answers with the newest file of that extension in the export
// folder or below it; "" (cancelled) when there is none.
func (d folderDialogs) OpenFile(_ context.Context, _, extension string) (string, error) {
	var newest string
	var at time.Time
	filepath.WalkDir(string(d), func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, extension) {
			return nil
		}
		if info, err := e.Info(); err == nil && info.ModTime().After(at) {
			newest, at = p, info.ModTime()
		}
		return nil
	})
	return newest, nil
}

// Open does nothing: a browser test checks the file itself.
func (d folderDialogs) Open(context.Context, string) error { return nil }
