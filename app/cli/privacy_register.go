package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
)

func (r *runner) privacyRegisterCommand(cmds map[string]command) {
	var output string
	cmds["privacy register"] = command{
		flags: func(fs *flag.FlagSet) { fs.StringVar(&output, "o", "", "") },
		run:   func(ctx context.Context, _ []string) int { return r.privacyRegister(ctx, output) },
	}
}

// privacyRegister writes the record of processing activities, and its
// export.register audit entry; the format follows the file's extension.
func (r *runner) privacyRegister(ctx context.Context, output string) int {
	if output == "" {
		return r.usage(r.errorf("cli.output_required", map[string]any{"name": "privacy register"}))
	}
	format := strings.ToLower(strings.TrimPrefix(filepath.Ext(output), "."))
	if format != "pdf" && format != "ods" && format != "csv" {
		return r.usage(r.errorf("register.bad_format", map[string]any{"format": filepath.Base(output)}))
	}
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	if _, err := c.ExportRegister(ctx, format, func(string) (string, error) { return output, nil }); err != nil {
		return r.fail(err)
	}
	if r.json {
		r.writeJSON(map[string]any{"ok": true, "file": output, "format": format})
	} else {
		fmt.Fprintln(r.env.Stdout, r.t("cli.register_done", map[string]any{"file": output}))
	}
	return ExitOK
}
