package app

import (
	"context"
	"fmt"
	"os/exec"
	goruntime "runtime"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// wailsEmitter sends events through the Wails window. runtime.EventsEmit
// must only ever get the context Wails gave to OnStartup.
type wailsEmitter struct{ ctx context.Context }

func (e wailsEmitter) Emit(event string, data any) { runtime.EventsEmit(e.ctx, event, data) }

// wailsDialogs uses the native file dialogs.
type wailsDialogs struct{}

func (wailsDialogs) SaveFile(ctx context.Context, title, defaultName string) (string, error) {
	return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: defaultName, CanCreateDirectories: true})
}

func (wailsDialogs) ChooseFolder(ctx context.Context, title string) (string, error) {
	return runtime.OpenDirectoryDialog(ctx, runtime.OpenDialogOptions{Title: title, CanCreateDirectories: true})
}

func (wailsDialogs) OpenFile(ctx context.Context, title, extension string) (string, error) {
	return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{Title: title,
		Filters: []runtime.FileFilter{{DisplayName: "Carnet (*" + extension + ")", Pattern: "*" + extension}}})
}

// Open hands a saved file to the system's default application. Wails'
// BrowserOpenURL refuses file: URLs since 2.10, rightly for links.
func (wailsDialogs) Open(ctx context.Context, path string) error {
	var cmd *exec.Cmd
	switch goruntime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", path)
	case "darwin":
		cmd = exec.Command("open", path)
	default:
		cmd = exec.Command("xdg-open", path)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("app: open a saved file: %w", err)
	}
	go cmd.Wait() // reaps it; xdg-open returns once the viewer is started
	return nil
}

// OnStartup is the Wails startup hook.
func (s *Services) OnStartup(ctx context.Context) {
	keepOutOfRecentFiles()
	guardNavigation()
	s.SetDialogs(wailsDialogs{})
	s.Startup(ctx, wailsEmitter{ctx})
	go s.watchSession(ctx)
}

// OnShutdown is the Wails shutdown hook.
func (s *Services) OnShutdown(ctx context.Context) {
	s.Shutdown()
}
