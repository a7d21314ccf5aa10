package privacy

import (
	"slices"
	"testing"
)

// A campaign (Consented) and a renewal (ToRenew) process only live
// contacts (crm.Live): a restricted (Art. 18(1)), archived or trashed
// person with a valid grant is neither mailed nor asked to renew.
func TestCampaignsAndRenewalsSkipContactsThatAreNotLive(t *testing.T) {
	s, c, now := setup(t)
	ids := map[string]int64{}
	for _, name := range []string{"Vivante", "Restreinte", "Archivee", "Corbeille"} {
		ids[name] = contact(t, c, name)
		grant(t, s, ids[name], "newsletter", "email", "grant")
	}
	if err := c.Restrict(ctx, ids["Restreinte"], "Exactitude contestée", ""); err != nil {
		t.Fatal(err)
	}
	if err := c.Archive(ctx, ids["Archivee"], "Litige possible"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteContact(ctx, ids["Corbeille"]); err != nil {
		t.Fatal(err)
	}
	all := []int64{ids["Vivante"], ids["Restreinte"], ids["Archivee"], ids["Corbeille"]}
	got, err := s.Consented(ctx, "newsletter", "email", all)
	if err != nil || !slices.Equal(got, []int64{ids["Vivante"]}) {
		t.Fatalf("consented: %v, %v; want only the live contact %d", got, err, ids["Vivante"])
	}
	*now = now.AddDate(2, 11, 10) // the 36-month grants expire within 30 days
	ren, err := s.ToRenew(ctx, 30)
	if err != nil {
		t.Fatal(err)
	}
	if len(ren) != 1 || ren[0].ContactID != ids["Vivante"] || ren[0].Name != "Vivante" {
		t.Fatalf("to renew: %+v; want only the live contact, named", ren)
	}
}
