// Carnet, a private, offline-first CRM. With no command, opens the desktop
// window; with one (carnet help), runs headless.
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"carnet/app"
	"carnet/app/cli"
	"carnet/backend/core"
	"carnet/backend/procsec"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	// Before any key is in memory: no core dump, no ptrace by same-user
	// processes (Linux). Not fatal: Carnet still works without it.
	if err := procsec.DisableCoreDumps(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	args := os.Args[1:]
	if cli.Wanted(args) || bridgeWanted(args) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := runCommand(ctx, args)
		stop()
		os.Exit(code)
	}
	os.Exit(runDesktop(args))
}

func runDesktop(args []string) int {
	fs := flag.NewFlagSet("carnet", flag.ContinueOnError)
	dataDir := fs.String("data-dir", core.DefaultDataDir(), "vault folder")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	services, err := app.New(app.Config{DataDir: *dataDir})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	err = wails.Run(&options.App{
		Title:            "Carnet",
		Width:            1200,
		Height:           800,
		MinWidth:         880,
		MinHeight:        600,
		BackgroundColour: &options.RGBA{R: 246, G: 244, B: 239, A: 255},
		AssetServer:      &assetserver.Options{Assets: assets},
		OnStartup:        services.OnStartup,
		OnShutdown:       services.OnShutdown,
		Bind:             services.Bound(),
		// Issue 16: a file dropped on the window must not replace the app
		// with that file (WebKit's default); Carnet takes no drops at all.
		DragAndDrop: &options.DragAndDrop{DisableWebViewDrop: true},
		// BindingsAllowedOrigins stays empty: since Wails 2.10 only the
		// app's own origin (wails://wails) may call bound methods.
		Linux: &linux.Options{ProgramName: "carnet", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
