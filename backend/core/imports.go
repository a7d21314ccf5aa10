package core

import (
	"bytes"
	"context"
	"path/filepath"

	"carnet/backend/crm"
)

// ImportFile is a contacts file read for import, awaiting the mapping of
// its columns. It lives in memory only: nothing of it is written until the
// import runs, and then only to the vault.
type ImportFile struct {
	Name  string       // the file's base name, recorded as the contacts' source
	CSV   *crm.CSVFile // nil for a vCard file
	Cards []crm.Candidate
}

// Kind is FormatVCard or FormatCSV.
func (f *ImportFile) Kind() string {
	if f.CSV == nil {
		return FormatVCard
	}
	return FormatCSV
}

// ReadImportFile parses a CSV or vCard file. A vCard is recognised by its
// content whatever its name (phones share cards as "contacts.txt"), so the
// window and the command line read the same file the same way.
func ReadImportFile(name string, data []byte) (*ImportFile, error) {
	f := &ImportFile{Name: filepath.Base(name)}
	var err error
	if crm.IsVCard(name, data) {
		f.Cards, err = crm.ParseVCards(bytes.NewReader(data))
	} else {
		f.CSV, err = crm.ParseCSV(f.Name, bytes.NewReader(data))
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// candidates are the file's contacts; a CSV's columns are read with
// mapping, or with the suggested mapping when mapping is nil.
func (f *ImportFile) candidates(mapping []string) ([]crm.Candidate, error) {
	if f.CSV == nil {
		return f.Cards, nil
	}
	if mapping == nil {
		mapping = f.CSV.Mapping
	}
	return f.CSV.Candidates(mapping)
}

// ImportOptions control an import.
type ImportOptions struct {
	// DryRun does the whole import and rolls it back: the summary says
	// exactly what would happen, nothing is kept and nothing is logged.
	DryRun bool
	// Progress is called now and then with rows done and the total.
	Progress func(done, total int)
}

// ImportContacts adds or updates the contacts of f, its CSV columns read
// with mapping (nil: the suggested one), and records the import: who
// brought how many people into the vault, from which kind of file (Art.
// 5(2) and 14: data not obtained from the person). The entry is written
// in the import's own transaction, through crm's BeforeCommit hook: the
// import runs on a connection of its own, so it cannot run inside change.
// The file's name stays out of the entry (it may name a person); it is on
// every contact as its source.
func (c *Core) ImportContacts(ctx context.Context, f *ImportFile, mapping []string, o ImportOptions) (crm.ImportSummary, error) {
	cands, err := f.candidates(mapping)
	if err != nil {
		return crm.ImportSummary{}, err
	}
	return c.crm().Import(ctx, cands, crm.ImportOptions{
		DryRun:   o.DryRun,
		Source:   c.i18n.T(c.lang(), "import.source", map[string]any{"file": f.Name}),
		Progress: o.Progress,
		BeforeCommit: func(ctx context.Context, sum crm.ImportSummary) error {
			return c.audit(ctx, "import.contacts", "", 0, map[string]any{
				"format": f.Kind(), "count": sum.New + sum.Updated,
				"new": sum.New, "updated": sum.Updated, "refused": sum.Refused,
			})
		},
	})
}
