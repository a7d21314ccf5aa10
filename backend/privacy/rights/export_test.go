package rights

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
)

// SealErasureForTest writes a record whose only erasure entry is the one
// given, sealed under the vault's own key: what an attacker who had the key
// could write, to prove entries are checked after authentication too.
func SealErasureForTest(ctx context.Context, db *sql.DB, dir, vaultID string, contactID int64, createdAt string) error {
	key, _, err := openRecordKey(ctx, db, true)
	if err != nil {
		return err
	}
	vr := &vaultRecord{
		Erasures:   []recordedErasure{{Certificate: "E-2099-0001", ErasedAt: "2099-01-01T00:00:00Z", ContactID: contactID, CreatedAt: createdAt}},
		Suppressed: []recordedSuppression{},
	}
	s, err := key.seal(vaultID, vr)
	if err != nil {
		return err
	}
	b, err := json.Marshal(recordFile{Format: recordFormat, Vaults: map[string][]sealedSection{vaultID: {s}}})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, RecordFile), b, 0o600)
}
