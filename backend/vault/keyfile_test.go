package vault

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A key file is read before anything proves it genuine, and each wrapped
// key names its own key-derivation costs: the bounds keep a damaged or
// planted file from making an unlock take minutes or gigabytes.
func TestKeyFileKDFBounds(t *testing.T) {
	w := func(p KDFParams) wrappedKey {
		return wrappedKey{KDF: p, Salt: make([]byte, 16), Nonce: make([]byte, 12), Box: make([]byte, dataKeyLen+16)}
	}
	for _, p := range []KDFParams{DefaultKDF, fastKDF, {Time: maxKDFTime, MemKiB: maxKDFMemKiB, Threads: maxKDFThreads}} {
		if k := w(p); k.validate() != nil {
			t.Fatalf("%+v refused: %v", p, k.validate())
		}
	}
	for _, p := range []KDFParams{
		{Time: 0, MemKiB: 8 * 1024, Threads: 1},
		{Time: maxKDFTime + 1, MemKiB: 8 * 1024, Threads: 1},
		{Time: 1, MemKiB: 8*1024 - 1, Threads: 1},
		{Time: 1, MemKiB: maxKDFMemKiB + 1, Threads: 1},
		{Time: 1, MemKiB: 8 * 1024, Threads: 0},
		{Time: 1, MemKiB: 8 * 1024, Threads: maxKDFThreads + 1},
	} {
		if k := w(p); k.validate() == nil {
			t.Fatalf("%+v accepted", p)
		}
	}
	// The costliest file allowed asks for at most 1 GiB and about 25 times
	// the default's work.
	if maxKDFMemKiB > 1024*1024 || maxKDFTime*maxKDFMemKiB > 26*DefaultKDF.Time*DefaultKDF.MemKiB {
		t.Fatalf("bounds allow %d passes over %d KiB", maxKDFTime, maxKDFMemKiB)
	}

	// A file asking for more, with a right checksum, is damaged: Status and
	// Unlock say so without deriving anything, and change nothing.
	ctx := context.Background()
	dir, _ := createTest(t)
	for _, name := range []string{keyFileName, keyBackupName} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		b = withRightSum(bytes.Replace(b, []byte(`"memory_kib": 8192`), []byte(`"memory_kib": 4194304`), 1))
		os.WriteFile(filepath.Join(dir, name), b, 0o600)
	}
	v := openTest(t, dir)
	if st := v.Status(); !errors.Is(st.Problem, ErrKeyFileDamaged) {
		t.Fatalf("status %+v, want ErrKeyFileDamaged", st)
	}
	if err := v.Unlock(ctx, pass); !errors.Is(err, ErrKeyFileDamaged) {
		t.Fatalf("Unlock: %v, want ErrKeyFileDamaged", err)
	}
}
