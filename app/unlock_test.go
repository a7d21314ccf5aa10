package app

import (
	"testing"

	"carnet/backend/vault"
)

// The unlock screen shows what the vault's throttle decides: the tries
// left, then the pause, whichever form the user tries next.
func TestWrongTriesShowTheTriesLeftThenTheWait(t *testing.T) {
	s, _ := start(t)
	if _, err := s.Vault.Create("long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	s.Vault.Lock()
	for left := vault.FreeTries - 1; left > 0; left-- {
		ue := userErr(t, s.Vault.Unlock("wrong passphrase!"))
		if ue.Key != "error.wrong_passphrase" || ue.Then == nil || ue.Then.Key != "error.tries_left" || ue.Then.Params["count"] != float64(left) {
			t.Fatalf("want %d tries left, got %+v", left, ue)
		}
	}
	ue := userErr(t, s.Vault.UnlockWithRecovery("0000-0000-0000-0000-0000-0000"))
	if ue.Key != "error.wrong_recovery_code" || ue.Then == nil || ue.Then.Key != "error.paused" || ue.Then.Params["seconds"] != float64(vault.FirstPause.Seconds()) {
		t.Fatalf("fifth wrong try: %+v", ue)
	}
	for _, try := range []func() error{
		func() error { return s.Vault.Unlock("long enough passphrase") },
		func() error { return s.Vault.UnlockWithRecovery("0000-0000-0000-0000-0000-0000") },
	} {
		ue := userErr(t, try())
		if secs, _ := ue.Params["seconds"].(float64); ue.Key != "error.paused" || ue.Then != nil || secs < 1 || secs > vault.FirstPause.Seconds() {
			t.Fatalf("during the pause: %+v", ue)
		}
	}
	if st := s.Vault.status(); st.State != "locked" || st.Problem != nil {
		t.Fatalf("status during the pause: %+v", st)
	}
}
