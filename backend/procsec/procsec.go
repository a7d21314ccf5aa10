// Package procsec hardens the Carnet process before it handles any key:
// no core dump may write the data key, the passphrase or decrypted pages to
// disk, and on Linux no other process of the same user may read its memory
// through ptrace or /proc/<pid>/mem.
package procsec
