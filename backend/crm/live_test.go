package crm

import (
	"database/sql"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
)

// contactsInEachState makes one contact in each state a contact can be
// in, each with its own address, and returns their ids by state.
func contactsInEachState(t *testing.T, s *Store) map[string]int64 {
	t.Helper()
	ids := map[string]int64{}
	for _, state := range []string{"live", "in the trash", "erased", "restricted", "archived"} {
		ids[state] = mustCreate(t, s, Contact{GivenName: "Personne", FamilyName: state,
			Emails: []Email{{Address: address(state)}}})
	}
	if err := s.DeleteContact(ctx, ids["in the trash"]); err != nil {
		t.Fatal(err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := EraseContactTx(ctx, tx, ids["erased"], s.now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Restrict(ctx, ids["restricted"], "Exactitude contestée (art. 18(1)(a))", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Archive(ctx, ids["archived"], "Litige possible"); err != nil {
		t.Fatal(err)
	}
	return ids
}

// address is the contact's address in state.
func address(state string) string {
	return strings.ReplaceAll(state, " ", "-") + "@exemple.test"
}

func TestEachScopeSeesTheContactsItsRuleNeeds(t *testing.T) {
	s, _ := newStore(t)
	ids := contactsInEachState(t, s)
	for _, tc := range []struct {
		scope Scope
		why   string
		want  []string
	}{
		{Every, "a ledger entry needs only an id, the erased one's too", []string{"live", "in the trash", "erased", "restricted", "archived"}},
		{Held, "a breach counts everyone whose data are held, wherever they sit", []string{"live", "in the trash", "restricted", "archived"}},
		{Current, "mail links to contacts not in the trash nor erased, restricted and archived still stored", []string{"live", "restricted", "archived"}},
		{Live, "a campaign, a renewal or the sweep processes only the live", []string{"live"}},
	} {
		t.Run(tc.scope.String()+": "+tc.why, func(t *testing.T) {
			var want []int64
			for _, st := range tc.want {
				want = append(want, ids[st])
			}
			slices.Sort(want)

			got, err := ContactIDs(ctx, s.db, tc.scope)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("ContactIDs = %v, want %v (%v)", got, want, tc.want)
			}

			all := slices.Sorted(maps.Values(ids))
			states, err := States(ctx, s.db, all, tc.scope)
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Sorted(maps.Keys(states)); !slices.Equal(got, want) {
				t.Errorf("States kept %v, want %v", got, want)
			}

			for state, id := range ids {
				in, err := InScope(ctx, s.db, id, tc.scope)
				if err != nil {
					t.Fatal(err)
				}
				if w := slices.Contains(tc.want, state); in != w {
					t.Errorf("InScope(%s contact) = %v, want %v", state, in, w)
				}
			}

			// By address: the erased contact's addresses are gone with it,
			// whatever the scope.
			var addrs []string
			for state := range ids {
				addrs = append(addrs, strings.ToUpper(address(state))) // case is ignored
			}
			byEmail, err := ContactIDsByEmail(ctx, s.db, addrs, tc.scope)
			if err != nil {
				t.Fatal(err)
			}
			for state, id := range ids {
				got := byEmail[address(state)]
				w := slices.Contains(tc.want, state) && state != "erased"
				if w && !slices.Equal(got, []int64{id}) || !w && len(got) > 0 {
					t.Errorf("ContactIDsByEmail[%s] = %v, want present %v", state, got, w)
				}
			}
		})
	}
	if _, err := InScope(ctx, s.db, 999, Every); err != nil {
		t.Fatal(err)
	}
	if in, _ := InScope(ctx, s.db, 999, Every); in {
		t.Error("an id never given is in scope")
	}
}

func TestStateOfTellsEachState(t *testing.T) {
	s, _ := newStore(t)
	ids := contactsInEachState(t, s)
	for _, tc := range []struct {
		state string
		want  ContactState
	}{
		{"live", ContactState{Name: "Personne live"}},
		{"in the trash", ContactState{Name: "Personne in the trash", InTrash: true}},
		{"erased", ContactState{InTrash: true, Erased: true}}, // nameless, and in the trash too
		{"restricted", ContactState{Name: "Personne restricted", Restricted: true}},
		{"archived", ContactState{Name: "Personne archived", Archived: true}},
	} {
		t.Run(tc.state, func(t *testing.T) {
			got, err := StateOf(ctx, s.db, ids[tc.state])
			if err != nil {
				t.Fatal(err)
			}
			if got.CreatedAt == "" {
				t.Error("no creation date")
			}
			tc.want.ID, tc.want.CreatedAt = ids[tc.state], got.CreatedAt
			if got != tc.want {
				t.Errorf("StateOf = %+v, want %+v", got, tc.want)
			}
		})
	}
	if _, err := StateOf(ctx, s.db, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("StateOf(unknown id): %v, want ErrNotFound", err)
	}
}

// Current and Live leave the erased out by testing deleted_at alone: an
// erased contact must never leave the trash.
func TestAnErasedContactCannotBeRestored(t *testing.T) {
	s, _ := newStore(t)
	ids := contactsInEachState(t, s)
	if err := s.RestoreContact(ctx, ids["erased"]); !errors.Is(err, ErrNotFound) {
		t.Fatalf("restore an erased contact: %v, want ErrNotFound", err)
	}
	if in, err := InScope(ctx, s.db, ids["erased"], Current); err != nil || in {
		t.Fatalf("after a restore attempt the erased contact is current: %v, %v", in, err)
	}
	if err := s.RestoreContact(ctx, ids["in the trash"]); err != nil {
		t.Fatalf("restore a contact in the trash: %v", err)
	}
	if in, err := InScope(ctx, s.db, ids["in the trash"], Live); err != nil || !in {
		t.Fatalf("a restored contact is not live: %v, %v", in, err)
	}
}

func TestFindByEmailFindsPastAddressesAndPrefersContactsOutOfTheTrash(t *testing.T) {
	s, _ := newStore(t)
	trashed := mustCreate(t, s, Contact{GivenName: "Ancienne", Emails: []Email{{Address: "commune@exemple.test"}}})
	if err := s.DeleteContact(ctx, trashed); err != nil {
		t.Fatal(err)
	}
	current := mustCreate(t, s, Contact{GivenName: "Actuelle", Emails: []Email{{Address: "commune@exemple.test"}}})
	if got, err := FindByEmail(ctx, s.db, " Commune@Exemple.test ", Held); err != nil || got != current {
		t.Fatalf("FindByEmail = %d, %v, want %d (not in the trash first)", got, err, current)
	}
	if got, err := FindByEmail(ctx, s.db, "commune@exemple.test", Held); err != nil || got != current {
		t.Fatalf("FindByEmail = %d, %v", got, err)
	}

	moved := mustCreate(t, s, Contact{GivenName: "Déménagée", Emails: []Email{{Address: "avant@exemple.test"}}})
	c, err := s.Contact(ctx, moved)
	if err != nil {
		t.Fatal(err)
	}
	c.Emails = []Email{{Address: "apres@exemple.test"}}
	if err := s.UpdateContact(ctx, *c); err != nil {
		t.Fatal(err)
	}
	if got, err := FindByEmail(ctx, s.db, "avant@exemple.test", Held); err != nil || got != moved {
		t.Fatalf("FindByEmail(past address) = %d, %v, want %d", got, err, moved)
	}
	if _, err := FindByEmail(ctx, s.db, "personne@exemple.test", Held); !errors.Is(err, ErrNotFound) {
		t.Fatalf("FindByEmail(unknown): %v, want ErrNotFound", err)
	}
}
