//go:build dev

package app

// devBuild: built by `wails dev`, whose pages come from a local dev server.
const devBuild = true
