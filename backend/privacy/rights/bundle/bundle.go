// Package bundle writes a subject-access export: one ZIP file with the
// readable report (report.pdf), the portable copy (data.json and a CSV file
// per table), the e-mails as .eml files, the quotes and invoices as PDF,
// consent evidence files, and manifest.json with the SHA-256 of each file.
package bundle

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"carnet/backend/csvsafe"
	"carnet/backend/i18n"
	"carnet/backend/mail"
	"carnet/backend/pdf"
	"carnet/backend/privacy"
	"carnet/backend/privacy/rights"
	"carnet/backend/sales"
)

// File is one entry of the manifest.
type File struct {
	Path   string `json:"path"`
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest lists the bundle's files with their fingerprints.
type Manifest struct {
	Format      string `json:"format"`
	GeneratedAt string `json:"generatedAt"`
	Files       []File `json:"files"`
}

// writer adds files to the ZIP and to the manifest.
type writer struct {
	zip      *zip.Writer
	manifest Manifest
	modified time.Time
}

func (w *writer) add(path string, data []byte) error {
	f, err := w.zip.CreateHeader(&zip.FileHeader{Name: path, Method: zip.Deflate, Modified: w.modified})
	if err != nil {
		return fmt.Errorf("bundle: %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("bundle: %s: %w", path, err)
	}
	sum := sha256.Sum256(data)
	w.manifest.Files = append(w.manifest.Files, File{Path: path, Size: len(data), SHA256: hex.EncodeToString(sum[:])})
	return nil
}

func (w *writer) csv(path string, header []string, rows [][]string) error {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF") // UTF-8 mark, for spreadsheets
	// Mail subjects, senders and notes come from anyone: every cell is
	// defused, so that the person's spreadsheet runs none of them.
	cw := csvsafe.NewWriter(&buf)
	cw.Write(header)
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("bundle: %s: %w", path, err)
	}
	return w.add(path, buf.Bytes())
}

// Write writes the bundle for d to out. db is read for the messages,
// documents and evidence files d lists.
func Write(ctx context.Context, out io.Writer, db *sql.DB, d *rights.Data, b *i18n.Bundle) (Manifest, error) {
	gen, _ := time.Parse(time.RFC3339, d.GeneratedAt)
	w := &writer{zip: zip.NewWriter(out), modified: gen, manifest: Manifest{Format: d.Format, GeneratedAt: d.GeneratedAt}}
	// Speed over size: most of a bundle is e-mail text and PDF, and the
	// person waits for it.
	var pool sync.Pool
	w.zip.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		if fw, ok := pool.Get().(*flate.Writer); ok {
			fw.Reset(out)
			return pooled{fw, &pool}, nil
		}
		fw, err := flate.NewWriter(out, flate.BestSpeed)
		return pooled{fw, &pool}, err
	})
	r := pdf.New(b, d.Language)
	// The documents' PDFs are most of the work: rendered on the other
	// cores while the rest is written.
	pdfs := documents(ctx, sales.New(db, nil), r, d.Documents)

	var report bytes.Buffer
	if err := r.AccessReport(&report, d); err != nil {
		return w.manifest, fmt.Errorf("bundle: report: %w", err)
	}
	if err := w.add("report.pdf", report.Bytes()); err != nil {
		return w.manifest, err
	}
	if err := w.add("README.txt", readme(b, d.Language)); err != nil {
		return w.manifest, err
	}
	js, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return w.manifest, fmt.Errorf("bundle: data.json: %w", err)
	}
	if err := w.add("data.json", js); err != nil {
		return w.manifest, err
	}
	for _, t := range tables(d) {
		if err := w.csv("csv/"+t.name+".csv", t.header, t.rows); err != nil {
			return w.manifest, err
		}
	}
	for _, m := range d.Messages {
		if ctx.Err() != nil {
			return w.manifest, ctx.Err()
		}
		raw, err := mail.RawOf(ctx, db, m.ID)
		if err != nil {
			return w.manifest, err
		}
		if err := w.add(m.File, raw); err != nil {
			return w.manifest, err
		}
	}
	for i, doc := range d.Documents {
		res := <-pdfs[i]
		if res.err != nil {
			return w.manifest, fmt.Errorf("bundle: %s: %w", doc.File, res.err)
		}
		if err := w.add(doc.File, res.pdf); err != nil {
			return w.manifest, err
		}
	}
	ps := privacy.New(db, nil)
	for _, e := range d.Consents {
		if !e.HasFile {
			continue
		}
		name, data, err := ps.EvidenceFile(ctx, e.ID)
		if err != nil {
			return w.manifest, err
		}
		if err := w.add(fmt.Sprintf("consents/%d-%s", e.ID, mail.SafeFilename(name)), data); err != nil {
			return w.manifest, err
		}
	}
	man, _ := json.MarshalIndent(w.manifest, "", "  ")
	f, err := w.zip.CreateHeader(&zip.FileHeader{Name: "manifest.json", Method: zip.Deflate, Modified: w.modified})
	if err == nil {
		_, err = f.Write(man)
	}
	if err == nil {
		err = w.zip.Close()
	}
	if err != nil {
		return w.manifest, fmt.Errorf("bundle: %w", err)
	}
	return w.manifest, nil
}

// pooled returns its compressor to the pool once the file is written:
// setting one up costs more than compressing a short e-mail.
type pooled struct {
	*flate.Writer
	pool *sync.Pool
}

func (p pooled) Close() error {
	err := p.Writer.Close()
	p.pool.Put(p.Writer)
	return err
}

// rendered is one document's PDF, or why it could not be made.
type rendered struct {
	pdf []byte
	err error
}

// documents starts rendering the documents' PDFs on every core; each
// channel delivers its document's result. Rendering stops early when ctx
// is cancelled (the bundle is abandoned then).
func documents(ctx context.Context, st *sales.Store, r *pdf.Renderer, docs []rights.Document) []chan rendered {
	out := make([]chan rendered, len(docs))
	for i := range out {
		out[i] = make(chan rendered, 1)
	}
	next := make(chan int, len(docs))
	for i := range docs {
		next <- i
	}
	close(next)
	for range min(runtime.GOMAXPROCS(0), len(docs)) {
		go func() {
			for i := range next {
				if err := ctx.Err(); err != nil {
					out[i] <- rendered{err: err}
					continue
				}
				b, err := r.Stored(ctx, st, docs[i].ID)
				out[i] <- rendered{pdf: b, err: err}
			}
		}()
	}
	return out
}

// WriteFile writes the bundle to path, the place the user chose: into a
// file next to it first, renamed when complete, so a failure (a full disk)
// leaves no half bundle and never a copy elsewhere.
func WriteFile(ctx context.Context, path string, db *sql.DB, d *rights.Data, b *i18n.Bundle) (Manifest, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.partial")
	if err != nil {
		return Manifest{}, fmt.Errorf("bundle: %w", err)
	}
	defer os.Remove(tmp.Name())
	man, err := Write(ctx, tmp, db, d, b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return Manifest{}, fmt.Errorf("bundle: write %s: %w", path, err)
	}
	return man, nil
}

// readme explains the bundle's files and the main field names.
func readme(b *i18n.Bundle, lang string) []byte {
	var s strings.Builder
	for _, k := range []string{"title", "report", "data", "csv", "emails", "documents", "consents", "manifest", "fields"} {
		s.WriteString(b.T(lang, "access.bundle.readme."+k, nil))
		s.WriteString("\r\n\r\n")
	}
	return []byte(s.String())
}
