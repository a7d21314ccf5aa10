package app

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// wailsEmitter sends events through the Wails window. runtime.EventsEmit
// must only ever get the context Wails gave to OnStartup.
type wailsEmitter struct{ ctx context.Context }

func (e wailsEmitter) Emit(event string, data any) { runtime.EventsEmit(e.ctx, event, data) }

// OnStartup is the Wails startup hook.
func (s *Services) OnStartup(ctx context.Context) {
	s.Startup(ctx, wailsEmitter{ctx})
}

// OnShutdown is the Wails shutdown hook.
func (s *Services) OnShutdown(ctx context.Context) {
	s.Shutdown()
}
