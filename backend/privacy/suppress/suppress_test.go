package suppress

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"carnet/backend/vault/vaulttest"
)

func add(t *testing.T, db *sql.DB, l *List, email, purpose, reason string) {
	t.Helper()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := l.Add(context.Background(), tx, email, purpose, reason, 0, time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestTheListKeepsOnlyKeyedHashesAndItsKey(t *testing.T) {
	ctx := context.Background()
	db := vaulttest.DB(t)
	if _, ok, err := OpenExisting(ctx, db); err != nil || ok {
		t.Fatalf("OpenExisting on a new vault = %v, %v; want no list and no key made", ok, err)
	}
	l, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	add(t, db, l, "  Helene.Dupont@Example.FR ", AllPurposes, ReasonErasure)
	var stored string
	if err := db.QueryRow(`SELECT email_hash FROM suppression_list`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToLower(stored), "helene") || stored != l.Hash("helene.dupont@example.fr") {
		t.Fatalf("stored %q: want the keyed hash of the address, whatever its case and spaces", stored)
	}
	again, ok, err := OpenExisting(ctx, db)
	if err != nil || !ok || again.KeyID() != l.KeyID() || again.Hash("x@y.fr") != l.Hash("x@y.fr") {
		t.Fatalf("the list opened again must use the same key (ok %v, err %v)", ok, err)
	}
	// Another vault draws another key: the same address hashes differently.
	other, err := Open(ctx, vaulttest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	if other.Hash("x@y.fr") == l.Hash("x@y.fr") || other.KeyID() == l.KeyID() {
		t.Fatal("two vaults share a suppression key")
	}
}

func TestAnErasureBlocksEveryPurposeAnObjectionOnlyItsOwn(t *testing.T) {
	ctx := context.Background()
	db := vaulttest.DB(t)
	l, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	add(t, db, l, "erased@example.fr", AllPurposes, ReasonErasure)
	add(t, db, l, "objects@example.fr", "newsletter", ReasonObjection)
	add(t, db, l, "objects@example.fr", "newsletter", ReasonObjection) // twice: one entry
	add(t, db, l, "   ", AllPurposes, ReasonErasure)                   // nothing to hash: nothing added

	for _, tc := range []struct {
		purpose string
		want    map[string]string // address → reason
	}{
		{"newsletter", map[string]string{"erased@example.fr": ReasonErasure, "objects@example.fr": ReasonObjection}},
		{"invoicing", map[string]string{"erased@example.fr": ReasonErasure}},
		{AllPurposes, map[string]string{"erased@example.fr": ReasonErasure}},
	} {
		got, err := l.Blocked(ctx, nil, []string{"ERASED@example.fr", "objects@example.fr", "free@example.fr", ""}, tc.purpose)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(tc.want) {
			t.Errorf("purpose %q: blocked %v, want %v", tc.purpose, got, tc.want)
		}
		for addr, reason := range tc.want {
			key := addr
			if addr == "erased@example.fr" {
				key = "ERASED@example.fr" // reported under the address as asked
			}
			if got[key].Reason != reason {
				t.Errorf("purpose %q: %s blocked for %q, want %q", tc.purpose, key, got[key].Reason, reason)
			}
		}
		set, err := l.Load(ctx, db, tc.purpose)
		if err != nil {
			t.Fatal(err)
		}
		for _, addr := range []string{"erased@example.fr", "objects@example.fr", "free@example.fr"} {
			_, want := tc.want[addr]
			if set.Has(strings.ToUpper(addr)) != want {
				t.Errorf("purpose %q: Set.Has(%s) = %v, want %v", tc.purpose, addr, !want, want)
			}
		}
	}
	counts, err := l.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[ReasonErasure] != 1 || counts[ReasonObjection] != 1 {
		t.Fatalf("counts %v, want one erasure and one objection", counts)
	}
}

func TestAnAddRolledBackLeavesNothing(t *testing.T) {
	ctx := context.Background()
	db := vaulttest.DB(t)
	l, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Add(ctx, tx, "kept@example.fr", AllPurposes, ReasonErasure, 0, time.Now()); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	if got, err := l.Blocked(ctx, nil, []string{"kept@example.fr"}, AllPurposes); err != nil || len(got) != 0 {
		t.Fatalf("after a rollback: %v, %v", got, err)
	}
}
