package core

import (
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"strings"

	"github.com/ncruces/go-sqlite3"

	"carnet/backend/backup"
	"carnet/backend/crm"
	"carnet/backend/mail"
	"carnet/backend/privacy"
	"carnet/backend/privacy/breach"
	"carnet/backend/privacy/retention"
	"carnet/backend/privacy/rights"
	"carnet/backend/privacy/suppress"
	"carnet/backend/sales"
	"carnet/backend/settings"
	"carnet/backend/vault"
)

// UserError is the error every bound method returns: a translation key with
// its parameters. Its Error() is JSON, which is what the frontend receives
// as the rejected promise's value and turns into a message in the user's
// language (see frontend/src/lib/errors.ts).
type UserError struct {
	Key    string         `json:"key"`
	Params map[string]any `json:"params,omitempty"`
	// Then is a second message to show after the first, such as the tries
	// left after a wrong passphrase.
	Then *UserError `json:"then,omitempty"`
}

func (e *UserError) Error() string {
	b, _ := json.Marshal(e)
	return string(b)
}

// ForUser maps a backend error to what the user should read, for the
// window and the command line alike. Unknown errors are logged (they never
// carry personal data: backend errors name files and operations, not
// contents) and shown with their text.
func ForUser(err error) error {
	if err == nil {
		return nil
	}
	ue := Describe(err)
	if ue.Key == "error.unexpected" {
		slog.Error("unexpected error", "err", err)
	}
	return ue
}

// Describe maps err to a translation key and parameters.
func Describe(err error) *UserError {
	var ue *UserError
	var se *vault.SecretError
	var we *vault.WeakPassphraseError
	var te *vault.ThrottledError
	var ce *mail.ConnError
	var fe *mail.FieldError
	var cl *mail.CleartextError
	var pe *retention.PolicyError
	var nd *retention.NotDueError
	switch {
	case errors.As(err, &ue):
		return ue
	case errors.As(err, &te):
		return &UserError{Key: "error.paused", Params: seconds(te.RetryAfter.Seconds())}
	case errors.As(err, &se):
		key := "error.wrong_passphrase"
		if errors.Is(se.Err, vault.ErrWrongRecoveryCode) {
			key = "error.wrong_recovery_code"
		}
		then := &UserError{Key: "error.tries_left", Params: map[string]any{"count": se.TriesLeft}}
		if se.RetryAfter > 0 {
			then = &UserError{Key: "error.paused", Params: seconds(se.RetryAfter.Seconds())}
		}
		return &UserError{Key: key, Then: then}
	case errors.Is(err, vault.ErrPassphraseTooShort):
		return &UserError{Key: "error.passphrase_too_short", Params: map[string]any{"min": vault.MinPassphraseLen}}
	case errors.As(err, &we):
		warning, suggestion := WeaknessKeys(we.Weakness, we.Hint)
		key := "error.passphrase_weak"
		if we.Current {
			// A re-key keeping the passphrase in force: a new one is needed.
			key = "error.current_passphrase_weak"
		}
		return &UserError{Key: key, Then: &UserError{Key: warning, Then: &UserError{Key: suggestion}}}
	case errors.Is(err, ErrExportFormat):
		return &UserError{Key: "error.export_format"}
	case errors.Is(err, ErrNotRecorded):
		// Before ErrErasureUnfinished and the rest: the action is done.
		return &UserError{Key: "error.not_recorded"}
	case errors.Is(err, ErrErasureUnfinished):
		return &UserError{Key: "error.erasure_unfinished"}
	case errors.Is(err, sqlite3.BUSY):
		// Another write held the database past the busy timeout (another
		// Carnet command, a long change): nothing was changed, trying
		// again is the remedy.
		return &UserError{Key: "error.busy"}
	case errors.Is(err, crm.ErrMalformedCSV):
		// The detail names the line and what is wrong there.
		_, detail, _ := strings.Cut(err.Error(), "malformed CSV: ")
		return &UserError{Key: "error.malformed_file", Params: map[string]any{"detail": detail}}
	case errors.As(err, &ce):
		return &UserError{Key: "error.mail_conn." + string(ce.Kind),
			Params: map[string]any{"server": strings.ToUpper(ce.Server), "host": ce.Host, "fingerprint": ce.CertSHA256, "detail": ce.Err.Error()}}
	case errors.As(err, &cl):
		return &UserError{Key: "error.mail_cleartext", Params: map[string]any{"server": strings.ToUpper(cl.Server), "host": cl.Host}}
	case errors.As(err, &fe):
		return &UserError{Key: "error.mail_field." + fe.Field}
	case errors.As(err, &pe):
		return &UserError{Key: "retention.error.range", Params: map[string]any{"field": pe.Field, "min": pe.Min, "max": pe.Max}}
	case errors.As(err, &nd):
		return &UserError{Key: "retention.error.not_due", Params: map[string]any{"count": len(nd.IDs)}}
	case errors.Is(err, settings.ErrOutOfRange):
		return &UserError{Key: "error.out_of_range", Params: map[string]any{"min": settings.MinAutoLockMinutes, "max": settings.MaxAutoLockMinutes}}
	}
	for _, k := range []struct {
		err error
		key string
	}{
		{vault.ErrSamePassphrase, "error.same_passphrase"},
		{vault.ErrRollbackPending, "error.rekey_rollback_pending"},
		{vault.ErrInUse, "error.in_use"},
		{vault.ErrKeyFileDamaged, "error.key_file_damaged"},
		{vault.ErrKeyFileMissing, "error.key_file_missing"},
		{vault.ErrDatabaseMissing, "error.database_missing"},
		{vault.ErrNotCarnet, "error.not_carnet"},
		{vault.ErrNewerSchema, "error.newer_schema"},
		{vault.ErrLocked, "error.locked"},
		{vault.ErrVaultExists, "error.vault_exists"},
		{vault.ErrNoVault, "error.no_vault"},
		{vault.ErrReadOnly, "error.read_only"}, // the caller adds {path}
		{vault.ErrNotBackup, "backup.error.not_backup"},
		{vault.ErrBackupDamaged, "backup.error.damaged"},
		{vault.ErrBackupTooNew, "backup.error.too_new"},
		{vault.ErrBackupRunning, "backup.error.running"},
		{vault.ErrRestoreRunning, "backup.error.restore_running"},
		{backup.ErrFolderUnavailable, "backup.error.folder_unavailable"}, // {path}
		{backup.ErrUnknownReplaced, "backup.error.unknown_replaced"},
		{backup.ErrFolderInsideVault, "backup.error.folder_inside"},
		{crm.ErrErased, "error.erased"},     // before ErrNotFound, which it wraps
		{crm.ErrArchived, "error.archived"}, // before ErrRestricted, which it wraps
		{crm.ErrRestricted, "error.restricted"},
		{retention.ErrNoRequest, "retention.error.no_request"},
		{breach.ErrUnknownBreach, "error.not_found"},
		{breach.ErrNoDescription, "breach.error.no_description"},
		{breach.ErrNoDiscovery, "breach.error.no_discovery"},
		{breach.ErrBadDate, "error.invalid_date"},
		{breach.ErrFuture, "breach.error.future"},
		{breach.ErrOccurredLater, "breach.error.occurred_later"},
		{breach.ErrBeforeDiscovery, "breach.error.before_discovery"},
		{breach.ErrNature, "breach.error.nature"},
		{breach.ErrScope, "breach.error.scope"},
		{breach.ErrLateReason, "breach.error.late_reason"},
		{breach.ErrNoticeRequired, "breach.error.notice_required"},
		{breach.ErrNoticeConflict, "breach.error.notice_conflict"},
		{breach.ErrNotNotified, "breach.error.not_notified"},
		{breach.ErrNoSummary, "breach.error.no_summary"},
		{crm.ErrNoReason, "error.no_reason"},
		{suppress.ErrSuppressed, "error.suppressed"},
		{rights.ErrNoPerson, "error.no_person"},
		{rights.ErrNoAddress, "error.no_address"},
		{rights.ErrUnknownErasure, "error.not_found"},
		{crm.ErrNotFound, "error.not_found"},
		{crm.ErrEmptyContact, "error.empty_contact"},
		{crm.ErrEmptyCompany, "error.empty_company"},
		{crm.ErrEmptyName, "error.empty_name"},
		{crm.ErrDuplicateName, "error.duplicate_name"},
		{crm.ErrInvalidEmail, "error.invalid_email"},
		{crm.ErrInvalidPhone, "error.invalid_phone"},
		{crm.ErrInvalidDate, "error.invalid_date"},
		{crm.ErrInvalidRelationship, "error.invalid_relationship"},
		{crm.ErrUnknownCompany, "error.unknown_company"},
		{crm.ErrInvalidSIREN, "error.invalid_siren"},
		{crm.ErrSIRETNotSIREN, "error.siret_not_siren"},
		{crm.ErrInvalidSIRET, "error.invalid_siret"},
		{crm.ErrInvalidVAT, "error.invalid_vat"},
		{crm.ErrFileTooLarge, "error.file_too_large"},
		{crm.ErrBinaryFile, "error.binary_file"},
		{crm.ErrEmptyFile, "error.empty_file"},
		{crm.ErrNoCards, "error.no_cards"},
		{crm.ErrCancelled, "error.cancelled"},
		{sales.ErrNotFound, "error.not_found"},
		{sales.ErrFrozen, "error.frozen"},
		{sales.ErrNotDraft, "error.not_draft"},
		{sales.ErrWrongState, "error.wrong_state"},
		{sales.ErrNoCustomer, "error.no_customer"},
		{sales.ErrNoLines, "error.no_lines"},
		{sales.ErrEmptyLabel, "error.empty_label"},
		{sales.ErrBadTerms, "error.bad_terms"},
		{sales.ErrDateOrder, "error.date_order"},
		{sales.ErrFutureDate, "error.future_date"},
		{sales.ErrOverpaid, "error.overpaid"},
		{sales.ErrCreditTooLarge, "error.credit_too_large"},
		{sales.ErrSellerMissing, "error.seller_missing"},
		{sales.ErrInvalidRate, "error.invalid_rate"},
		{sales.ErrExemptionMissing, "error.exemption_missing"},
		{sales.ErrNegative, "error.negative"},
		{sales.ErrBadAmount, "error.bad_amount"},
		{sales.ErrBadPattern, "error.bad_pattern"},
		{sales.ErrBadLogo, "error.bad_logo"},
		{mail.ErrNotFound, "error.not_found"},
		{mail.ErrDuplicateName, "error.duplicate_name"},
		{mail.ErrOutboxNotEmpty, "error.outbox_not_empty"},
		{mail.ErrNoRecipient, "error.no_recipient"},
		{mail.ErrBadRecipient, "error.bad_recipient"},
		{mail.ErrTooLarge, "error.message_too_large"},
		{mail.ErrAlreadySent, "error.already_sent"},
		{mail.ErrNotMessage, "error.not_message"},
		{mail.ErrSenderUnverified, "mail.remote_unverified"},
		{crm.ErrFieldName, "error.field_name"},
		{crm.ErrFieldCondition, "error.field_condition"},
		{crm.ErrUnknownField, "error.unknown_field"},
		{privacy.ErrUnknownPurpose, "error.unknown_purpose"},
		{privacy.ErrNoEvidenceFile, "error.no_evidence_file"},
		{privacy.ErrBadKind, "error.request_kind"},
		{privacy.ErrBadReqChannel, "error.request_channel"},
		{privacy.ErrNoRequester, "error.no_requester"},
		{privacy.ErrBadDate, "error.invalid_date"},
		{privacy.ErrExtension, "error.extension"},
		{privacy.ErrToldTooLate, "error.told_too_late"},
		{privacy.ErrRefusalReasons, "error.refusal_reasons"},
		{privacy.ErrUnknownRequest, "error.not_found"},
		{privacy.ErrBadStatus, "error.request_status"},
		{privacy.ErrBeforeReceipt, "error.before_receipt"},
		{privacy.ErrBadChannel, "error.bad_channel"},
		{privacy.ErrBadAction, "error.bad_consent_action"},
		{privacy.ErrBadMethod, "error.bad_method"},
		{privacy.ErrNoWording, "error.no_wording"},
		{privacy.ErrNoContact, "error.not_found"},
		{privacy.ErrFutureConsent, "error.future_consent"},
		{privacy.ErrNothingToWithdraw, "error.nothing_to_withdraw"},
		{privacy.ErrPurposeName, "error.purpose_name"},
		{privacy.ErrBadBasis, "error.bad_basis"},
		{privacy.ErrBalancingMissing, "error.balancing_missing"},
		{privacy.ErrBadRetention, "error.bad_retention"},
		{privacy.ErrPurposeInUse, "error.purpose_in_use"},
		{privacy.ErrDuplicateKey, "error.duplicate_name"},
	} {
		if errors.Is(err, k.err) {
			return &UserError{Key: k.key}
		}
	}
	return &UserError{Key: "error.unexpected", Params: map[string]any{"detail": err.Error()}}
}

// WeaknessKeys names the sentences that say why a passphrase is refused and
// what to do instead.
func WeaknessKeys(w vault.Weakness, h vault.Hint) (warning, suggestion string) {
	return "passphrase.weak." + string(w), "passphrase.suggest." + string(h)
}

func seconds(s float64) map[string]any {
	return map[string]any{"seconds": int(math.Ceil(s))}
}
