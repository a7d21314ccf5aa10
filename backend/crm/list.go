package crm

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"carnet/backend/txn"
)

// Filter narrows the contact list. Zero fields do not filter.
type Filter struct {
	Relationship Relationship `json:"relationship"`
	Tag          string       `json:"tag"`
	Owner        string       `json:"owner"`
	CompanyID    int64        `json:"companyId"`
	HasOpenTask  bool         `json:"hasOpenTask"`
	// Restricted lists only the restricted contacts, which every other
	// list leaves out.
	Restricted bool `json:"restricted"`
	// Archived lists only the contacts in the intermediate archive, which
	// every other list leaves out.
	Archived bool `json:"archived"`
}

// Sort orders of the contact list.
const (
	SortName        = "name"
	SortCreated     = "created"
	SortLastInbound = "last_inbound"
)

// ListQuery asks for one page of the contact list.
type ListQuery struct {
	Filter Filter `json:"filter"`
	Sort   string `json:"sort"`
	Desc   bool   `json:"desc"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
	// WithTotal asks for the number of matching contacts too. Counting
	// visits every match, so a list asks once, not for every page.
	WithTotal bool `json:"withTotal"`
}

// Row is a contact as the list shows it.
type Row struct {
	ID            int64          `json:"id"`
	Name          string         `json:"name"`
	Email         string         `json:"email"`
	Phone         string         `json:"phone"`
	Company       string         `json:"company"`
	Relationships []Relationship `json:"relationships"`
	Owner         string         `json:"owner"`
	LastInboundAt string         `json:"lastInboundAt"`
}

// Page is one page of a list, with the total count when asked (else -1).
type Page struct {
	Total int   `json:"total"`
	Rows  []Row `json:"rows"`
}

func (f Filter) where() (string, []any, error) {
	// The default list shows the Live contacts, whose condition is the
	// list indexes' own (contacts_sort, contacts_created in the
	// migrations), term for term, so they are used.
	base := Live.Where("c")
	if f.Restricted || f.Archived {
		base = Current.Where("c")
		if f.Restricted {
			base += " AND c.restricted_at IS NOT NULL"
		}
		if f.Archived {
			base += " AND c.archived_at IS NOT NULL"
		}
	}
	conds := []string{base}
	var args []any
	if f.Relationship != "" {
		b := f.Relationship.bit()
		if b == 0 {
			return "", nil, ErrInvalidRelationship
		}
		conds = append(conds, "c.relationships & ? <> 0")
		args = append(args, b)
	}
	if f.Tag != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id AND t.name = ?)")
		args = append(args, f.Tag)
	}
	if f.Owner != "" {
		conds = append(conds, "c.owner = ?")
		args = append(args, f.Owner)
	}
	if f.CompanyID != 0 {
		conds = append(conds, "EXISTS (SELECT 1 FROM contact_companies WHERE contact_id = c.id AND company_id = ?)")
		args = append(args, f.CompanyID)
	}
	if f.HasOpenTask {
		conds = append(conds, "EXISTS (SELECT 1 FROM activities a WHERE a.contact_id = c.id AND a.kind = 'task' AND a.done_at = '')")
	}
	return strings.Join(conds, " AND "), args, nil
}

func (lq ListQuery) orderBy() (string, error) {
	dir := "ASC"
	if lq.Desc {
		dir = "DESC"
	}
	switch lq.Sort {
	case "", SortName:
		return "c.sort_name " + dir + ", c.id " + dir, nil
	case SortCreated:
		return "c.created_at " + dir + ", c.id " + dir, nil
	case SortLastInbound:
		return "c.last_inbound_at " + dir + ", c.sort_name, c.id", nil
	}
	return "", fmt.Errorf("crm: unknown sort %q", lq.Sort)
}

// rowColumns are what a list row shows, for "FROM contacts c".
const rowColumns = `
	c.id, trim(c.given_name || ' ' || c.family_name),
	coalesce((SELECT address FROM contact_emails WHERE contact_id = c.id ORDER BY position LIMIT 1), ''),
	coalesce((SELECT number FROM contact_phones WHERE contact_id = c.id ORDER BY position LIMIT 1), ''),
	coalesce((SELECT co.name FROM contact_companies cc JOIN companies co ON co.id = cc.company_id
	          WHERE cc.contact_id = c.id ORDER BY co.name LIMIT 1), ''),
	c.relationships, c.owner, c.last_inbound_at`

func scanRow(r *sql.Rows) (Row, error) {
	var row Row
	var bits int64
	if err := r.Scan(&row.ID, &row.Name, &row.Email, &row.Phone, &row.Company, &bits, &row.Owner, &row.LastInboundAt); err != nil {
		return row, err
	}
	if row.Name == "" {
		row.Name = row.Email
	}
	row.Relationships = relationshipsOf(bits)
	return row, nil
}

// ListContacts returns one page of contacts, filtered and sorted.
func (s *Store) ListContacts(ctx context.Context, lq ListQuery) (Page, error) {
	where, args, err := lq.Filter.where()
	if err != nil {
		return Page{}, err
	}
	order, err := lq.orderBy()
	if err != nil {
		return Page{}, err
	}
	if lq.Limit <= 0 || lq.Limit > 500 {
		lq.Limit = 100
	}
	page := Page{Rows: []Row{}, Total: -1}
	err = s.read(ctx, func(tx *sql.Tx) error {
		if lq.WithTotal {
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM contacts c WHERE `+where, args...).Scan(&page.Total); err != nil {
				return err
			}
		}
		q := `SELECT ` + rowColumns + ` FROM contacts c WHERE ` + where + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?`
		return each(ctx, tx, q, append(args, lq.Limit, lq.Offset), func(r *sql.Rows) error {
			row, err := scanRow(r)
			page.Rows = append(page.Rows, row)
			return err
		})
	})
	if err != nil {
		return Page{}, fmt.Errorf("crm: list contacts: %w", err)
	}
	return page, nil
}

// Snapshot is the ordered ids of a filtered, sorted list, taken once when
// the filter changes. Paging through it costs the same at row 90,000 as
// at row 0, where OFFSET would walk every row before the page. It holds
// ids only, in memory.
type Snapshot struct {
	query ListQuery
	ids   []int64
}

// Matches reports whether the snapshot was taken for the same filter and
// order as q.
func (sn *Snapshot) Matches(q ListQuery) bool {
	return sn != nil && sn.query.Filter == q.Filter && sn.query.Sort == q.Sort && sn.query.Desc == q.Desc
}

// Len is the number of contacts in the list.
func (sn *Snapshot) Len() int { return len(sn.ids) }

// IDs returns the contact ids of the list, in order.
func (sn *Snapshot) IDs() []int64 { return slices.Clone(sn.ids) }

// Snapshot lists the ids matching q in order.
func (s *Store) Snapshot(ctx context.Context, q ListQuery) (*Snapshot, error) {
	where, args, err := q.Filter.where()
	if err != nil {
		return nil, err
	}
	order, err := q.orderBy()
	if err != nil {
		return nil, err
	}
	sn := &Snapshot{query: q}
	err = s.read(ctx, func(tx *sql.Tx) error {
		return each(ctx, tx, `SELECT c.id FROM contacts c WHERE `+where+` ORDER BY `+order, args, func(r *sql.Rows) error {
			var id int64
			err := r.Scan(&id)
			sn.ids = append(sn.ids, id)
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("crm: list: %w", err)
	}
	return sn, nil
}

// Page returns rows offset to offset+limit of the snapshot. Contacts
// deleted since the snapshot was taken are left out.
func (s *Store) Page(ctx context.Context, sn *Snapshot, offset, limit int) (Page, error) {
	page := Page{Total: len(sn.ids), Rows: []Row{}}
	if offset < 0 || offset >= len(sn.ids) || limit <= 0 {
		return page, nil
	}
	ids := sn.ids[offset:min(len(sn.ids), offset+min(limit, 500))]
	marks := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	byID := map[int64]Row{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		q := `SELECT ` + rowColumns + ` FROM contacts c WHERE c.deleted_at IS NULL AND c.id IN (` + marks + `)`
		return each(ctx, tx, q, args, func(r *sql.Rows) error {
			row, err := scanRow(r)
			byID[row.ID] = row
			return err
		})
	})
	if err != nil {
		return page, fmt.Errorf("crm: list page: %w", err)
	}
	for _, id := range ids {
		if row, ok := byID[id]; ok {
			page.Rows = append(page.Rows, row)
		}
	}
	return page, nil
}

// CompanyRow is a company as the list shows it.
type CompanyRow struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	City   string `json:"city"`
	Sector string `json:"sector"`
	People int    `json:"people"`
}

// CompanyPage is one page of the company list.
type CompanyPage struct {
	Total int          `json:"total"`
	Rows  []CompanyRow `json:"rows"`
}

// ListCompanies returns one page of companies by name, optionally those
// whose name starts with prefix.
func (s *Store) ListCompanies(ctx context.Context, prefix string, offset, limit int) (CompanyPage, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	page := CompanyPage{Rows: []CompanyRow{}}
	like := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(prefix) + "%"
	err := s.read(ctx, func(tx *sql.Tx) error {
		const where = `deleted_at IS NULL AND name LIKE ? ESCAPE '\'`
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM companies WHERE `+where, like).Scan(&page.Total); err != nil {
			return err
		}
		q := `
			SELECT co.id, co.name,
				coalesce((SELECT city FROM addresses WHERE company_id = co.id ORDER BY position LIMIT 1), ''),
				co.sector, (SELECT count(*) FROM contact_companies WHERE company_id = co.id)
			FROM companies co WHERE ` + where + ` ORDER BY co.name COLLATE NOCASE, co.id LIMIT ? OFFSET ?`
		return each(ctx, tx, q, []any{like, limit, offset}, func(r *sql.Rows) error {
			var row CompanyRow
			err := r.Scan(&row.ID, &row.Name, &row.City, &row.Sector, &row.People)
			page.Rows = append(page.Rows, row)
			return err
		})
	})
	if err != nil {
		return CompanyPage{}, fmt.Errorf("crm: list companies: %w", err)
	}
	return page, nil
}

// Segment is a saved filter.
type Segment struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Filter Filter `json:"filter"`
}

// Segment name errors.
var (
	ErrDuplicateName = errors.New("crm: name already used")
	ErrEmptyName     = errors.New("crm: a name is needed")
)

// SaveSegment creates or (with an ID) replaces a segment.
func (s *Store) SaveSegment(ctx context.Context, seg Segment) (int64, error) {
	seg.Name = strings.TrimSpace(seg.Name)
	if seg.Name == "" {
		return 0, ErrEmptyName
	}
	if _, _, err := seg.Filter.where(); err != nil {
		return 0, err
	}
	f, _ := json.Marshal(seg.Filter)
	var err error
	if seg.ID == 0 {
		err = txn.On(ctx, s.db).QueryRowContext(ctx, `INSERT INTO segments (name, filter) VALUES (?, ?) RETURNING id`, seg.Name, string(f)).Scan(&seg.ID)
	} else {
		_, err = txn.On(ctx, s.db).ExecContext(ctx, `UPDATE segments SET name = ?, filter = ? WHERE id = ?`, seg.Name, string(f), seg.ID)
	}
	if err != nil && strings.Contains(err.Error(), "UNIQUE") {
		return 0, ErrDuplicateName
	}
	if err != nil {
		return 0, fmt.Errorf("crm: save segment: %w", err)
	}
	return seg.ID, nil
}

// Segments lists the saved segments by name.
func (s *Store) Segments(ctx context.Context) ([]Segment, error) {
	out := []Segment{}
	err := each(ctx, txn.On(ctx, s.db), `SELECT id, name, filter FROM segments ORDER BY name COLLATE NOCASE`, nil, func(r *sql.Rows) error {
		var seg Segment
		var f string
		if err := r.Scan(&seg.ID, &seg.Name, &f); err != nil {
			return err
		}
		json.Unmarshal([]byte(f), &seg.Filter)
		out = append(out, seg)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("crm: segments: %w", err)
	}
	return out, nil
}

// DeleteSegment removes a saved segment (never the contacts in it).
func (s *Store) DeleteSegment(ctx context.Context, id int64) error {
	if _, err := txn.On(ctx, s.db).ExecContext(ctx, `DELETE FROM segments WHERE id = ?`, id); err != nil {
		return fmt.Errorf("crm: delete segment %d: %w", id, err)
	}
	return nil
}
