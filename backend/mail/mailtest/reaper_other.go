//go:build !linux

package mailtest

// setSubreaper does nothing here: killed Dovecot processes are left to init.
func setSubreaper() {}
