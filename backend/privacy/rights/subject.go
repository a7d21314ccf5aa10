// Package rights carries out a data subject's rights: it gathers
// everything Carnet holds about one person for a subject-access export
// (GDPR Art. 15 and 20), and erases it (Art. 17) with the legal holds
// that apply.
package rights

import (
	"carnet/backend/backup"
	"carnet/backend/crm"
	"carnet/backend/mail"
	"carnet/backend/privacy"
	"carnet/backend/sales"
)

// Format names the layout of data.json; it changes when a field does.
const Format = "carnet-subject-access/1"

// Data is everything held about one person: data.json of the bundle and
// the content of report.pdf. Field names are documented in the bundle's
// README.txt.
type Data struct {
	Format      string        `json:"format"`
	GeneratedAt string        `json:"generatedAt"` // RFC 3339
	Language    string        `json:"language"`    // of the report: the person's, else the user's
	Controller  privacy.Party `json:"controller"`  // who holds the data
	DPO         privacy.Party `json:"dpo"`
	// Person is the contact record with every field, sensitive ones included.
	Person      *crm.Contact         `json:"person"`
	Identifiers crm.Identifiers      `json:"identifiers"` // current and past addresses and numbers searched
	Activities  []crm.Activity       `json:"activities"`  // notes, calls, meetings, tasks
	Consents    []privacy.Entry      `json:"consents"`    // the consent ledger's entries, oldest first
	ConsentNow  []privacy.State      `json:"consentNow"`  // what holds today per purpose and channel
	Requests    []privacy.Request    `json:"requests"`    // the person's requests about their data
	Messages    []Message            `json:"messages"`    // stored e-mails they appear in
	Documents   []Document           `json:"documents"`   // quotes, invoices, credit notes addressed to them
	Audit       []privacy.AuditEntry `json:"audit"`       // who did what with their record
	// Processing is the Art. 15(1) information drawn from the register.
	Processing Processing `json:"processing"`
}

// Message is an e-mail in the bundle: its description and the .eml file.
type Message struct {
	mail.PersonMessage
	File string `json:"file"` // path inside the bundle
}

// Document is a quote, invoice or credit note in the bundle, with its PDF.
type Document struct {
	sales.PersonDocument
	File string `json:"file"` // path inside the bundle
}

// Processing is what Art. 15(1) entitles the person to know.
type Processing struct {
	Purposes []privacy.Purpose `json:"purposes"` // with categories, recipients, transfers, retention
	// Source is how the data was obtained (Art. 15(1)(g)).
	Source string `json:"source"`
	// AutomatedDecisions: Carnet makes none (Art. 15(1)(h)).
	AutomatedDecisions bool `json:"automatedDecisions"`
}

// Item is one kind of data and how many records of it.
type Item struct {
	What  string `json:"what"` // a key: "messages", "notes", "documentsDeleted"…
	Count int    `json:"count"`
}

// Hold is what an erasure keeps, and why.
type Hold struct {
	What   string `json:"what"` // "invoices", "consentProof", "suppression", "requests"
	Count  int    `json:"count"`
	Reason string `json:"reason"` // a key: "accounting", "proof", "neverAgain", "accountability"
	Until  string `json:"until"`  // YYYY-MM-DD, when known
}

// Recipient is someone the data were disclosed to, who must be told of the
// erasure (Art. 19), drawn from the register.
type Recipient struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Country  string   `json:"country"`
	Purposes []string `json:"purposes"` // purpose names
	Informed string   `json:"informed"` // YYYY-MM-DD once told
}

// Plan is an erasure's preview, and once carried out its record.
type Plan struct {
	ContactID  int64       `json:"contactId"`
	Name       string      `json:"name"` // for the preview screen; never stored
	Restricted bool        `json:"restricted"`
	Erase      []Item      `json:"erase"`
	Keep       []Hold      `json:"keep"`
	Recipients []Recipient `json:"recipients"`
	// MailAccounts whose server may still hold the person's messages.
	MailAccounts []string `json:"mailAccounts"`
	// Since is when the vault first held the person (RFC 3339): copies of
	// the vault made from then on may hold them.
	Since string `json:"since"`
	// Copies are the backups and replaced vaults that may still hold the
	// person; the caller fills them in (it knows the folders).
	Copies *backup.Copies `json:"copies,omitempty"`
}

// Certificate is what the erasure certificate states: no personal data
// beyond the name the requester gave.
type Certificate struct {
	Number      string        `json:"number"` // "E-2026-0007"
	ErasedAt    string        `json:"erasedAt"`
	ReceivedOn  string        `json:"receivedOn"` // the request's date, when there was one
	AddressedTo string        `json:"addressedTo"`
	Controller  privacy.Party `json:"controller"`
	DPO         privacy.Party `json:"dpo"`
	Erase       []Item        `json:"erase"`
	Keep        []Hold        `json:"keep"`
	Recipients  []Recipient   `json:"recipients"`
	// Since is when the vault first held the person, "" for erasures
	// recorded before it was kept.
	Since string `json:"since"`
	// Copies that may still hold the person when the certificate is
	// written; the caller fills them in.
	Copies *backup.Copies `json:"copies,omitempty"`
}
