package app

import (
	"log/slog"

	"carnet/backend/i18n"
	"carnet/backend/privacy"
	"carnet/backend/settings"
)

// Privacy is bound to the frontend: the data subjects' rights, retention
// and breaches, until they move to bound services of their own. Consents,
// requests and the register are on Consents, Requests and Register.
type Privacy struct {
	vault   *Vault
	i18n    *i18n.Bundle
	lang    func() string
	dialogs func() Dialogs
}

func (p *Privacy) words() privacy.Words {
	lang := p.lang()
	return func(key string) string { return p.i18n.T(lang, key, nil) }
}

// actor is how the user is named in the audit log and the ledger.
func (a *Vault) actor() string {
	db, err := a.db()
	if err != nil {
		return "?"
	}
	pr, err := privacy.LoadProfile(a.ctx, settings.New(db))
	if err != nil {
		return "?"
	}
	return pr.UserLabel
}

// audit records an action in the audit log. A failure is logged, not
// shown: the action itself succeeded.
func (a *Vault) audit(action, kind string, id int64, detail map[string]any) {
	db, err := a.db()
	if err != nil {
		return
	}
	if err := privacy.New(db, nil).Log(a.ctx, a.actor(), action, kind, id, detail); err != nil {
		slog.Error("audit log", "action", action, "err", err)
	}
}
