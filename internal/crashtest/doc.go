// Package crashtest holds Carnet's crash-safety harness: it kills a child
// process with SIGKILL at random moments during the vault's heaviest writes
// (a bulk contacts import, a mail sync from a real Dovecot, invoice issuing
// with the consent ledger and the audit log), then opens the vault again and
// checks that it is sound and that every write the child saw committed is
// there, whole. Everything is in its tests; see crash_test.go.
package crashtest
