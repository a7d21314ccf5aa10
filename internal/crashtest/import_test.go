package crashtest

import (
	"database/sql"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"carnet/backend/crm"
)

// importLoad runs bulk CSV imports, each in one transaction: per run a
// small one, which a kill seldom interrupts, then a large one, which it
// seldom spares. Most rows are new people; a few are people of earlier
// imports, whose contacts are updated (merged) when those imports
// committed. Every row of an import carries the import's tag: after any
// kill, a tag is on none of its rows or on all of them.
type importLoad struct {
	seed    uint64
	sizes   []int // rows of each import of a run
	updates int   // rows per import that are people of earlier imports
}

func (w *importLoad) name() string { return "import" }

func (w *importLoad) setup(t *testing.T, db *sql.DB, seed uint64) {
	w.seed, w.sizes, w.updates = seed, []int{200, 5_000}, 20
}

func (w *importLoad) args() url.Values {
	sizes := make([]string, len(w.sizes))
	for i, n := range w.sizes {
		sizes[i] = strconv.Itoa(n)
	}
	return url.Values{"seed": {fmt.Sprint(w.seed)}, "sizes": {strings.Join(sizes, ",")}, "updates": {fmt.Sprint(w.updates)}}
}

func (w *importLoad) load(a url.Values) (err error) {
	if w.seed, err = strconv.ParseUint(a.Get("seed"), 10, 64); err != nil {
		return err
	}
	w.sizes = nil
	for _, f := range strings.Split(a.Get("sizes"), ",") {
		n, err := strconv.Atoi(f)
		if err != nil {
			return err
		}
		w.sizes = append(w.sizes, n)
	}
	w.updates, err = strconv.Atoi(a.Get("updates"))
	return err
}

func (w *importLoad) before(t *testing.T, run int) {}

// label names an import: its tag and the source of the contacts it creates.
func (w *importLoad) label(run, k int) string { return fmt.Sprintf("crash-r%d-i%d", run, k) }

// csv writes the file of import k of run: distinct people, numbered so
// that each import brings its own new people.
func (w *importLoad) csv(run, k int) string {
	r := rand.New(rand.NewPCG(w.seed, uint64(run)<<8|uint64(k)))
	first := 0 // people before this import's new ones
	for i, n := range w.sizes {
		first += run * n
		if i < k {
			first += n
		}
	}
	people := map[int]bool{}
	for len(people) < min(w.updates, first) {
		people[r.IntN(first)] = true
	}
	for p := first; len(people) < w.sizes[k]; p++ {
		people[p] = true
	}
	var b strings.Builder
	b.WriteString("Prénom;Nom;Adresse e-mail;Téléphone;Société;Ville;Étiquettes\r\n")
	for _, p := range slices.Sorted(maps.Keys(people)) {
		fmt.Fprintf(&b, "Camille%d;Martin%d;camille.%d@crash.test;06 %02d %02d %02d %02d;Société %d;Lyon;client,%s\r\n",
			p%97, p, p, p/1_000_000%100, p/10_000%100, p/100%100, p%100, p%300, w.label(run, k))
	}
	return b.String()
}

func (w *importLoad) work(db *sql.DB, run int, rep *reporter) error {
	s := crm.New(db, nil)
	total, before := 0, 0
	for _, n := range w.sizes {
		total += n
	}
	for k, rows := range w.sizes {
		f, err := crm.ParseCSV("crash.csv", strings.NewReader(w.csv(run, k)))
		if err != nil {
			return err
		}
		cands, err := f.Candidates(f.Mapping)
		if err != nil {
			return err
		}
		sum, err := s.Import(ctx, cands, crm.ImportOptions{Source: w.label(run, k), Progress: func(done, _ int) {
			rep.progress(before+done, total)
		}})
		if err != nil {
			return err
		}
		if len(sum.Problems) > 0 || sum.New+sum.Updated != rows {
			return fmt.Errorf("import %s: %+v", w.label(run, k), sum)
		}
		rep.commit("import", w.label(run, k), rows, sum.New)
		before += rows
	}
	return nil
}

// check: every reported import is whole (its tag on all its rows, its
// source on every contact it created); every other import of every run so
// far is whole or absent; no address belongs to two contacts.
func (w *importLoad) check(t *testing.T, db *sql.DB, run int, commits map[int][][]string) checked {
	t.Helper()
	tagged := countBy(t, db, `SELECT t.name, count(*) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name LIKE 'crash-%' GROUP BY t.name`)
	sourced := countBy(t, db, `SELECT source, count(*) FROM contacts WHERE source LIKE 'crash-%' GROUP BY source`)
	var c checked
	reported := map[string]bool{}
	for _, cs := range commits {
		for _, cm := range cs {
			label, rows, created := cm[1], atoi(cm[2]), atoi(cm[3])
			reported[label] = true
			c.items += rows
			if tagged[label] != rows || sourced[label] != created {
				t.Errorf("run %d: import %s was reported committed with %d rows (%d new); the vault has %d tagged, %d created by it",
					run, label, rows, created, tagged[label], sourced[label])
				c.lost += rows - min(rows, tagged[label])
			}
		}
	}
	for r := range commits {
		for k, rows := range w.sizes {
			label := w.label(r, k)
			if n := tagged[label]; !reported[label] && n != 0 && n != rows {
				t.Errorf("run %d: import %s is half there: %d of %d rows", run, label, n, rows)
			}
			delete(tagged, label)
		}
	}
	for label := range tagged {
		t.Errorf("run %d: rows of an import that never ran: %s", run, label)
	}
	var shared int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM contact_emails GROUP BY lower(address) HAVING count(DISTINCT contact_id) > 1)`).Scan(&shared); err != nil {
		t.Fatal(err)
	}
	if shared > 0 {
		t.Errorf("run %d: %d addresses belong to two contacts", run, shared)
	}
	return c
}

// full: a vault of 20,000 contacts is left for a new one, so that long
// runs (CARNET_CRASH_RUNS) keep a steady pace.
func (w *importLoad) full(t *testing.T, db *sql.DB) bool {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM contacts`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n >= 20_000
}

func (w *importLoad) finish(t *testing.T, db *sql.DB) {}

// countBy runs a query of (name, count) rows into a map.
func countBy(t *testing.T, db *sql.DB, q string, args ...any) map[string]int {
	t.Helper()
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
