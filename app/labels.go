package app

import (
	"carnet/backend/crm"
	"carnet/backend/i18n"
)

// CSVLabels are the export's column headers and relationship words in lang,
// taken from the shared translations (the importer reads them back).
func CSVLabels(b *i18n.Bundle, lang string) crm.CSVLabels {
	l := crm.CSVLabels{Headers: map[string]string{}, Relationships: map[crm.Relationship]string{}}
	for _, f := range crm.ImportFields {
		l.Headers[f] = b.T(lang, "field."+f, nil)
	}
	for _, r := range crm.Relationships {
		l.Relationships[r] = b.T(lang, "relationship."+string(r), nil)
	}
	return l
}
