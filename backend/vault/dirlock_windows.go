//go:build windows

package vault

import (
	"errors"
	"fmt"
	"path/filepath"
	"syscall"
)

// dirLock holds carnet.lock open with no sharing at all: a second process
// opening it gets a sharing violation. Windows closes the handle when the
// process dies, so a crash never leaves a stale lock behind.
type dirLock struct{ h syscall.Handle }

const errorSharingViolation syscall.Errno = 32

func lockDir(dir string) (*dirLock, error) {
	name, err := syscall.UTF16PtrFromString(filepath.Join(dir, lockFileName))
	if err != nil {
		return nil, fmt.Errorf("vault: lock file: %w", err)
	}
	h, err := syscall.CreateFile(name, syscall.GENERIC_READ|syscall.GENERIC_WRITE, 0, nil, syscall.OPEN_ALWAYS, syscall.FILE_ATTRIBUTE_NORMAL, 0)
	if errors.Is(err, errorSharingViolation) {
		return nil, ErrInUse
	}
	if err != nil {
		return nil, fmt.Errorf("vault: lock folder: %w", err)
	}
	return &dirLock{h: h}, nil
}

func (l *dirLock) release() error {
	if l == nil || l.h == 0 {
		return nil
	}
	err := syscall.CloseHandle(l.h)
	l.h = 0
	return err
}
