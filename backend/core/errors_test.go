package core_test

import (
	"fmt"
	"testing"

	"github.com/ncruces/go-sqlite3"

	"carnet/backend/core"
)

func TestErrorsAfterTheFactAndABusyDatabaseHaveMessages(t *testing.T) {
	for err, key := range map[error]string{
		fmt.Errorf("crm: save segment: %w", sqlite3.BUSY):                  "error.busy",
		fmt.Errorf("%w: %w", core.ErrErasureUnfinished, sqlite3.BUSY):      "error.erasure_unfinished",
		fmt.Errorf("%w: %w", core.ErrNotRecorded, fmt.Errorf("disk full")): "error.not_recorded",
	} {
		if got := core.Describe(err).Key; got != key {
			t.Errorf("%v: key %s, want %s", err, got, key)
		}
	}
}
