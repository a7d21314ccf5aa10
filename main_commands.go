//go:build !bridge

package main

import (
	"context"

	"carnet/app/cli"
)

func bridgeWanted([]string) bool { return false }

func runCommand(ctx context.Context, args []string) int {
	return cli.Run(ctx, args, cli.OSEnv())
}
