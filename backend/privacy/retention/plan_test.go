package retention

import (
	"context"
	"strings"
	"testing"

	"carnet/backend/vault/vaulttest"
)

// Each category's query must start from an index, not from every
// contact's row: on 100,000 contacts, reading the table is most of the
// sweep's time. Former customers are found by walking the live contacts'
// list index (an index of their own would cost every import 6 %).
func TestSweepQueriesStartFromAnIndex(t *testing.T) {
	db := vaulttest.DB(t)
	for _, tc := range []struct {
		name, query, index string
	}{
		{"prospects", prospectsQuery, "USING INDEX contacts_"},
		{"customers", customersQuery, "SCAN c USING INDEX contacts_created"},
		{"archives", archivesQuery, "USING INDEX contacts_archived"},
		{"invoices", invoicesQuery, "USING INDEX documents_kind"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+tc.query, "2023-11-28T09:30:00Z")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			p := strings.Join(plan, "; ")
			if !strings.Contains(plan[0], tc.index) || strings.Contains(strings.ReplaceAll(p, tc.index, ""), "SCAN ") {
				t.Fatalf("plan %q, want it to start %s and scan nothing", p, tc.index)
			}
		})
	}
}
