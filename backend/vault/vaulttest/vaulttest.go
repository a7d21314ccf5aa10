// Package vaulttest opens real encrypted vaults for other packages' tests,
// with cheap key derivation so tests stay fast.
package vaulttest

import (
	"context"
	"database/sql"
	"testing"

	"carnet/backend/vault"
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
	if _, err := v.Create(context.Background(), "test passphrase"); err != nil {
		t.Fatal(err)
	}
	db, err := v.DB()
	if err != nil {
		t.Fatal(err)
	}
	return v, db
}
