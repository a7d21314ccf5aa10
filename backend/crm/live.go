package crm

import "fmt"

// A contact row is in one or more of these states, each a column of
// contacts set to the moment it began:
//
//   - in the trash (deleted_at): deleted by the user, restorable for
//     TrashDays, then purged;
//   - erased (erased_at): Art. 17 carried out — every field blanked, every
//     row about the person gone, only the id kept so that ledger and audit
//     entries never come to point at someone else. An erased contact is
//     always in the trash too: EraseContactTx sets deleted_at, and neither
//     RestoreContact nor PurgeTrash touches an erased one. So a condition
//     on deleted_at leaves the erased out as well;
//   - restricted (restricted_at): Art. 18, "mise en sommeil" — kept, not
//     processed, until lifted (Restrict);
//   - archived (archived_at): the intermediate archive of the retention
//     policy, Art. 5(1)(e) — kept only for a legal obligation or a claim,
//     until erased at the end of the archive period (Archive).
//
// Which of them a rule must see depends on the rule, so "a live contact"
// is not one condition but the few variants below, defined here and only
// here: every package that selects contacts by state asks for a Scope.
//
// Why a Go function and not an SQL view (a migration): the conditions are
// used inside bulk queries that join contacts with other tables in one
// statement (the retention sweep with invoices and the consent ledger, and
// it is benchmarked; the list itself), where a view would add nothing
// SQLite does not already inline but would freeze the definition in a
// migration that may never be edited once shipped; the list's partial
// indexes (contacts_sort, contacts_created) cover the list's columns and
// are only used when a query repeats their WHERE terms, which Live.Where
// does word for word (one more term, such as erased_at, would send every
// row of the list to the table); and which rule uses which variant is
// documented here, next to the code that sets the columns.
type Scope int

const (
	// Every contact row, erased ones included (only their id remains).
	// Used where an id must merely exist: a consent ledger entry records
	// the proof of a consent (Art. 7(1)) for any id, and the erasure record
	// matches a restored copy's contacts to erasures by id and creation
	// (Art. 17 carried out again, Art. 5(2)).
	Every Scope = iota
	// Held are the people whose personal data the vault still holds: not
	// erased, but in the trash, restricted and archived included. A
	// breach's scope counts and notifies every one of them (Art. 33(3)(a),
	// Art. 34); a rights request finds them (Art. 15, 17: the data held,
	// wherever they sit).
	Held
	// Current contacts are neither in the trash nor erased; restricted and
	// archived ones are included, their data still stored (storage is
	// allowed under Art. 18(1)). Mail links a message to them (a trashed
	// contact's messages are no longer shown as theirs); the archive
	// sweep and the no-mail list (RestrictedAddresses) look among them.
	Current
	// Live contacts may be processed: current, neither restricted (Art.
	// 18(1): no processing but storage) nor archived (kept only for a
	// legal obligation, Art. 5(1)(b) and (e)). Campaigns (who consented to
	// a purpose), consent renewals and the retention sweep of prospects
	// and customers see only them; the list's default view too.
	Live
)

// Where returns the scope's condition on the contacts table under alias
// ("c" for "FROM contacts c"; "" for the bare table), to be ANDed into a
// query's WHERE clause. Live repeats the list indexes' WHERE terms, so a
// query using it can use those indexes.
func (s Scope) Where(alias string) string {
	col := func(name string) string {
		if alias == "" {
			return name
		}
		return alias + "." + name
	}
	// Current and Live need not test erased_at: the erased are in the
	// trash (see above).
	switch s {
	case Every:
		return "1"
	case Held:
		return col("erased_at") + " IS NULL"
	case Current:
		return col("deleted_at") + " IS NULL"
	case Live:
		return col("deleted_at") + " IS NULL AND " + col("restricted_at") + " IS NULL AND " + col("archived_at") + " IS NULL"
	}
	panic(fmt.Sprintf("crm: unknown scope %d", int(s)))
}

// String names the scope in errors and test names.
func (s Scope) String() string {
	switch s {
	case Every:
		return "every"
	case Held:
		return "held"
	case Current:
		return "current"
	case Live:
		return "live"
	}
	return fmt.Sprintf("scope(%d)", int(s))
}
