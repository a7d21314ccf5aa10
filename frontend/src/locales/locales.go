// Package locales embeds the translation files shared by the Svelte
// interface and the Go side (PDFs, command line), so both read one source.
package locales

import "embed"

// FS holds one flat JSON object per language: en.json, fr.json.
//
//go:embed *.json
var FS embed.FS
