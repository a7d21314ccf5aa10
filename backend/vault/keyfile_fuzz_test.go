package vault

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// FuzzKeyFile puts arbitrary bytes in a vault's carnet.keys (and, as mode
// chooses, the real key file or the same bytes in carnet.keys.bak) next to
// a real database. Decoding and Status must never panic; a folder with no
// readable key file reports ErrKeyFileDamaged; every decoded file has
// usable parameters. Unlock runs when a copy holds the real wrapped key
// (every other wrapped key fails to open, by AES-GCM's authentication, at
// the price of a key derivation): it must open with the passphrase, and
// fail with a wrong one leaving every file byte-identical but the tries
// file, which records the failure. Unlock depends
// only on which copies decode, which hold the real key and whether they
// agree, so it runs once per such case per process: the loop stays at
// decoding speed.
//
// With resum, the bytes' checksum is first made right (over what they
// decode to), so the fuzzer gets past it to the parameters and the wrapped
// keys; without, the bytes go in as they are.
func FuzzKeyFile(f *testing.F) {
	ctx := context.Background()
	keys, dek := fixedKeyFile(f)
	good, err := keys.encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, false, uint8(0))
	f.Add(good, false, uint8(2|4))
	f.Add(good[:len(good)/2], false, uint8(1))
	for _, edit := range [][2]string{
		{`"time": 1`, `"time": 0`},
		{`"time": 1`, `"time": 4294967295`},
		{`"memory_kib": 8192`, `"memory_kib": 4294967295`},
		{`"threads": 1`, `"threads": 255`},
		{`"version": 1`, `"version": 2`},
		{`"format"`, `"extra": 1, "format"`},
		{`"salt": "`, `"salt": "AAAA`},
		{`"created"`, `"vault_id": "other", "created"`},
	} {
		f.Add(bytes.Replace(good, []byte(edit[0]), []byte(edit[1]), 1), true, uint8(0))
	}
	f.Add([]byte(`{"format":"carnet-keys","version":1,"passphrase":{"salt":null},"sum":""}`), true, uint8(0))
	f.Add([]byte("null"), false, uint8(0))

	// One folder for the whole run: the database opens with the fixed key,
	// the key files are the input's.
	dir := f.TempDir()
	if err := os.WriteFile(filepath.Join(dir, dbFileName), newDatabase(f, dek), 0o600); err != nil {
		f.Fatal(err)
	}
	v, err := Open(dir, Options{KDF: fastKDF})
	if err != nil {
		f.Fatal(err)
	}
	defer v.Close()
	unlocked := map[string]bool{} // the cases Unlock has run for
	f.Fuzz(func(t *testing.T, data []byte, resum bool, mode uint8) {
		if resum {
			data = withRightSum(data)
		}
		if k, err := decodeKeyFile(data); err == nil {
			for _, w := range []wrappedKey{k.Passphrase, k.Recovery} {
				if err := w.validate(); err != nil {
					t.Fatalf("decoded a key file with %v", err)
				}
			}
			again, err := k.encode()
			if err != nil {
				t.Fatal(err)
			}
			if k2, err := decodeKeyFile(again); err != nil || k2.Sum != k.Sum {
				t.Fatalf("a decoded key file, encoded again, does not decode the same: %v", err)
			}
		}

		// mode%3: no backup, the real key file, the same bytes; mode&4: a
		// wrong passphrase.
		copies := [][]byte{data}
		switch mode % 3 {
		case 1:
			copies = append(copies, good)
		case 2:
			copies = append(copies, data)
		}
		write := func(name string, b []byte) {
			// A new file rather than a truncated one: ext4 flushes a file
			// truncated and rewritten (auto_da_alloc), thirty times slower.
			os.Remove(filepath.Join(dir, name))
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		write(keyFileName, copies[0])
		if len(copies) > 1 {
			write(keyBackupName, copies[1])
		} else {
			os.Remove(filepath.Join(dir, keyBackupName))
		}

		st := v.Status()

		// The case Unlock sees: which copies decode, which open with the
		// passphrase, whether they agree; and what it costs.
		wrong := mode&4 != 0
		kase := fmt.Sprint(wrong, len(copies))
		var readable int
		opens, costly := false, false
		var first *keyFile
		for _, c := range copies {
			k, err := decodeKeyFile(c)
			if err != nil {
				kase += "|-"
				continue
			}
			readable++
			if first == nil {
				first = k
			}
			open := k.VaultID == keys.VaultID && sameWrap(k.Passphrase, keys.Passphrase)
			kase += fmt.Sprint("|", open, k.Sum == first.Sum)
			// Unlock derives a key for each copy until one opens, each
			// with its own parameters: seconds for the costliest allowed.
			if k.Passphrase.KDF != fastKDF && (wrong || !opens) {
				costly = true
			}
			opens = opens || open
		}
		if st.State != StateLocked || (readable > 0) != (st.Problem == nil) ||
			(readable == 0 && !errors.Is(st.Problem, ErrKeyFileDamaged)) {
			t.Fatalf("status %+v with %d readable copies of the key file", st, readable)
		}
		if !opens || costly || unlocked[kase] {
			return
		}
		unlocked[kase] = true

		before := snapshot(t, dir)
		passphrase := pass
		if wrong {
			passphrase = "not the passphrase"
		}
		err = v.Unlock(ctx, passphrase)
		var se *SecretError
		switch {
		case !wrong && err != nil:
			t.Fatalf("Unlock with a key file that opens: %v", err)
		case !wrong:
			if _, err := v.DB(); err != nil {
				t.Fatalf("unlocked without a database: %v", err)
			}
			v.Lock()
		case !errors.As(err, &se) || !errors.Is(err, ErrWrongPassphrase):
			t.Fatalf("Unlock with a wrong passphrase: %v", err)
		default:
			after := snapshot(t, dir)
			delete(before, filepath.Join(dir, lockFileName))
			delete(after, filepath.Join(dir, lockFileName))
			sameFilesButTries(t, dir, before, after, 1)
			v.thr.reset() // the next case starts with every try
		}
	})
}

func sameWrap(a, b wrappedKey) bool {
	return a.KDF == b.KDF && bytes.Equal(a.Salt, b.Salt) && bytes.Equal(a.Nonce, b.Nonce) && bytes.Equal(a.Box, b.Box)
}

// fixedKeyFile is a key file made as Create makes one, with the cheap
// parameters, but from fixed randomness: the fuzzing processes each build
// it and agree on its bytes.
func fixedKeyFile(tb testing.TB) (*keyFile, []byte) {
	tb.Helper()
	dek := bytes.Repeat([]byte{0x42}, dataKeyLen)
	k := &keyFile{Format: keyFileFormat, Version: keyFileVersion, VaultID: hex.EncodeToString(make([]byte, 16)),
		Created: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	for i, w := range []struct {
		dst    *wrappedKey
		role   string
		secret string
	}{{&k.Passphrase, "passphrase", pass}, {&k.Recovery, "recovery", normalizeRecoveryCode("ABCD-EFGH-JKMN-PQRS-TVWX-YZ23")}} {
		*w.dst = wrappedKey{KDF: fastKDF, Salt: bytes.Repeat([]byte{byte(i + 1)}, 16), Nonce: bytes.Repeat([]byte{byte(i + 9)}, 12)}
		kek := deriveKEK([]byte(w.secret), w.dst.Salt, fastKDF)
		gcm, err := newGCM(kek)
		if err != nil {
			tb.Fatal(err)
		}
		w.dst.Box = gcm.Seal(nil, w.dst.Nonce, dek, aad(k.VaultID, w.role, fastKDF))
	}
	return k, dek
}

// newDatabase makes a vault database under dek, as Create does, and
// returns its file.
func newDatabase(tb testing.TB, dek []byte) []byte {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(tb.TempDir(), dbFileName)
	db, err := openDB(ctx, path, bytes.Clone(dek))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		tb.Fatal(err)
	}
	if _, err := migrate(ctx, db, time.Now()); err != nil {
		tb.Fatal(err)
	}
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// sumField is the checksum as it appears in a key file.
var sumField = regexp.MustCompile(`"sum"\s*:\s*"[^"]*"`)

// withRightSum replaces the "sum" in b with the checksum of what b decodes
// to, leaving the rest of the bytes as they are.
func withRightSum(b []byte) []byte {
	var k keyFile
	if json.Unmarshal(b, &k) != nil {
		return b
	}
	sum, err := k.checksum()
	if err != nil {
		return b
	}
	return sumField.ReplaceAllLiteral(b, []byte(`"sum": "`+sum+`"`))
}
