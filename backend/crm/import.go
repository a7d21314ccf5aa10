package crm

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"carnet/backend/privacy/suppress"
	"carnet/backend/txn"
)

// Candidate is one contact read from an import file, before it is matched
// against the vault.
type Candidate struct {
	Row         int // 1-based line or card number in the file
	Contact     Contact
	CompanyName string
	CompanyRole string
	Err         error          // the row could not be read; it will be reported, not imported
	Skipped     []FieldProblem // values left out while reading the row; the rest is imported
}

// FieldProblem is one value an import leaves out of its row, and why: one
// bad field never costs the whole contact.
type FieldProblem struct {
	Field string // the field's name in ImportFields ("email", "phone"…)
	Value string
	Err   error
}

// RowProblem is a row that will not be imported, or, when Skipped, one
// value of a row that is imported without it.
type RowProblem struct {
	Row     int    `json:"row"`
	Reason  string `json:"reason"` // a translation key, "import.problem.*"
	Detail  string `json:"detail"`
	Field   string `json:"field"`   // the value's field ("email"…), when one value is at fault
	Value   string `json:"value"`   // that value, cut to maxProblemValue bytes
	Skipped bool   `json:"skipped"` // the row is imported without that value
}

// ImportSummary says what an import did, or would do for a dry run.
type ImportSummary struct {
	DryRun           bool         `json:"dryRun"`
	Rows             int          `json:"rows"`
	New              int          `json:"new"`
	Updated          int          `json:"updated"`
	Unchanged        int          `json:"unchanged"`  // rows matching a contact in the vault that bring nothing new
	Duplicates       int          `json:"duplicates"` // rows merged into an earlier row of the same file
	CompaniesCreated int          `json:"companiesCreated"`
	Refused          int          `json:"refused"` // rows not imported
	SkippedValues    int          `json:"skippedValues"`
	Problems         []RowProblem `json:"problems"`
}

// ImportOptions control an import.
type ImportOptions struct {
	DryRun bool
	// Source is recorded on contacts whose row has none ("import: clients.csv").
	Source string
	// Progress is called now and then with rows done and the total.
	Progress func(done, total int)
	// BeforeCommit, when set, runs after the import's writes and before
	// its commit, with ctx carrying the import's own transaction
	// (txn.With): what it writes there — the caller's audit entry —
	// commits with the import or not at all, and its error undoes the
	// import. The import runs on a connection of its own, so a caller
	// cannot wrap it in a transaction of its own instead. Not called for
	// a dry run.
	BeforeCommit func(ctx context.Context, sum ImportSummary) error
}

// ErrCancelled is returned when the import's context is cancelled; nothing
// was written.
var ErrCancelled = errors.New("crm: import cancelled")

// problemOf turns a validation error into a row problem.
func problemOf(row int, err error) RowProblem {
	reason := "import.problem.invalid"
	for _, k := range []struct {
		err error
		key string
	}{
		{ErrEmptyContact, "import.problem.empty"},
		{ErrInvalidEmail, "import.problem.email"},
		{ErrInvalidPhone, "import.problem.phone"},
		{ErrInvalidDate, "import.problem.date"},
		{ErrInvalidRelationship, "import.problem.relationship"},
		{ErrFieldTooLong, "import.problem.too_long"},
		{ErrWrongFieldCount, "import.problem.columns"},
	} {
		if errors.Is(err, k.err) {
			reason = k.key
			break
		}
	}
	detail := err.Error()
	if i := strings.Index(detail, ": "); i >= 0 && strings.HasPrefix(detail, "crm:") {
		if j := strings.Index(detail[i+2:], ": "); j >= 0 {
			detail = detail[i+2+j+2:]
		} else {
			detail = ""
		}
	}
	return RowProblem{Row: row, Reason: reason, Detail: detail}
}

// maxProblemValue bounds the value a problem shows: enough to find it in
// the file, not a whole 64 KiB note.
const maxProblemValue = 200

// fieldProblem reports a value left out of row: skipped when the row is
// imported without it, else the reason the row is not imported.
func fieldProblem(row int, fp FieldProblem, skipped bool) RowProblem {
	p := problemOf(row, fp.Err)
	p.Detail, p.Field, p.Value, p.Skipped = "", fp.Field, fp.Value, skipped
	if len(p.Value) > maxProblemValue {
		cut := maxProblemValue
		for cut > 0 && !utf8.RuneStart(p.Value[cut]) {
			cut--
		}
		p.Value = p.Value[:cut] + "…"
	}
	return p
}

// Import adds or updates contacts from candidates in one transaction.
// A candidate whose e-mail or phone matches a contact in the vault updates
// it (filling empty fields, adding what is new, never erasing); one that
// matches an earlier row of the same file is merged into it. With DryRun
// the same work is done and rolled back, so the summary is exact. The
// write-ahead log is left to Checkpoint (or to closing the database).
//
// Reading the rows (checking, matching, counting) and writing them run
// side by side: this goroutine decides what each row does from what it
// loaded at the start and what earlier rows did, and hands the writes, in
// order, to an importWriter that alone uses the transaction.
func (s *Store) Import(ctx context.Context, cands []Candidate, opts ImportOptions) (ImportSummary, error) {
	sum := ImportSummary{DryRun: opts.DryRun, Rows: len(cands), Problems: []RowProblem{}}
	list, err := suppress.Open(ctx, s.db)
	if err != nil {
		return sum, fmt.Errorf("crm: import: %w", err)
	}
	tx, done, err := s.bulkTx(ctx)
	if err != nil {
		return sum, fmt.Errorf("crm: import: %w", err)
	}
	defer done()
	q := newStmtCache(tx)
	defer q.close()
	known, err := loadMatchKeys(ctx, q)
	if err != nil {
		return sum, fmt.Errorf("crm: import: %w", err)
	}
	erased, err := list.Load(ctx, q, suppress.AllPurposes)
	if err != nil {
		return sum, fmt.Errorf("crm: import: %w", err)
	}
	companies, err := loadCompanyIndex(ctx, q)
	if err != nil {
		return sum, fmt.Errorf("crm: import: %w", err)
	}
	// New contacts and companies get their ids here, so later rows can
	// match and link them before they are written.
	nextContact, err := nextID(ctx, q, "contacts")
	if err != nil {
		return sum, fmt.Errorf("crm: import: %w", err)
	}
	nextCompany, err := nextID(ctx, q, "companies")
	if err != nil {
		return sum, fmt.Errorf("crm: import: %w", err)
	}
	now := s.now()
	w := startImportWriter(ctx, q, now)
	defer w.stop()
	fromFile := map[int64]bool{} // contacts created by this import
	companyID := func(row int, name string) int64 {
		key := nocase(name)
		id, ok := companies.byName[key]
		if !ok {
			id, nextCompany = nextCompany, nextCompany+1
			companies.byName[key], companies.byID[id] = id, name
			w.send(importWrite{row: row, company: &Company{ID: id, Name: name}})
			sum.CompaniesCreated++
		}
		return id
	}
	var batch []*Contact
	var batchRows []int
	flush := func() {
		if len(batch) > 0 {
			w.send(importWrite{row: batchRows[0], lastRow: batchRows[len(batchRows)-1], contacts: newContactRows(batch, now)})
			batch, batchRows = nil, nil // the writer owns them now
		}
	}

	refuse := func(p ...RowProblem) {
		sum.Problems = append(sum.Problems, p...)
		sum.Refused++
	}
	for i, cand := range cands {
		if i%256 == 0 {
			if ctx.Err() != nil || w.failed() {
				break
			}
			if opts.Progress != nil {
				opts.Progress(i, len(cands))
			}
		}
		if cand.Err != nil {
			refuse(problemOf(cand.Row, cand.Err))
			continue
		}
		c := cand.Contact
		if c.Source == "" {
			c.Source = opts.Source
		}
		// A value the vault would refuse is left out and reported; the
		// row is refused only when nothing that identifies anyone is left.
		dropped, err := c.clean(true)
		skipped := append(cand.Skipped[:len(cand.Skipped):len(cand.Skipped)], dropped...)
		if err != nil {
			if errors.Is(err, ErrEmptyContact) && len(skipped) > 0 {
				// What made it empty says more than "no name, no e-mail".
				ps := make([]RowProblem, len(skipped))
				for i, fp := range skipped {
					ps[i] = fieldProblem(cand.Row, fp, false)
				}
				refuse(ps...)
			} else {
				refuse(problemOf(cand.Row, err))
			}
			continue
		}
		if i := slices.IndexFunc(c.Emails, func(e Email) bool { return erased.Has(e.Address) }); i >= 0 {
			// The person had their data erased: never brought back.
			refuse(RowProblem{Row: cand.Row, Reason: "import.problem.suppressed", Detail: c.Emails[i].Address})
			continue
		}
		match := known.find(&c)
		if known.restricted[match] {
			refuse(RowProblem{Row: cand.Row, Reason: "import.problem.restricted", Detail: c.DisplayName()})
			continue
		}
		if err := companies.link(&c, func(name string) int64 { return companyID(cand.Row, name) }); err != nil {
			refuse(problemOf(cand.Row, err))
			continue
		}
		for _, fp := range skipped {
			sum.Problems = append(sum.Problems, fieldProblem(cand.Row, fp, true))
			sum.SkippedValues++
		}
		if name := strings.TrimSpace(cand.CompanyName); name != "" {
			c.Companies = append(c.Companies, CompanyLink{CompanyID: companyID(cand.Row, name), CompanyName: name, Role: cand.CompanyRole})
		}
		known.add(&c, cmp.Or(match, nextContact))
		if match == 0 {
			c.ID, nextContact = nextContact, nextContact+1
			batch, batchRows = append(batch, &c), append(batchRows, cand.Row)
			fromFile[c.ID] = true
			sum.New++
			if len(batch) == maxRowsPerInsert {
				flush()
			}
			continue
		}
		flush() // the match may be waiting in the batch
		c.ID = match
		w.send(importWrite{row: cand.Row, update: &c, known: !fromFile[match]})
		if fromFile[match] {
			sum.Duplicates++
		} else {
			sum.Updated++
		}
	}
	flush()
	if err := w.stop(); err != nil {
		return sum, err
	}
	sum.Updated -= w.unchanged
	sum.Unchanged = w.unchanged
	if ctx.Err() != nil {
		return sum, ErrCancelled
	}
	if opts.Progress != nil {
		opts.Progress(len(cands), len(cands))
	}
	if opts.DryRun {
		return sum, nil // rolled back by the deferred Rollback
	}
	if err := q.flushDocs(ctx); err != nil {
		return sum, importErr(ctx, "", err)
	}
	if opts.BeforeCommit != nil {
		if err := opts.BeforeCommit(txn.With(ctx, tx), sum); err != nil {
			return sum, importErr(ctx, "", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return sum, fmt.Errorf("crm: import: commit: %w", err)
	}
	return sum, nil
}

// importWrite is one write of an import, in file order: new contacts
// (ids given), a new company (id given), or a row to merge into the
// contact with its id.
type importWrite struct {
	row, lastRow int
	contacts     *contactRows
	company      *Company
	update       *Contact
	known        bool // the contact to merge into was in the vault before the import
}

// importWriter runs an import's writes on its own goroutine. After the
// first error it skips the rest; stop returns that error. A panic there is
// raised again by stop, in the goroutine that called Import.
type importWriter struct {
	ch        chan importWrite
	done      chan struct{}
	bad       atomic.Bool
	err       error
	panicked  any
	unchanged int // merges into vault contacts that changed nothing
}

func startImportWriter(ctx context.Context, q *stmtCache, now time.Time) *importWriter {
	w := &importWriter{ch: make(chan importWrite, 4), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		defer func() {
			if p := recover(); p != nil {
				w.panicked = p
				w.bad.Store(true)
				for range w.ch { // let the reader finish
				}
			}
		}()
		for item := range w.ch {
			if w.err == nil {
				changed, err := item.write(ctx, q, now)
				if err != nil {
					w.err = err
					w.bad.Store(true)
				}
				if !changed && item.known {
					w.unchanged++
				}
			}
		}
	}()
	return w
}

func (w *importWriter) send(item importWrite) { w.ch <- item }

// failed says whether a write has failed, so the reader can stop early.
func (w *importWriter) failed() bool { return w.bad.Load() }

// stop waits for the writes sent so far and returns the first error. It
// may be called again.
func (w *importWriter) stop() error {
	select {
	case <-w.done:
	default:
		close(w.ch)
		<-w.done
	}
	if p := w.panicked; p != nil {
		w.panicked = nil
		panic(p)
	}
	return w.err
}

// write does one write; for a merge it reports whether the contact
// changed: a row that brings nothing new (a file imported again) writes
// nothing.
func (item importWrite) write(ctx context.Context, q *stmtCache, now time.Time) (changed bool, err error) {
	where := fmt.Sprintf("row %d", item.row)
	changed = true
	switch {
	case item.company != nil:
		_, err = insertCompany(ctx, q, item.company, now)
	case item.update != nil:
		var existing *Contact
		if existing, err = loadContact(ctx, q, item.update.ID); err == nil {
			if changed = mergeInto(existing, item.update); changed {
				err = updateContact(ctx, q, existing, now)
			}
		}
	default:
		err = item.contacts.insert(ctx, q)
		if item.lastRow != item.row {
			where = fmt.Sprintf("rows %d–%d", item.row, item.lastRow)
		}
	}
	if err != nil {
		return changed, importErr(ctx, where, err)
	}
	return changed, nil
}

// companyIndex holds the vault's companies by name, compared as the
// form compares them (COLLATE NOCASE: ASCII letters without case), the
// oldest of a name when several live ones share it, and by id, for an
// import to link its rows without a query per row.
type companyIndex struct {
	byName map[string]int64
	byID   map[int64]string
}

func loadCompanyIndex(ctx context.Context, q queryer) (*companyIndex, error) {
	n := &companyIndex{byName: map[string]int64{}, byID: map[int64]string{}}
	err := each(ctx, q, `SELECT id, name, deleted_at IS NULL FROM companies ORDER BY id`, nil, func(r *sql.Rows) error {
		var id int64
		var name string
		var live bool
		err := r.Scan(&id, &name, &live)
		n.byID[id] = name
		if _, ok := n.byName[nocase(name)]; live && !ok {
			n.byName[nocase(name)] = id
		}
		return err
	})
	return n, err
}

// nocase folds ASCII letters only, as SQLite's NOCASE collation does.
func nocase(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// link gives each of c's company links an id and a name: one given by id
// must exist, and only then does a company named only get the id newID
// returns, so that a row refused creates no company.
func (n *companyIndex) link(c *Contact, newID func(name string) int64) error {
	c.Companies = slices.Clone(c.Companies)
	for i := range c.Companies {
		if l := &c.Companies[i]; l.CompanyID != 0 {
			known, ok := n.byID[l.CompanyID]
			if !ok {
				return fmt.Errorf("%w: %d", ErrUnknownCompany, l.CompanyID)
			}
			l.CompanyName = known
		}
	}
	for i := range c.Companies {
		l := &c.Companies[i]
		if name := strings.TrimSpace(l.CompanyName); l.CompanyID == 0 && name != "" {
			l.CompanyID, l.CompanyName = newID(name), name
		}
	}
	return nil
}

// matchKeys finds the live contact that shares an e-mail address
// (ignoring case) or a phone number (whatever its formatting) with a
// candidate. It is loaded once per import and kept up to date as rows are
// written, instead of two queries per row.
type matchKeys struct {
	emails     map[string]int64
	phones     map[string]int64
	restricted map[int64]bool // restricted or archived, read-only: a matching row is reported, not merged
}

func loadMatchKeys(ctx context.Context, q queryer) (*matchKeys, error) {
	k := &matchKeys{emails: map[string]int64{}, phones: map[string]int64{}, restricted: map[int64]bool{}}
	const emails = `
		SELECT lower(e.address), min(e.contact_id) FROM contact_emails e JOIN contacts c ON c.id = e.contact_id
		WHERE c.deleted_at IS NULL GROUP BY lower(e.address)`
	err := each(ctx, q, emails, nil, func(r *sql.Rows) error {
		var a string
		var id int64
		err := r.Scan(&a, &id)
		k.emails[a] = id
		return err
	})
	if err != nil {
		return nil, err
	}
	const phones = `
		SELECT p.normalized, min(p.contact_id) FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
		WHERE c.deleted_at IS NULL GROUP BY p.normalized`
	err = each(ctx, q, phones, nil, func(r *sql.Rows) error {
		var n string
		var id int64
		err := r.Scan(&n, &id)
		k.phones[n] = id
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(ctx, q, `SELECT id FROM contacts WHERE (restricted_at IS NOT NULL OR archived_at IS NOT NULL) AND deleted_at IS NULL`, nil, func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		k.restricted[id] = true
		return err
	})
	return k, err
}

func (k *matchKeys) find(c *Contact) int64 {
	for _, e := range c.Emails {
		if id, ok := k.emails[strings.ToLower(e.Address)]; ok {
			return id
		}
	}
	for _, p := range c.Phones {
		if id, ok := k.phones[NormalizePhone(p.Number)]; ok {
			return id
		}
	}
	return 0
}

func (k *matchKeys) add(c *Contact, id int64) {
	for _, e := range c.Emails {
		if _, ok := k.emails[strings.ToLower(e.Address)]; !ok {
			k.emails[strings.ToLower(e.Address)] = id
		}
	}
	for _, p := range c.Phones {
		if n := NormalizePhone(p.Number); n != "" {
			if _, ok := k.phones[n]; !ok {
				k.phones[n] = id
			}
		}
	}
}

// mergeInto adds what other knows to c without erasing anything: empty
// fields are filled, lists are united, the source recorded first is kept
// and the latest inbound contact wins. It reports whether c changed.
func mergeInto(c, other *Contact) (changed bool) {
	for _, f := range []struct{ dst, src *string }{
		{&c.GivenName, &other.GivenName}, {&c.FamilyName, &other.FamilyName}, {&c.JobTitle, &other.JobTitle},
		{&c.NamePrefix, &other.NamePrefix}, {&c.NameSuffix, &other.NameSuffix},
		{&c.Website, &other.Website}, {&c.Birthday, &other.Birthday}, {&c.Language, &other.Language},
		{&c.Owner, &other.Owner}, {&c.Source, &other.Source},
	} {
		if *f.dst == "" && *f.src != "" {
			*f.dst, changed = *f.src, true
		}
	}
	if other.Notes != "" && !strings.Contains(c.Notes, other.Notes) {
		c.Notes, changed = strings.TrimSpace(c.Notes+"\n\n"+other.Notes), true
	}
	if other.LastInboundAt > c.LastInboundAt {
		c.LastInboundAt, changed = other.LastInboundAt, true
	}
	add := func(missing bool) bool {
		changed = changed || missing
		return missing
	}
	for _, e := range other.Emails {
		if add(!slices.ContainsFunc(c.Emails, func(x Email) bool { return strings.EqualFold(x.Address, e.Address) })) {
			c.Emails = append(c.Emails, e)
		}
	}
	for _, p := range other.Phones {
		n := NormalizePhone(p.Number)
		if add(!slices.ContainsFunc(c.Phones, func(x Phone) bool { return NormalizePhone(x.Number) == n })) {
			c.Phones = append(c.Phones, p)
		}
	}
	for _, a := range other.Addresses {
		if add(!slices.Contains(c.Addresses, a)) {
			c.Addresses = append(c.Addresses, a)
		}
	}
	for _, l := range other.Companies {
		if add(!slices.ContainsFunc(c.Companies, func(x CompanyLink) bool { return x.CompanyID == l.CompanyID })) {
			c.Companies = append(c.Companies, l)
		}
	}
	for _, r := range other.Relationships {
		if add(!slices.Contains(c.Relationships, r)) {
			c.Relationships = append(c.Relationships, r)
		}
	}
	n := len(c.Tags)
	c.Tags = cleanTags(append(c.Tags, other.Tags...))
	add(len(c.Tags) != n)
	return changed
}

// importErr reports a cancelled context as ErrCancelled, whatever
// statement noticed it.
func importErr(ctx context.Context, where string, err error) error {
	if ctx.Err() != nil {
		return ErrCancelled
	}
	if where == "" {
		return fmt.Errorf("crm: import: %w", err)
	}
	return fmt.Errorf("crm: import %s: %w", where, err)
}
