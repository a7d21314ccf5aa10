package app

import (
	"context"

	"carnet/backend/core"
	"carnet/backend/i18n"
	"carnet/backend/privacy"
)

// Register is bound to the frontend: what shows the processing is
// accountable — the register of processing activities, the audit log,
// the hash chains and the privacy overview.
type Register struct {
	vault   *Vault
	i18n    *i18n.Bundle
	lang    func() string
	dialogs func() Dialogs
}

// Export writes the record of processing activities (Art. 30) where the
// user chooses; it returns the file, or "" if the dialog was cancelled.
func (s *Register) Export(format string) (_ string, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (string, error) {
		return c.ExportRegister(ctx, format, saveDialog(ctx, s.dialogs, s.i18n, s.lang, "register.save_title"))
	})
}

// Audit lists audit log entries, newest first.
func (s *Register) Audit(q privacy.AuditQuery) (_ []privacy.AuditEntry, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) ([]privacy.AuditEntry, error) { return c.Audit(ctx, q) })
}

// VerifyChains recomputes the consent ledger's and the audit log's chains.
func (s *Register) VerifyChains() (_ core.Chains, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (core.Chains, error) { return c.VerifyChains(ctx) })
}

// Dashboard gathers the privacy overview in one call.
func (s *Register) Dashboard() (_ core.Dashboard, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (core.Dashboard, error) { return c.Dashboard(ctx) })
}
