package app

import (
	"context"
	"database/sql"
	"os"

	"carnet/backend/core"
	"carnet/backend/i18n"
	"carnet/backend/prefs"
	"carnet/backend/settings"
)

// Settings is bound to the frontend: preferences and vault settings.
type Settings struct {
	vault   *Vault
	i18n    *i18n.Bundle
	dataDir string
}

// Preferences are available before unlock.
type Preferences struct {
	Language  string   `json:"language"`
	Languages []string `json:"languages"`
}

// VaultSettings live inside the vault.
type VaultSettings struct {
	AutoLockMinutes int `json:"autoLockMinutes"`
	MinAutoLock     int `json:"minAutoLock"`
	MaxAutoLock     int `json:"maxAutoLock"`
	// The size limit of copied e-mails, in MB, and its bounds.
	MailMaxMessageMB int `json:"mailMaxMessageMB"`
	MinMailMaxMB     int `json:"minMailMaxMB"`
	MaxMailMaxMB     int `json:"maxMailMaxMB"`
}

// Preferences returns the interface language (the saved choice, else the
// system's, else English) and the languages available.
func (s *Settings) Preferences() (_ Preferences, err error) {
	defer guard(&err)
	return s.preferences(), nil
}

func (s *Settings) preferences() Preferences {
	lang := prefs.Load(s.dataDir).Language
	if !s.i18n.Has(lang) {
		lang = s.i18n.FromEnv(os.Getenv)
	}
	return Preferences{Language: lang, Languages: s.i18n.Languages()}
}

// SetLanguage saves the interface language.
func (s *Settings) SetLanguage(lang string) (err error) {
	defer guard(&err)
	if !s.i18n.Has(lang) {
		return &core.UserError{Key: "error.unknown_language", Params: map[string]any{"lang": lang}}
	}
	p := prefs.Load(s.dataDir)
	p.Language = lang
	return core.ForUser(prefs.Save(s.dataDir, p))
}

// VaultSettings returns the settings stored in the vault.
func (s *Settings) VaultSettings() (_ VaultSettings, err error) {
	defer guard(&err)
	return useDB(s.vault, func(ctx context.Context, db *sql.DB) (VaultSettings, error) {
		st := settings.New(db)
		vs := VaultSettings{MinAutoLock: settings.MinAutoLockMinutes, MaxAutoLock: settings.MaxAutoLockMinutes,
			MinMailMaxMB: settings.MinMailMaxMessageMB, MaxMailMaxMB: settings.MaxMailMaxMessageMB}
		var err error
		if vs.AutoLockMinutes, err = st.AutoLockMinutes(ctx); err != nil {
			return vs, err
		}
		vs.MailMaxMessageMB, err = st.MailMaxMessageMB(ctx)
		return vs, err
	})
}

// SetMailMaxMessageMB changes the size over which a synced e-mail keeps
// only its header; the next sync applies it.
func (s *Settings) SetMailMaxMessageMB(mb int) (err error) {
	defer guard(&err)
	return doCore(s.vault, func(ctx context.Context, c *core.Core) error { return c.SetMailMaxMessageMB(ctx, mb) })
}

// SetAutoLockMinutes changes the idle delay and applies it at once.
func (s *Settings) SetAutoLockMinutes(minutes int) (err error) {
	defer guard(&err)
	err = doCore(s.vault, func(ctx context.Context, c *core.Core) error { return c.SetAutoLockMinutes(ctx, minutes) })
	if err != nil {
		return err
	}
	s.vault.armAutoLock(minutes)
	return nil
}
