package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"

	"carnet/backend/core"
	"carnet/backend/crm"
)

// Events sent while an import runs.
const EventImportProgress = "progress:import" // data: Progress

// Progress reports long work.
type Progress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// ContactImport is bound to the frontend: bringing people into the vault,
// from a CSV or vCard file or as sample data. It keeps the file being
// mapped, per window, in memory only; the import itself is
// core.ImportContacts.
type ContactImport struct {
	vault *Vault

	mu      sync.Mutex
	pending map[string]*core.ImportFile // parsed files awaiting the user's mapping
	cancel  context.CancelFunc          // of the import running, if any

	running sync.WaitGroup // the import and the checkpoint after it, waited for at lock
}

// ImportPreview is a file read for import, awaiting the user's mapping.
type ImportPreview struct {
	Token     string     `json:"token"`
	Name      string     `json:"name"`
	Kind      string     `json:"kind"` // "csv" or "vcard"
	Encoding  string     `json:"encoding"`
	Delimiter string     `json:"delimiter"`
	Headers   []string   `json:"headers"`
	Mapping   []string   `json:"mapping"`
	Preview   [][]string `json:"preview"`
	Rows      int        `json:"rows"`
}

// Preview reads a CSV or vCard file sent by the page (base64) and returns
// its columns with a suggested mapping. The content stays in memory:
// nothing is written until the import runs, and then only to the vault.
func (ci *ContactImport) Preview(name, contentBase64 string) (_ ImportPreview, err error) {
	defer guard(&err)
	data, err := base64.StdEncoding.DecodeString(contentBase64)
	if err != nil {
		return ImportPreview{}, core.ForUser(crm.ErrBinaryFile)
	}
	f, err := core.ReadImportFile(name, data)
	if err != nil {
		return ImportPreview{}, core.ForUser(err)
	}
	out := ImportPreview{Name: f.Name, Kind: f.Kind(), Rows: len(f.Cards)}
	if f.CSV != nil {
		out.Encoding, out.Delimiter = f.CSV.Encoding, f.CSV.Delimiter
		out.Headers, out.Mapping, out.Preview, out.Rows = f.CSV.Headers, f.CSV.Mapping, f.CSV.Preview, f.CSV.RowCount
	}
	tok := make([]byte, 8)
	rand.Read(tok)
	out.Token = hex.EncodeToString(tok)
	ci.mu.Lock()
	if ci.pending == nil {
		ci.pending = map[string]*core.ImportFile{}
	}
	clear(ci.pending) // one import at a time; forget files left half-way
	ci.pending[out.Token] = f
	ci.mu.Unlock()
	return out, nil
}

// Run imports the previewed file with the user's mapping. With dryRun
// nothing is written and the summary says what would happen. Progress is
// sent as "progress:import" events; Cancel stops it with nothing written.
func (ci *ContactImport) Run(token string, mapping []string, dryRun bool) (_ crm.ImportSummary, err error) {
	defer guard(&err)
	ci.mu.Lock()
	f := ci.pending[token]
	if ci.cancel != nil {
		ci.mu.Unlock()
		return crm.ImportSummary{}, &core.UserError{Key: "error.import_running"}
	}
	ctx, cancel := context.WithCancel(ci.vault.ctx)
	ci.cancel = cancel
	ci.running.Add(1) // a lock waits for the import and the checkpoint after it
	ci.mu.Unlock()
	checkpointing := false
	defer func() {
		cancel()
		ci.mu.Lock()
		ci.cancel = nil
		ci.mu.Unlock()
		if !checkpointing {
			ci.running.Done()
		}
	}()
	if f == nil {
		return crm.ImportSummary{}, &core.UserError{Key: "error.import_expired"}
	}
	c, err := ci.vault.core()
	if err != nil {
		return crm.ImportSummary{}, core.ForUser(err)
	}
	last := time.Time{}
	sum, err := c.ImportContacts(ctx, f, mapping, core.ImportOptions{
		DryRun: dryRun,
		Progress: func(done, total int) {
			if now := time.Now(); done == total || now.Sub(last) > 100*time.Millisecond {
				last = now
				ci.vault.emitEvent(EventImportProgress, Progress{Done: done, Total: total})
			}
		},
	})
	if err != nil {
		return sum, core.ForUser(err)
	}
	if !dryRun {
		ci.mu.Lock()
		delete(ci.pending, token)
		ci.mu.Unlock()
		// The user need not wait for the log to be folded into the file.
		checkpointing = true
		go func() {
			defer ci.running.Done()
			recovered("checkpoint after an import", func() {
				if err := crm.New(c.DB(), nil).Checkpoint(ci.vault.ctx); err != nil {
					slog.Error("checkpoint after an import", "err", err)
				}
			})
		}()
	}
	return sum, nil
}

// Cancel stops the running import; nothing of it is kept.
func (ci *ContactImport) Cancel() (err error) {
	defer guard(&err)
	ci.mu.Lock()
	defer ci.mu.Unlock()
	if ci.cancel != nil {
		ci.cancel()
	}
	return nil
}

// forget drops the files waiting to be imported, stops a running import
// and waits for it and for the checkpoint after it, before the database
// closes: called when the vault locks.
func (ci *ContactImport) forget() {
	ci.mu.Lock()
	clear(ci.pending)
	if ci.cancel != nil {
		ci.cancel()
	}
	ci.mu.Unlock()
	ci.running.Wait() // the cancelled import, then the checkpoint: a fraction of a second
}

// GenerateDemo adds sample data ("try Carnet with sample data"): contacts,
// companies, notes and tasks, then a catalogue, quotes, invoices and
// credit notes.
func (ci *ContactImport) GenerateDemo(contacts int) (_ crm.DemoSummary, err error) {
	defer guard(&err)
	return useCore(ci.vault, func(ctx context.Context, c *core.Core) (crm.DemoSummary, error) {
		sum, err := c.GenerateDemo(ctx, min(max(contacts, 1), 5000), 2026)
		return sum.DemoSummary, err
	})
}
