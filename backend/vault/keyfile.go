package vault

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"time"

	"golang.org/x/crypto/argon2"

	"carnet/backend/fsutil"
)

// The key file ("sidecar") holds the data key only in wrapped form: once
// under a key derived from the passphrase, once under a key derived from the
// recovery code. Changing the passphrase rewrites this small file, never the
// database. It is written atomically and copied to a backup next to it.

const (
	keyFileFormat  = "carnet-keys"
	keyFileVersion = 1
	dataKeyLen     = 32
)

// KDFParams are the Argon2id costs stored with each wrapped key, so that
// older files keep opening when the defaults change.
type KDFParams struct {
	Time    uint32 `json:"time"`
	MemKiB  uint32 `json:"memory_kib"`
	Threads uint8  `json:"threads"`
}

// DefaultKDF costs about 0.3 s on a two-core laptop, so unlocking (key
// derivation, opening, migrations) takes about half a second: see make bench.
var DefaultKDF = KDFParams{Time: 5, MemKiB: 128 * 1024, Threads: 2}

type wrappedKey struct {
	KDF   KDFParams `json:"kdf"`
	Salt  []byte    `json:"salt"`
	Nonce []byte    `json:"nonce"`
	Box   []byte    `json:"box"`
}

type keyFile struct {
	Format     string     `json:"format"`
	Version    int        `json:"version"`
	VaultID    string     `json:"vault_id"`
	Created    time.Time  `json:"created"`
	Passphrase wrappedKey `json:"passphrase"`
	Recovery   wrappedKey `json:"recovery"`
	// Anchor holds the heads of the database's hash chains, sealed with
	// the data key (see anchor.go). Absent in key files written before it
	// existed.
	Anchor *sealedAnchor `json:"anchor,omitempty"`
	// Sum is the SHA-256 of the file encoded with Sum empty. It tells a
	// damaged file (use the backup) from a wrong passphrase.
	Sum string `json:"sum"`
}

func (k *keyFile) checksum() (string, error) {
	c := *k
	c.Sum = ""
	b, err := json.Marshal(&c)
	if err != nil {
		return "", err
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:]), nil
}

func (k *keyFile) encode() ([]byte, error) {
	sum, err := k.checksum()
	if err != nil {
		return nil, fmt.Errorf("vault: encode key file: %w", err)
	}
	k.Sum = sum
	b, err := json.MarshalIndent(k, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("vault: encode key file: %w", err)
	}
	return append(b, '\n'), nil
}

func decodeKeyFile(b []byte) (*keyFile, error) {
	var k keyFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&k); err != nil {
		return nil, fmt.Errorf("vault: decode key file: %w", err)
	}
	if k.Format != keyFileFormat {
		return nil, fmt.Errorf("vault: key file format %q", k.Format)
	}
	if k.Version != keyFileVersion {
		return nil, fmt.Errorf("vault: key file version %d", k.Version)
	}
	sum, err := k.checksum()
	if err != nil || sum != k.Sum {
		return nil, errors.New("vault: key file checksum mismatch")
	}
	for _, w := range []*wrappedKey{&k.Passphrase, &k.Recovery} {
		if err := w.validate(); err != nil {
			return nil, err
		}
	}
	if a := k.Anchor; a != nil && (len(a.Nonce) != 12 || len(a.Box) < 16 || len(a.Box) > maxAnchorBox) {
		return nil, errors.New("vault: key file has a malformed anchor")
	}
	return &k, nil
}

// Bounds on the key-derivation costs a key file may ask for. A file is
// only ever written with DefaultKDF (or the tests' cheaper one), but it is
// read before anything proves it genuine: the bounds keep what a damaged
// or planted file can demand to about 25 times the default's work (seconds,
// not minutes) and 1 GiB of memory, while leaving room to raise the
// defaults.
const (
	maxKDFTime    = 16
	maxKDFMemKiB  = 1024 * 1024
	maxKDFThreads = 16
)

func (w *wrappedKey) validate() error {
	p := w.KDF
	switch {
	case p.Time < 1 || p.Time > maxKDFTime, p.MemKiB < 8*1024 || p.MemKiB > maxKDFMemKiB, p.Threads < 1 || p.Threads > maxKDFThreads:
		return fmt.Errorf("vault: key file has unusable KDF parameters %+v", p)
	case len(w.Salt) < 16, len(w.Nonce) != 12, len(w.Box) != dataKeyLen+16:
		return errors.New("vault: key file has a malformed wrapped key")
	}
	return nil
}

// aad binds a wrapped key to its vault, its role and its parameters, so that
// swapping parts between files or weakening the KDF is detected.
func aad(vaultID, role string, p KDFParams) []byte {
	return fmt.Appendf(nil, "%s/%d|%s|%s|%d/%d/%d", keyFileFormat, keyFileVersion, vaultID, role, p.Time, p.MemKiB, p.Threads)
}

// deriveKEK runs Argon2id. Its memory (128 MiB with the defaults) is
// garbage once the key is out, but the collector would reclaim it only when
// the heap reached twice that: it goes back to the system at once, or an
// unlocked Carnet would grow to some 300 MB resident before its first
// collection.
func deriveKEK(secret []byte, salt []byte, p KDFParams) []byte {
	kek := argon2.IDKey(secret, salt, p.Time, p.MemKiB, p.Threads, 32)
	debug.FreeOSMemory()
	return kek
}

func wrap(dek, secret []byte, vaultID, role string, p KDFParams) (wrappedKey, error) {
	w := wrappedKey{KDF: p, Salt: make([]byte, 16), Nonce: make([]byte, 12)}
	rand.Read(w.Salt)
	rand.Read(w.Nonce)
	kek := deriveKEK(secret, w.Salt, p)
	defer clear(kek)
	gcm, err := newGCM(kek)
	if err != nil {
		return w, err
	}
	w.Box = gcm.Seal(nil, w.Nonce, dek, aad(vaultID, role, p))
	return w, nil
}

// sealKeys wraps dek in k under the passphrase and under the recovery code.
// The copies of the secrets it makes are zeroed once derived.
func sealKeys(k *keyFile, dek []byte, passphrase, recoveryCode string, p KDFParams) error {
	pass := []byte(passphrase)
	defer clear(pass)
	code := []byte(normalizeRecoveryCode(recoveryCode))
	defer clear(code)
	var err error
	if k.Passphrase, err = wrap(dek, pass, k.VaultID, "passphrase", p); err != nil {
		return err
	}
	k.Recovery, err = wrap(dek, code, k.VaultID, "recovery", p)
	return err
}

// secretFor is the role and the secret to try for what the user typed: the
// passphrase as it is, or the recovery code in its canonical form.
func secretFor(typed string, recovery bool) (role string, secret []byte) {
	if !recovery {
		return "passphrase", []byte(typed)
	}
	code := normalizeRecoveryCode(typed)
	if code == "" {
		// Not even shaped like a code: no key derivation, but it still
		// counts as a try.
		code = "\x00invalid"
	}
	return "recovery", []byte(code)
}

// open returns the data key wrapped for role, or ok=false when the secret
// is wrong.
func (k *keyFile) open(role string, secret []byte) (dek []byte, ok bool) {
	w := k.Passphrase
	if role == "recovery" {
		w = k.Recovery
	}
	return unwrap(w, secret, k.VaultID, role)
}

// unwrap returns the data key, or ok=false when the secret is wrong.
func unwrap(w wrappedKey, secret []byte, vaultID, role string) (dek []byte, ok bool) {
	kek := deriveKEK(secret, w.Salt, w.KDF)
	defer clear(kek)
	gcm, err := newGCM(kek)
	if err != nil {
		return nil, false
	}
	dek, err = gcm.Open(nil, w.Nonce, w.Box, aad(vaultID, role, w.KDF))
	if err != nil {
		return nil, false
	}
	return dek, true
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("vault: cipher: %w", err)
	}
	return cipher.NewGCM(block)
}

// keyFiles reads the key file, falling back to its backup when the main copy
// is missing or damaged. It returns the distinct readable copies (main
// first) so a caller can try each: after a crash in the middle of a
// passphrase change, the two may wrap the key under different passphrases.
// healthy is false unless the main copy and its backup are both readable
// and identical; the caller then rewrites them after a successful unlock.
func (v *Vault) keyFiles() (found []*keyFile, healthy bool, err error) {
	var sawFile bool
	readable := 0
	for _, name := range []string{v.path(keyFileName), v.path(keyBackupName)} {
		b, err := os.ReadFile(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		sawFile = true
		if err != nil {
			continue
		}
		k, err := decodeKeyFile(b)
		if err != nil {
			continue
		}
		readable++
		if len(found) == 1 && found[0].Sum == k.Sum {
			continue
		}
		found = append(found, k)
	}
	switch {
	case len(found) > 0:
		return found, readable == 2 && len(found) == 1, nil
	case sawFile:
		return nil, false, ErrKeyFileDamaged
	default:
		return nil, false, ErrKeyFileMissing
	}
}

// writeKeyFile writes the key file, then its backup, each atomically.
func (v *Vault) writeKeyFile(k *keyFile) error {
	b, err := k.encode()
	if err != nil {
		return err
	}
	for _, name := range []string{v.path(keyFileName), v.path(keyBackupName)} {
		if err := fsutil.WriteFileAtomic(name, b, privateFileMode); err != nil {
			return fmt.Errorf("vault: write key file: %w", err)
		}
	}
	return nil
}
