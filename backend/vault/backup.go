package vault

import (
	"bufio"
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"time"

	"carnet/backend/fsutil"
)

// A backup file is one self-contained, authenticated copy of the vault:
//
//	magic (8) | header length (4, big-endian) | header (JSON) | database | MAC (32)
//
// The database is a fresh copy (VACUUM INTO) encrypted with Adiantum under a
// key drawn for this backup alone, so two backups of the same data share no
// ciphertext and cannot be compared page by page. The header carries the
// vault's key file as it was (the vault key wrapped by the passphrase and by
// the recovery code) and the backup key wrapped by the vault key: the
// backup opens anywhere with the passphrase or the recovery code in force
// when it was made. The MAC, HMAC-SHA-256 under a key derived from the
// backup key, covers every byte before it: a file altered or cut short is
// refused before anything is restored. The header holds no personal data.
const (
	backupMagic      = "CRNTBAK1"
	backupFormat     = "carnet-backup"
	backupVersion    = 1
	maxBackupHeader  = 1 << 20
	backupMACLen     = sha256.Size
	backupWrapInfo   = "carnet backup key wrap v1"
	backupMACInfo    = "carnet backup mac v1"
	BackupExtension  = ".carnetbackup"
	backupTempPrefix = "carnet-backup-"
)

// Errors about backup files. A wrong passphrase is a *SecretError, as at
// unlock.
var (
	ErrNotBackup      = errors.New("vault: not a Carnet backup file")
	ErrBackupDamaged  = errors.New("vault: the backup file is damaged or was altered")
	ErrBackupTooNew   = errors.New("vault: the backup was written by a newer Carnet")
	ErrBackupRunning  = errors.New("vault: a backup is already being written")
	ErrRestoreRunning = errors.New("vault: a restore is already running")
)

// BackupInfo is what a backup file says about itself before it is opened.
// It is not authenticated until the MAC is checked (Restore does).
type BackupInfo struct {
	Path       string    `json:"path"`
	Created    time.Time `json:"created"`
	AppVersion string    `json:"appVersion"`
	VaultID    string    `json:"vaultId"`
	Size       int64     `json:"size"`
}

type backupHeader struct {
	Format     string          `json:"format"`
	Version    int             `json:"version"`
	Created    time.Time       `json:"created"`
	AppVersion string          `json:"app_version"`
	Schema     int             `json:"schema"`
	Keys       json.RawMessage `json:"keys"` // the vault's key file, as encoded
	KeyNonce   []byte          `json:"key_nonce"`
	KeyBox     []byte          `json:"key_box"` // backup key sealed by the vault key
	DBSize     int64           `json:"db_size"`
}

// backupAAD binds the wrapped backup key to its vault and its moment.
func backupAAD(vaultID string, created time.Time) []byte {
	return fmt.Appendf(nil, "%s/%d|%s|%s", backupFormat, backupVersion, vaultID, created.UTC().Format(time.RFC3339Nano))
}

func subkey(key []byte, info string) []byte {
	k, err := hkdf.Key(sha256.New, key, nil, info, 32)
	if err != nil {
		panic(err) // only for lengths HKDF cannot give; 32 always works
	}
	return k
}

func backupMAC(backupKey []byte) hash.Hash {
	key := subkey(backupKey, backupMACInfo)
	defer clear(key) // hmac.New keeps its own padded copies, not key
	return hmac.New(sha256.New, key)
}

// Backup writes a backup of the open vault to path, atomically: the file
// appears complete or not at all. appVersion is recorded in the header.
// The vault stays usable while the copy is taken (it reads one snapshot).
func (v *Vault) Backup(ctx context.Context, path, appVersion string) (BackupInfo, error) {
	v.mu.Lock()
	if v.db == nil || v.mustChange {
		v.mu.Unlock()
		return BackupInfo{}, ErrLocked
	}
	db, keys := v.db, v.keys
	vaultKey := append([]byte(nil), v.dek...)
	v.mu.Unlock()
	defer clear(vaultKey)
	if !v.backingUp.TryLock() {
		return BackupInfo{}, ErrBackupRunning
	}
	defer v.backingUp.Unlock()

	backupKey := make([]byte, dataKeyLen)
	rand.Read(backupKey)
	defer clear(backupKey)
	// The copy goes first to a temporary file in the vault folder (it is
	// encrypted like any page of the vault), then into the backup file.
	tmp, err := v.tempName(backupTempPrefix)
	if err != nil {
		return BackupInfo{}, err
	}
	defer removeDB(tmp)
	if err := vacuumInto(ctx, db, tmp, backupKey); err != nil {
		return BackupInfo{}, fmt.Errorf("vault: backup: copy the database: %w", err)
	}
	info, err := sealBackup(ctx, path, appVersion, v.opts.Now().UTC(), keys, vaultKey, backupKey, tmp)
	if err != nil {
		return info, err
	}
	// A backup marks a batch of work: the anchor follows (anchor.go).
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.db == db {
		if err := v.anchorNow(ctx); err != nil {
			return info, err
		}
	}
	return info, nil
}

// sealBackup writes the backup file at path around the database copy in
// dbFile, encrypted under backupKey.
func sealBackup(ctx context.Context, path, appVersion string, created time.Time, keys *keyFile, vaultKey, backupKey []byte, dbFile string) (BackupInfo, error) {
	keyJSON, err := keys.encode()
	if err != nil {
		return BackupInfo{}, err
	}
	h := backupHeader{Format: backupFormat, Version: backupVersion, Created: created, AppVersion: appVersion, Schema: SchemaVersion(), Keys: keyJSON}
	wrapKey := subkey(vaultKey, backupWrapInfo)
	defer clear(wrapKey)
	gcm, err := newGCM(wrapKey)
	if err != nil {
		return BackupInfo{}, err
	}
	h.KeyNonce = make([]byte, gcm.NonceSize())
	rand.Read(h.KeyNonce)
	h.KeyBox = gcm.Seal(nil, h.KeyNonce, backupKey, backupAAD(keys.VaultID, created))
	src, err := os.Open(dbFile)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("vault: backup: %w", err)
	}
	defer src.Close()
	st, err := src.Stat()
	if err != nil {
		return BackupInfo{}, fmt.Errorf("vault: backup: %w", err)
	}
	h.DBSize = st.Size()
	header, err := json.Marshal(&h)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("vault: backup: %w", err)
	}
	size, err := writeBackupFile(ctx, path, header, src, backupKey)
	if err != nil {
		return BackupInfo{}, err
	}
	return BackupInfo{Path: path, Created: created, AppVersion: appVersion, VaultID: keys.VaultID, Size: size}, nil
}

// writeBackupFile writes magic, header, the database from src and the MAC
// to path through a ".partial" file renamed when complete and synced.
func writeBackupFile(ctx context.Context, path string, header []byte, src io.Reader, backupKey []byte) (int64, error) {
	partial := path + ".partial"
	f, err := os.OpenFile(partial, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, privateFileMode)
	if err != nil {
		return 0, fmt.Errorf("vault: backup: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(partial)
		}
	}()
	mac := backupMAC(backupKey)
	w := bufio.NewWriterSize(io.MultiWriter(f, mac), 1<<20)
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(header)))
	w.WriteString(backupMagic)
	w.Write(n[:])
	w.Write(header)
	if _, err := io.Copy(w, ctxReader{ctx, src}); err != nil {
		return 0, fmt.Errorf("vault: backup: write %s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		return 0, fmt.Errorf("vault: backup: write %s: %w", path, err)
	}
	if _, err := f.Write(mac.Sum(nil)); err != nil {
		return 0, fmt.Errorf("vault: backup: write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("vault: backup: sync %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("vault: backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("vault: backup: close %s: %w", path, err)
	}
	if err := os.Rename(partial, path); err != nil {
		return 0, fmt.Errorf("vault: backup: %w", err)
	}
	ok = true
	return st.Size(), fsutil.SyncDir(filepath.Dir(path))
}

// ctxReader stops a long copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// tempName reserves a fresh file name in the vault folder; the file itself
// is removed so that SQLite can create it.
func (v *Vault) tempName(prefix string) (string, error) {
	f, err := os.CreateTemp(v.dir, prefix+"*.tmp")
	if err != nil {
		return "", fmt.Errorf("vault: temporary file: %w", err)
	}
	name := f.Name()
	f.Close()
	return name, os.Remove(name)
}

// removeDB removes a database file and its journals.
func removeDB(name string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(name + suffix)
	}
}

// ReadBackupInfo reads what a backup file says about itself, without any
// secret. It fails with ErrNotBackup for anything else.
func ReadBackupInfo(path string) (BackupInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("vault: backup %s: %w", filepath.Base(path), err)
	}
	defer f.Close()
	h, keys, err := readBackupHeader(f)
	if err != nil {
		return BackupInfo{}, err
	}
	st, err := f.Stat()
	if err != nil {
		return BackupInfo{}, fmt.Errorf("vault: backup: %w", err)
	}
	return BackupInfo{Path: path, Created: h.Created, AppVersion: h.AppVersion, VaultID: keys.VaultID, Size: st.Size()}, nil
}

// readBackupHeader reads and checks the header at the start of r and
// returns it with the key file it carries. r is left at the database.
func readBackupHeader(r io.Reader) (*backupHeader, *keyFile, error) {
	var head [len(backupMagic) + 4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil || string(head[:len(backupMagic)]) != backupMagic {
		return nil, nil, ErrNotBackup
	}
	n := binary.BigEndian.Uint32(head[len(backupMagic):])
	if n == 0 || n > maxBackupHeader {
		return nil, nil, fmt.Errorf("%w: header of %d bytes", ErrBackupDamaged, n)
	}
	raw := make([]byte, n)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrBackupDamaged, err)
	}
	var h backupHeader
	if err := json.Unmarshal(raw, &h); err != nil {
		return nil, nil, fmt.Errorf("%w: header: %v", ErrBackupDamaged, err)
	}
	if h.Format != backupFormat {
		return nil, nil, ErrNotBackup
	}
	if h.Version > backupVersion {
		return nil, nil, ErrBackupTooNew
	}
	if h.Version != backupVersion || h.DBSize <= 0 || len(h.KeyNonce) != 12 || len(h.KeyBox) != dataKeyLen+16 {
		return nil, nil, fmt.Errorf("%w: header fields", ErrBackupDamaged)
	}
	keys, err := decodeKeyFile(h.Keys)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrBackupDamaged, err)
	}
	return &h, keys, nil
}
