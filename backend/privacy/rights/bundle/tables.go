package bundle

import (
	"encoding/json"
	"fmt"
	"strings"

	"carnet/backend/privacy/rights"
)

// table is one CSV file of the portable copy. Column names are those of
// data.json, in snake case.
type table struct {
	name   string
	header []string
	rows   [][]string
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func tables(d *rights.Data) []table {
	p := d.Person
	rels := make([]string, len(p.Relationships))
	for i, r := range p.Relationships {
		rels[i] = string(r)
	}
	person := table{name: "person", header: []string{"field", "value"}, rows: [][]string{
		{"given_name", p.GivenName}, {"family_name", p.FamilyName}, {"name_prefix", p.NamePrefix}, {"name_suffix", p.NameSuffix},
		{"job_title", p.JobTitle},
		{"website", p.Website}, {"birthday", p.Birthday}, {"language", p.Language},
		{"relationships", strings.Join(rels, ", ")}, {"tags", strings.Join(p.Tags, ", ")}, {"owner", p.Owner},
		{"source", p.Source}, {"last_inbound_at", p.LastInboundAt}, {"created_at", p.CreatedAt},
		{"updated_at", p.UpdatedAt}, {"deleted_at", p.DeletedAt}, {"notes", p.Notes},
	}}
	if r := p.Restriction; r != nil {
		person.rows = append(person.rows, []string{"restricted_since", r.Since}, []string{"restriction_reason", r.Reason}, []string{"restricted_until", r.Until})
	}

	emails := table{name: "emails", header: []string{"address", "label", "current"}}
	for _, e := range p.Emails {
		emails.rows = append(emails.rows, []string{e.Address, e.Label, "yes"})
	}
	for _, e := range d.Identifiers.PastEmails {
		emails.rows = append(emails.rows, []string{e, "", "no"})
	}
	phones := table{name: "phones", header: []string{"number", "label", "current"}}
	for _, ph := range p.Phones {
		phones.rows = append(phones.rows, []string{ph.Number, ph.Label, "yes"})
	}
	for _, ph := range d.Identifiers.PastPhones {
		phones.rows = append(phones.rows, []string{"+" + ph, "", "no"})
	}
	addresses := table{name: "addresses", header: []string{"label", "street", "postal_code", "city", "region", "country"}}
	for _, a := range p.Addresses {
		addresses.rows = append(addresses.rows, []string{a.Label, a.Street, a.PostalCode, a.City, a.Region, a.Country})
	}
	companies := table{name: "companies", header: []string{"company", "role"}}
	for _, c := range p.Companies {
		companies.rows = append(companies.rows, []string{c.CompanyName, c.Role})
	}
	fields := table{name: "custom_fields", header: []string{"field", "value", "special_category"}}
	for _, f := range p.Fields {
		fields.rows = append(fields.rows, []string{f.Name, f.Value, yes(f.Sensitive)})
	}
	acts := table{name: "activities", header: []string{"id", "kind", "title", "body", "occurred_at", "due_on", "remind_at", "done_at"}}
	for _, a := range d.Activities {
		acts.rows = append(acts.rows, []string{fmt.Sprint(a.ID), a.Kind, a.Title, a.Body, a.OccurredAt, a.DueOn, a.RemindAt, a.DoneAt})
	}
	consents := table{name: "consents", header: []string{"id", "occurred_at", "recorded_at", "purpose", "channel", "action", "method", "wording_version", "wording", "evidence", "evidence_file"}}
	for _, e := range d.Consents {
		consents.rows = append(consents.rows, []string{fmt.Sprint(e.ID), e.OccurredAt, e.RecordedAt, e.Purpose, e.Channel, e.Action, e.Method, e.WordingVersion, e.Wording, e.Evidence, e.EvidenceName})
	}
	requests := table{name: "requests", header: []string{"id", "kind", "requester", "received_on", "channel", "status", "due_on", "closed_on", "decision", "reasons"}}
	for _, r := range d.Requests {
		requests.rows = append(requests.rows, []string{fmt.Sprint(r.ID), r.Kind, r.Requester, r.ReceivedOn, r.Channel, r.Status, r.DueOn, r.ClosedOn, r.Decision, r.Reasons})
	}
	messages := table{name: "emails_messages", header: []string{"file", "date", "from", "to", "cc", "subject", "account", "folder", "inbound", "attachments"}}
	for _, m := range d.Messages {
		messages.rows = append(messages.rows, []string{m.File, m.Date, m.From, strings.Join(m.To, ", "), strings.Join(m.Cc, ", "), m.Topic, m.Account, m.Folder, yes(m.Inbound), strings.Join(m.Attachments, ", ")})
	}
	docs := table{name: "documents", header: []string{"file", "kind", "number", "state", "issue_date", "total_incl_vat_cents"}}
	for _, doc := range d.Documents {
		docs.rows = append(docs.rows, []string{doc.File, doc.Kind, doc.Number, doc.State, doc.IssueDate, fmt.Sprint(doc.Gross)})
	}
	audit := table{name: "audit", header: []string{"at", "actor", "action", "detail"}}
	for _, a := range d.Audit {
		detail, _ := json.Marshal(a.Detail)
		audit.rows = append(audit.rows, []string{a.At, a.Actor, a.Action, string(detail)})
	}
	return []table{person, emails, phones, addresses, companies, fields, acts, consents, requests, messages, docs, audit}
}
