package benchreport

import "fmt"

// Sizes say how big the benchmark vault is and how long each figure runs.
type Sizes struct {
	Contacts   int    `json:"contacts"`   // people; companies are a fifth, notes twice as many
	Messages   int    `json:"messages"`   // e-mails stored in the vault
	Invoices   int    `json:"invoices"`   // invoices issued over the last five years
	Sync       int    `json:"sync"`       // messages in the Dovecot mailbox for the initial sync
	ImportRows int    `json:"importRows"` // rows of the CSV file, cards of the vCard file
	Person     Person `json:"person"`     // the person who asks for their data
	Samples    int    `json:"samples"`    // latency samples behind each percentile
	Runs       int    `json:"runs"`       // repeats of the slow one-off figures (unlock, export)
	BigMail    []int  `json:"bigMail"`    // sizes in bytes of the messages of the big-mailbox sync
}

// bigMail are the messages of the big-mailbox figure, the same in both
// runs: what one big message costs does not depend on the vault's size.
var bigMail = []int{1e6, 10e6, 25e6, 50e6, 100e6}

// Person is what the vault holds about the person of the subject-rights
// figures; their e-mails and invoices are part of the vault's.
type Person struct {
	Messages int `json:"messages"`
	Invoices int `json:"invoices"`
	Notes    int `json:"notes"`
}

// Full are the sizes the issues name.
func Full() Sizes {
	return Sizes{Contacts: 100_000, Messages: 50_000, Invoices: 5_000, Sync: 10_000, ImportRows: 20_000,
		Person: Person{Messages: 5_000, Invoices: 200, Notes: 1_000}, Samples: 400, Runs: 3, BigMail: bigMail}
}

// Quick is a tenth of the vault, for make bench QUICK=1: the same table in
// under two minutes. Its figures are not the issues' (a smaller vault is
// faster), only a check that everything runs.
func Quick() Sizes {
	return Sizes{Contacts: 10_000, Messages: 5_000, Invoices: 500, Sync: 2_000, ImportRows: 5_000,
		Person: Person{Messages: 500, Invoices: 20, Notes: 100}, Samples: 200, Runs: 1, BigMail: bigMail}
}

// describe says what the vault holds.
func (sz Sizes) describe() string {
	return fmt.Sprintf("%s contacts, %s companies, %s notes, %s invoices, %s e-mails",
		thousands(int64(sz.Contacts)), thousands(int64(sz.Contacts/5)), thousands(int64(2*sz.Contacts+sz.Person.Notes)),
		thousands(int64(sz.Invoices)), thousands(int64(sz.Messages)))
}
