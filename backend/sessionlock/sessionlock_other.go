//go:build !linux

package sessionlock

import (
	"context"
	"log/slog"
)

// Watch: no session signals are listened to on this system yet.
func Watch(ctx context.Context, lock func(Reason)) {
	slog.Info("sessionlock: no lock on suspend or screen lock on this system; the idle auto-lock still applies")
}
