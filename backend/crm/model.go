// Package crm holds the CRM core: contacts, companies, their timeline,
// search, lists and segments, import and export, duplicates.
package crm

import (
	"errors"
	"fmt"
	"time"
)

// Errors callers act on.
var (
	ErrNotFound            = errors.New("crm: not found")
	ErrEmptyContact        = errors.New("crm: a contact needs a name or an e-mail address")
	ErrEmptyCompany        = errors.New("crm: a company needs a name")
	ErrInvalidEmail        = errors.New("crm: invalid e-mail address")
	ErrInvalidDate         = errors.New("crm: invalid date")
	ErrInvalidPhone        = errors.New("crm: invalid phone number")
	ErrUnknownCompany      = errors.New("crm: unknown company")
	ErrInvalidRelationship = errors.New("crm: unknown relationship")
	ErrInvalidKind         = errors.New("crm: unknown activity kind")
	// ErrRestricted: processing of the contact is restricted (Art. 18): its
	// fields are read-only and it is left out of mail, merges and exports.
	ErrRestricted = errors.New("crm: this contact's processing is restricted")
	// ErrErased: the contact was erased; only its id is left.
	ErrErased   = fmt.Errorf("%w: the contact was erased", ErrNotFound)
	ErrNoReason = errors.New("crm: a reason is needed")
)

// Relationship is how a contact relates to the business; several may hold.
type Relationship string

// The relationships, with their bit in contacts.relationships.
const (
	Prospect Relationship = "prospect"
	Customer Relationship = "customer"
	Supplier Relationship = "supplier"
	Partner  Relationship = "partner"
	Other    Relationship = "other"
)

// Relationships lists every relationship in display order.
var Relationships = []Relationship{Prospect, Customer, Supplier, Partner, Other}

func (r Relationship) bit() int64 {
	for i, x := range Relationships {
		if x == r {
			return 1 << i
		}
	}
	return 0
}

func relationshipBits(rs []Relationship) (int64, error) {
	var bits int64
	for _, r := range rs {
		b := r.bit()
		if b == 0 {
			return 0, ErrInvalidRelationship
		}
		bits |= b
	}
	return bits, nil
}

func relationshipsOf(bits int64) []Relationship {
	rs := []Relationship{}
	for i, r := range Relationships {
		if bits&(1<<i) != 0 {
			rs = append(rs, r)
		}
	}
	return rs
}

// Email is one of a contact's addresses.
type Email struct {
	Address string `json:"address"`
	Label   string `json:"label"`
}

// Phone is one of a contact's numbers, as typed.
type Phone struct {
	Number string `json:"number"`
	Label  string `json:"label"`
}

// Address is a postal address; Country is an ISO 3166 alpha-2 code or a name.
type Address struct {
	Label      string `json:"label"`
	Street     string `json:"street"`
	PostalCode string `json:"postalCode"`
	City       string `json:"city"`
	Region     string `json:"region"`
	Country    string `json:"country"`
}

// CompanyLink ties a contact to a company with a role.
type CompanyLink struct {
	CompanyID   int64  `json:"companyId"`
	CompanyName string `json:"companyName"` // read only
	Role        string `json:"role"`
}

// Contact is a person.
type Contact struct {
	ID            int64          `json:"id"`
	GivenName     string         `json:"givenName"`
	FamilyName    string         `json:"familyName"`
	NamePrefix    string         `json:"namePrefix"` // honorific: "Dr", "Me", "Mr."
	NameSuffix    string         `json:"nameSuffix"` // "Jr.", "III", "PhD"
	JobTitle      string         `json:"jobTitle"`
	Website       string         `json:"website"`
	Birthday      string         `json:"birthday"` // YYYY-MM-DD or ""
	Language      string         `json:"language"`
	Notes         string         `json:"notes"`
	Owner         string         `json:"owner"`
	Relationships []Relationship `json:"relationships"`
	Emails        []Email        `json:"emails"`
	Phones        []Phone        `json:"phones"`
	Addresses     []Address      `json:"addresses"`
	Companies     []CompanyLink  `json:"companies"`
	Tags          []string       `json:"tags"`
	Fields        []FieldValue   `json:"fields"` // custom fields; absent ones are kept on save
	// Source says how and from whom the data was obtained.
	Source string `json:"source"`
	// LastInboundAt is when the person last reached out (RFC 3339), "" if never.
	LastInboundAt string `json:"lastInboundAt"`
	CreatedAt     string `json:"createdAt"`
	UpdatedAt     string `json:"updatedAt"`
	DeletedAt     string `json:"deletedAt"`
	// Restriction is set while the contact's processing is restricted.
	Restriction *Restriction `json:"restriction"`
	// Archive is set while the contact is in the intermediate archive.
	Archive *Archive `json:"archive"`
}

// Restriction is why and until when a contact is "mis en sommeil" (Art. 18).
type Restriction struct {
	Reason string `json:"reason"`
	Since  string `json:"since"` // RFC 3339
	Until  string `json:"until"` // YYYY-MM-DD, "" until lifted by hand
}

// DisplayName is what lists show for the contact.
func (c *Contact) DisplayName() string {
	switch {
	case c.GivenName != "" && c.FamilyName != "":
		return c.GivenName + " " + c.FamilyName
	case c.GivenName != "" || c.FamilyName != "":
		return c.GivenName + c.FamilyName
	case len(c.Emails) > 0:
		return c.Emails[0].Address
	}
	return ""
}

// Company is an organisation.
type Company struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	SIREN     string    `json:"siren"`
	SIRET     string    `json:"siret"`
	VATNumber string    `json:"vatNumber"`
	Website   string    `json:"website"`
	Sector    string    `json:"sector"`
	Notes     string    `json:"notes"`
	Owner     string    `json:"owner"`
	Addresses []Address `json:"addresses"`
	Tags      []string  `json:"tags"`
	People    []Person  `json:"people"` // read only
	CreatedAt string    `json:"createdAt"`
	UpdatedAt string    `json:"updatedAt"`
}

// Person is a contact as listed on a company.
type Person struct {
	ContactID int64  `json:"contactId"`
	Name      string `json:"name"`
	Role      string `json:"role"`
}

// Clock returns the current time; the Store's is replaceable for tests.
type Clock func() time.Time

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
