package vault

import (
	"context"
	"testing"
)

// BenchmarkUnlock is what the user waits for at the unlock screen: Argon2id
// with the default costs, opening the encrypted database, checking it is
// Carnet's and applying (no) migrations. Target: ≤ 1 s.
func BenchmarkUnlock(b *testing.B) {
	ctx := context.Background()
	v, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer v.Close()
	if _, err := v.Create(ctx, "benchmark passphrase"); err != nil {
		b.Fatal(err)
	}
	v.Lock()
	b.ResetTimer()
	for b.Loop() {
		if err := v.Unlock(ctx, "benchmark passphrase"); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		v.Lock()
		b.StartTimer()
	}
}

// BenchmarkDeriveKey is Argon2id alone with the default costs.
func BenchmarkDeriveKey(b *testing.B) {
	salt := make([]byte, 16)
	for b.Loop() {
		deriveKEK([]byte("benchmark passphrase"), salt, DefaultKDF)
	}
}

// BenchmarkOpenWithRawKey opens the database with the data key, as at
// unlock once the key is unwrapped: connection, key, pragmas, header check,
// migration bookkeeping.
func BenchmarkOpenWithRawKey(b *testing.B) {
	ctx := context.Background()
	v, err := Open(b.TempDir(), Options{KDF: fastKDF})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := v.Create(ctx, "benchmark passphrase"); err != nil {
		b.Fatal(err)
	}
	dek := append([]byte(nil), v.dek...)
	path := v.path(dbFileName)
	v.Close()
	b.ResetTimer()
	for b.Loop() {
		db, err := openDB(ctx, path, dek)
		if err != nil {
			b.Fatal(err)
		}
		if err := checkApplicationID(ctx, db); err != nil {
			b.Fatal(err)
		}
		if _, err := migrate(ctx, db, v.opts.Now()); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}
