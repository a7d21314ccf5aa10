package core_test

import (
	"archive/zip"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/privacy"
)

// addPerson adds a contact with an e-mail address and an open erasure
// request naming them.
func addPerson(t *testing.T, c *core.Core, first, last string) (contact, request int64) {
	t.Helper()
	ctx := context.Background()
	id, err := crm.New(c.DB(), nil).CreateContact(ctx, crm.Contact{GivenName: first, FamilyName: last,
		Emails: []crm.Email{{Address: strings.ToLower(first) + "@example.fr"}}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := privacy.New(c.DB(), nil).SaveRequest(ctx, "test", privacy.Request{Kind: "erasure", ContactID: id,
		Requester: first + " " + last, Channel: "letter", ReceivedOn: time.Now().Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	return id, r.ID
}

// state is what an erasure changes: the contact, its request, the
// erasures table.
type state struct {
	erased   bool
	status   string
	erasures int
}

func stateOf(t *testing.T, db *sql.DB, contact, request int64) state {
	t.Helper()
	var s state
	if err := db.QueryRow(`SELECT erased_at IS NOT NULL FROM contacts WHERE id = ?`, contact).Scan(&s.erased); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT status FROM privacy_requests WHERE id = ?`, request).Scan(&s.status); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM erasures`).Scan(&s.erasures); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAnErasureClosesItsRequestAndIsAuditedOnce(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	id, req := addPerson(t, c, "Hélène", "Dupont")
	e, err := c.Erase(ctx, id, req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(e.Certificate, "E-") || e.Plan.Copies == nil {
		t.Fatalf("erasure %+v", e)
	}
	if got := stateOf(t, c.DB(), id, req); got != (state{erased: true, status: "done", erasures: 1}) {
		t.Fatalf("after the erasure: %+v", got)
	}
	reqs, err := privacy.New(c.DB(), nil).Requests(ctx, privacy.RequestQuery{ContactID: id})
	if err != nil || len(reqs) != 1 || reqs[0].Requester != "" || reqs[0].Decision != e.Certificate {
		t.Fatalf("the request after erasure: %+v, %v", reqs, err)
	}
	got := auditEntries(t, c.DB(), "contact.erase")
	if len(got) != 1 {
		t.Fatalf("want one contact.erase entry, got %d", len(got))
	}
	if got[0].SubjectKind != "contact" || got[0].SubjectID != id || !strings.Contains(got[0].Actor, "(cli") {
		t.Errorf("entry %+v: want contact %d by the command line", got[0], id)
	}
	if n := len(auditEntries(t, c.DB(), "request.update")); n != 1 {
		t.Errorf("%d request.update entries, want 1", n)
	}
}

func TestAnErasureAndTheClosingOfItsRequestFailTogether(t *testing.T) {
	for _, tc := range []struct {
		name   string
		breaks func(t *testing.T, db *sql.DB)
	}{
		{"a failed audit entry leaves the person and the request open", failAudit},
		{"a request that cannot be closed leaves the person unerased", func(t *testing.T, db *sql.DB) {
			if _, err := db.Exec(`CREATE TRIGGER fail_request BEFORE UPDATE ON privacy_requests
				BEGIN SELECT RAISE(ABORT, 'injected request failure'); END`); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			c := newCore(t)
			id, req := addPerson(t, c, "Paul", "Martin")
			tc.breaks(t, c.DB())
			if _, err := c.Erase(ctx, id, req); err == nil || !strings.Contains(err.Error(), "injected") {
				t.Fatalf("erase: %v", err)
			}
			if got := stateOf(t, c.DB(), id, req); got != (state{erased: false, status: "open", erasures: 0}) {
				t.Fatalf("after the failed erasure: %+v", got)
			}
			if ct, err := crm.New(c.DB(), nil).Contact(ctx, id); err != nil || ct.GivenName != "Paul" || len(ct.Emails) != 1 {
				t.Fatalf("the contact after the failed erasure: %+v, %v", ct, err)
			}
			var listed int
			c.DB().QueryRow(`SELECT count(*) FROM suppression_list`).Scan(&listed)
			if listed != 0 {
				t.Fatalf("%d addresses on the suppression list after a failed erasure", listed)
			}
			if n := len(auditEntries(t, c.DB(), "contact.erase")); n != 0 {
				t.Fatalf("%d contact.erase entries after a failed erasure", n)
			}
		})
	}
}

func TestAnErasureForAnotherPersonsRequestIsRefused(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	id, _ := addPerson(t, c, "Hélène", "Dupont")
	_, other := addPerson(t, c, "Paul", "Martin")
	if _, err := c.Erase(ctx, id, other); err == nil {
		t.Fatal("erased for another person's request")
	}
	if got := stateOf(t, c.DB(), id, other); got.erased || got.status != "open" {
		t.Fatalf("after the refusal: %+v", got)
	}
}

func TestExportsToAFileAreAuditedOnceAndNotWrittenWithoutTheirEntry(t *testing.T) {
	for _, tc := range []struct {
		name   string
		action string
		export func(ctx context.Context, c *core.Core, contact, request int64, path string) error
	}{
		{"a subject access bundle", "export.subject_access", func(ctx context.Context, c *core.Core, contact, request int64, path string) error {
			out, err := c.ExportSubjectAccess(ctx, contact, "", request, path)
			if err == nil && (out.Path != path || out.Files < 10) {
				t.Errorf("export said %+v", out)
			}
			return err
		}},
		{"a subject access bundle found by address", "export.subject_access", func(ctx context.Context, c *core.Core, _, request int64, path string) error {
			_, err := c.ExportSubjectAccess(ctx, 0, "HÉLÈNE@Example.fr", request, path)
			return err
		}},
		{"an erasure certificate", "export.erasure_certificate", func(ctx context.Context, c *core.Core, _, _ int64, path string) error {
			// The erasure itself is made before the audit breaks (see below).
			return c.SaveErasureCertificate(ctx, 1, "Hélène Dupont", path)
		}},
	} {
		for _, broken := range []bool{false, true} {
			name := tc.name
			if broken {
				name += " with a failing audit"
			}
			t.Run(name, func(t *testing.T) {
				ctx := context.Background()
				c := newCore(t)
				id, req := addPerson(t, c, "Hélène", "Dupont")
				if tc.action == "export.erasure_certificate" {
					other, _ := addPerson(t, c, "Paul", "Martin")
					if _, err := c.Erase(ctx, other, 0); err != nil {
						t.Fatal(err)
					}
				}
				if broken {
					failAudit(t, c.DB())
				}
				dir := t.TempDir()
				path := filepath.Join(dir, "out.file")
				err := tc.export(ctx, c, id, req, path)
				entries := auditEntries(t, c.DB(), tc.action)
				left, _ := os.ReadDir(dir)
				if broken {
					if err == nil || !strings.Contains(err.Error(), "injected audit failure") {
						t.Fatalf("export with a failing audit: %v", err)
					}
					if len(left) != 0 || len(entries) != 0 {
						t.Fatalf("a failed audit left %d files and %d entries", len(left), len(entries))
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(entries) != 1 || !strings.Contains(entries[0].Actor, "(cli") {
					t.Fatalf("want one %s entry by the command line, got %+v", tc.action, entries)
				}
				if tc.action == "export.subject_access" {
					if entries[0].SubjectID != id {
						t.Errorf("entry names contact %d, want %d", entries[0].SubjectID, id)
					}
					zr, err := zip.OpenReader(path)
					if err != nil {
						t.Fatal(err)
					}
					zr.Close()
				} else if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), "%PDF") {
					t.Fatal("not a PDF")
				}
				if len(left) != 1 {
					t.Fatalf("%d files in the folder, want the export alone", len(left))
				}
			})
		}
	}
}

func TestRestrictionAndObjectionAreAuditedWithTheirChange(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	id, _ := addPerson(t, c, "Hélène", "Dupont")
	if err := c.Restrict(ctx, id, "exactitude contestée", ""); err != nil {
		t.Fatal(err)
	}
	if n := len(auditEntries(t, c.DB(), "contact.restrict")); n != 1 {
		t.Fatalf("%d contact.restrict entries", n)
	}
	if err := c.Unrestrict(ctx, id); err != nil {
		t.Fatal(err)
	}
	// The register's purposes exist once the window or the command line
	// has shown them.
	if _, err := privacy.New(c.DB(), nil).Purposes(ctx, func(k string) string { return k }); err != nil {
		t.Fatal(err)
	}
	if err := c.Object(ctx, id, "newsletter", 0); err != nil {
		t.Fatal(err)
	}
	if n := len(auditEntries(t, c.DB(), "contact.object")); n != 1 {
		t.Fatalf("%d contact.object entries", n)
	}

	failAudit(t, c.DB())
	if err := c.Restrict(ctx, id, "exactitude contestée", ""); err == nil {
		t.Fatal("restricted with a failing audit")
	}
	ct, err := crm.New(c.DB(), nil).Contact(ctx, id)
	if err != nil || ct.Restriction != nil {
		t.Fatalf("a restriction without its audit entry: %+v, %v", ct.Restriction, err)
	}
}
