package app

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"time"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/fsutil"
	"carnet/backend/i18n"
	"carnet/backend/pdf"
	"carnet/backend/privacy"
	"carnet/backend/privacy/rights"
	"carnet/backend/sales"
	"carnet/backend/settings"
)

// ExportRegister writes the record of processing activities (Art. 30)
// where the user chooses; it returns the file, or "" if the dialog was
// cancelled.
func (p *Privacy) ExportRegister(format string) (_ string, err error) {
	defer guard(&err)
	if !validFormat(format) {
		return "", &core.UserError{Key: "register.bad_format", Params: map[string]any{"format": format}}
	}
	db, err := p.vault.db()
	if err != nil {
		return "", userError(err)
	}
	ctx, lang := p.vault.ctx, p.lang()
	name := RegisterFileName(p.i18n, lang, format, time.Now())
	path, err := p.dialogs().SaveFile(ctx, p.i18n.T(lang, "register.save_title", nil), name)
	if err != nil || path == "" {
		return "", userError(err)
	}
	b, err := RegisterFile(ctx, db, p.i18n, lang, format)
	if err != nil {
		return "", userError(err)
	}
	if err := fsutil.WriteFileAtomic(path, b, 0o600); err != nil {
		return "", userError(err)
	}
	p.vault.audit("export.register", "", 0, map[string]any{"format": format})
	return path, nil
}

// RegisterFileName is the name offered for the register:
// "registre-traitements-2026-11-28.pdf" in French.
func RegisterFileName(b *i18n.Bundle, lang, format string, now time.Time) string {
	return b.T(lang, "register.file_name", nil) + "-" + now.Format("2006-01-02") + "." + format
}

// validFormat: the register is exported as pdf, ods or csv.
func validFormat(format string) bool {
	return format == "pdf" || format == "ods" || format == "csv"
}

// RegisterFile builds the register from the vault and renders it as pdf,
// ods or csv in lang. The command line uses it too.
func RegisterFile(ctx context.Context, db *sql.DB, b *i18n.Bundle, lang, format string) ([]byte, error) {
	if !validFormat(format) {
		return nil, &core.UserError{Key: "register.bad_format", Params: map[string]any{"format": format}}
	}
	t := func(key string) string { return b.T(lang, key, nil) }
	profile, err := privacy.LoadProfile(ctx, settings.New(db))
	if err != nil {
		return nil, fmt.Errorf("app: register: %w", err)
	}
	seller, err := sales.New(db, nil).Profile(ctx)
	if err != nil {
		return nil, fmt.Errorf("app: register: %w", err)
	}
	purposes, err := privacy.New(db, nil).Purposes(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("app: register: %w", err)
	}
	measures := []string{t("privacy.default.security.encryption"), t("privacy.default.security.passphrase"), t("privacy.default.security.audit")}
	r := privacy.BuildRegister(rights.Controller(seller), profile, purposes, measures, time.Now())
	fields, err := crm.New(db, nil).CustomFields(ctx)
	if err != nil {
		return nil, fmt.Errorf("app: register: %w", err)
	}
	for _, f := range fields {
		if f.Sensitive {
			r.SensitiveFields = append(r.SensitiveFields, privacy.SensitiveField{Name: f.Name, Category: f.Category, Condition: f.Condition})
		}
	}

	var buf bytes.Buffer
	switch format {
	case "pdf":
		err = pdf.Register(&buf, r, t)
	case "ods":
		err = privacy.WriteRegisterODS(&buf, r, t)
	case "csv":
		err = privacy.WriteRegisterCSV(&buf, r, t)
	}
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
