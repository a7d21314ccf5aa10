package vault

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"

	"lukechampine.com/adiantum"
)

// pageSize is the encryption block of the adiantum VFS.
const pageSize = 4096

// ScanHit is a needle found in the decrypted vault files.
type ScanHit struct {
	File   string `json:"file"`
	Offset int64  `json:"offset"`
	Needle string `json:"needle"`
}

// ScanDecrypted checkpoints the write-ahead log, then decrypts every block
// of the database and WAL files in memory and reports where any needle
// appears (ignoring ASCII case), free pages included. It proves an erasure
// left nothing behind; nothing decrypted is written anywhere.
func (v *Vault) ScanDecrypted(ctx context.Context, needles []string) ([]ScanHit, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.db == nil {
		return nil, ErrLocked
	}
	if _, err := v.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return nil, fmt.Errorf("vault: scan: %w", err)
	}
	cipher := adiantum.New(v.dek)
	var hits []ScanHit
	for _, name := range []string{dbFileName, dbFileName + "-wal"} {
		data, err := os.ReadFile(v.path(name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("vault: scan: %w", err)
		}
		var tweak [8]byte
		for off := 0; off+pageSize <= len(data); off += pageSize {
			binary.LittleEndian.PutUint64(tweak[:], uint64(off))
			page := bytes.ToLower(cipher.Decrypt(data[off:off+pageSize], tweak[:]))
			for _, n := range needles {
				if i := bytes.Index(page, bytes.ToLower([]byte(n))); i >= 0 {
					hits = append(hits, ScanHit{File: name, Offset: int64(off + i), Needle: n})
				}
			}
		}
	}
	return hits, nil
}
