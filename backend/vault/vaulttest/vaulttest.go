// Package vaulttest opens real encrypted vaults for other packages' tests,
// with cheap key derivation so tests stay fast.
package vaulttest

import (
	"context"
	"database/sql"
	"testing"

	"carnet/backend/vault"
)

// Passphrase opens the vaults Vault and DB create.
const Passphrase = "test passphrase"

// StrongPassphrase and StrongPassphrase2 pass the strength rule with room
// to spare (issue 16): for tests that set or change a passphrase.
const (
	StrongPassphrase  = "Ormeau vif, glacier pourpre 1987"
	StrongPassphrase2 = "Lanterne brisée sur le quai 4712"
)

// FastKDF costs milliseconds; the defaults are measured by make bench.
var FastKDF = vault.KDFParams{Time: 1, MemKiB: 8 * 1024, Threads: 1}

// DB creates a vault in a temporary folder and returns its open database,
// closed when the test ends.
func DB(t testing.TB) *sql.DB {
	t.Helper()
	_, db := Vault(t)
	return db
}

// Vault is DB with the vault itself, for tests that look at its files.
func Vault(t testing.TB) (*vault.Vault, *sql.DB) {
	t.Helper()
	v, err := vault.Open(t.TempDir(), vault.Options{KDF: FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	if _, err := v.Create(context.Background(), Passphrase); err != nil {
		t.Fatal(err)
	}
	db, err := v.DB()
	if err != nil {
		t.Fatal(err)
	}
	return v, db
}
