package rights_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carnet/backend/privacy"
	"carnet/backend/privacy/rights"
)

// A record found damaged when it is written again is said in the audit
// log under the actor and at the time the caller gives, not a made-up
// "carnet" at the computer's clock.
func TestSyncRecordNamesTheCallersActorAndClock(t *testing.T) {
	r := newRestorable(t, true)
	path := filepath.Join(r.dir, rights.RecordFile)
	must(t, rights.SyncRecord(ctx, r.db(t), r.dir, r.id, "Marie (app)", time.Now()))
	must(t, os.WriteFile(path, []byte(`{"format": "carnet-erasures/1", "vaults": {"`+r.id+`": [{"key": "x", "sealed": "AAAA"}]}}`), 0o600))
	at := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	must(t, rights.SyncRecord(ctx, r.db(t), r.dir, r.id, "Marie Dupont (app, OS user marie)", at))
	entries, err := privacy.New(r.db(t), nil).Audit(ctx, privacy.AuditQuery{Action: "erasure_record.rejected"})
	must(t, err)
	var found bool
	for _, e := range entries {
		if e.Action != "erasure_record.rejected" {
			continue
		}
		found = true
		if e.Actor != "Marie Dupont (app, OS user marie)" || !strings.HasPrefix(e.At, "2031-03-04") {
			t.Errorf("entry by %q at %q", e.Actor, e.At)
		}
	}
	if !found {
		t.Fatal("no erasure_record.rejected entry")
	}
}
