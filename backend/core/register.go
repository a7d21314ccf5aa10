package core

import (
	"bytes"
	"context"
	"fmt"

	"carnet/backend/pdf"
	"carnet/backend/privacy"
	"carnet/backend/privacy/rights"
	"carnet/backend/sales"
	"carnet/backend/settings"
)

// SaveAs asks where to write a file, offering a name; "" means the person
// cancelled. The window asks with a dialog, the command line answers with
// its -o.
type SaveAs func(suggested string) (path string, err error)

// registerFormat: the register is exported as pdf, ods or csv.
func registerFormat(format string) error {
	if format == "pdf" || format == "ods" || format == "csv" {
		return nil
	}
	return &UserError{Key: "register.bad_format", Params: map[string]any{"format": format}}
}

// RegisterFileName is the name offered for the register in the language
// now: "registre-traitements-2026-11-28.pdf" in French.
func (c *Core) RegisterFileName(format string) string {
	return c.i18n.T(c.lang(), "register.file_name", nil) + "-" + c.now().Format("2006-01-02") + "." + format
}

// RegisterFile builds the record of processing activities (Art. 30(1))
// from the vault and renders it as pdf, ods or csv in the language now.
// It writes nothing: ExportRegister does, with its audit entry.
func (c *Core) RegisterFile(ctx context.Context, format string) ([]byte, error) {
	if err := registerFormat(format); err != nil {
		return nil, err
	}
	lang := c.lang()
	t := func(key string) string { return c.i18n.T(lang, key, nil) }
	profile, err := privacy.LoadProfile(ctx, settings.New(c.db))
	if err != nil {
		return nil, fmt.Errorf("core: register: %w", err)
	}
	seller, err := sales.New(c.db, c.now).Profile(ctx)
	if err != nil {
		return nil, fmt.Errorf("core: register: %w", err)
	}
	purposes, err := c.Purposes(ctx)
	if err != nil {
		return nil, fmt.Errorf("core: register: %w", err)
	}
	measures := []string{t("privacy.default.security.encryption"), t("privacy.default.security.passphrase"), t("privacy.default.security.audit")}
	r := privacy.BuildRegister(rights.Controller(seller), profile, purposes, measures, c.now())
	fields, err := c.crm().CustomFields(ctx)
	if err != nil {
		return nil, fmt.Errorf("core: register: %w", err)
	}
	// Art. 9 and 10 data the user chose to hold, with the condition that allows it.
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
		return nil, fmt.Errorf("core: register %s: %w", format, err)
	}
	return buf.Bytes(), nil
}

// ExportRegister writes the register where saveAs says and records
// export.register with its format (Art. 5(2): who handed out the register,
// when); "" when cancelled.
func (c *Core) ExportRegister(ctx context.Context, format string, saveAs SaveAs) (string, error) {
	if err := registerFormat(format); err != nil {
		return "", err
	}
	path, err := saveAs(c.RegisterFileName(format))
	if err != nil || path == "" {
		return "", err
	}
	b, err := c.RegisterFile(ctx, format)
	if err != nil {
		return "", err
	}
	return path, c.writeExport(ctx, path, b, "export.register", "", 0, map[string]any{"format": format})
}

// Audit lists audit log entries, newest first.
func (c *Core) Audit(ctx context.Context, q privacy.AuditQuery) ([]privacy.AuditEntry, error) {
	return c.privacyStore().Audit(ctx, q)
}

// Chains is the state of both hash chains.
type Chains struct {
	Ledger privacy.ChainStatus `json:"ledger"`
	Audit  privacy.ChainStatus `json:"audit"`
}

// VerifyChains recomputes the consent ledger's and the audit log's hash
// chains: an entry changed or removed after the fact breaks them.
func (c *Core) VerifyChains(ctx context.Context) (Chains, error) {
	var ch Chains
	var err error
	s := c.privacyStore()
	if ch.Ledger, err = s.VerifyLedger(ctx); err != nil {
		return ch, err
	}
	ch.Audit, err = s.VerifyAudit(ctx)
	return ch, err
}

// Dashboard is the privacy overview.
type Dashboard struct {
	Purposes []privacy.Purpose `json:"purposes"`
	Granted  map[string]int    `json:"granted"` // purpose key → people with a current consent
	ToRenew  int               `json:"toRenew"` // consents expiring within 30 days or expired
	Chains   Chains            `json:"chains"`
	Requests privacy.Deadlines `json:"requests"` // open requests and their clocks
}

// renewWithin is how far ahead the dashboard counts consents to renew.
const renewWithin = 30

// Dashboard gathers the overview.
func (c *Core) Dashboard(ctx context.Context) (Dashboard, error) {
	var d Dashboard
	var err error
	if d.Purposes, err = c.Purposes(ctx); err != nil {
		return d, err
	}
	s := c.privacyStore()
	if d.Granted, err = s.GrantCounts(ctx); err != nil {
		return d, err
	}
	renew, err := s.ToRenew(ctx, renewWithin)
	if err != nil {
		return d, err
	}
	d.ToRenew = len(renew)
	if d.Requests, err = s.RequestDeadlines(ctx); err != nil {
		return d, err
	}
	d.Chains, err = c.VerifyChains(ctx)
	return d, err
}
