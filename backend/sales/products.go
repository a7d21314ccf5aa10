package sales

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"carnet/backend/txn"
)

// Product is a catalogue entry.
type Product struct {
	ID          int64  `json:"id"`
	Reference   string `json:"reference"`
	Label       string `json:"label"`
	Description string `json:"description"`
	Unit        string `json:"unit"`
	UnitPrice   int64  `json:"unitPrice"` // cents excluding VAT
	VATRate     int64  `json:"vatRate"`
	Exemption   string `json:"exemption"`
	Archived    bool   `json:"archived"`
}

// SaveProduct creates (ID 0) or updates a product and returns its id.
func (s *Store) SaveProduct(ctx context.Context, p Product) (int64, error) {
	p.Label = strings.TrimSpace(p.Label)
	if p.Label == "" {
		return 0, ErrEmptyLabel
	}
	l := Line{Quantity: 1000, UnitPrice: p.UnitPrice, VATRate: p.VATRate, Exemption: p.Exemption}
	if err := l.check(); err != nil {
		return 0, err
	}
	ts := stamp(s.now())
	if p.ID == 0 {
		const q = `INSERT INTO products (reference, label, description, unit, unit_price, vat_rate, exemption, archived, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
		err := txn.On(ctx, s.db).QueryRowContext(ctx, q, p.Reference, p.Label, p.Description, p.Unit, p.UnitPrice, p.VATRate, p.Exemption, p.Archived, ts, ts).Scan(&p.ID)
		if err != nil {
			return 0, fmt.Errorf("sales: add product: %w", err)
		}
		return p.ID, nil
	}
	const q = `UPDATE products SET reference = ?, label = ?, description = ?, unit = ?, unit_price = ?, vat_rate = ?,
		exemption = ?, archived = ?, updated_at = ? WHERE id = ?`
	res, err := txn.On(ctx, s.db).ExecContext(ctx, q, p.Reference, p.Label, p.Description, p.Unit, p.UnitPrice, p.VATRate, p.Exemption, p.Archived, ts, p.ID)
	if err != nil {
		return 0, fmt.Errorf("sales: update product %d: %w", p.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, ErrNotFound
	}
	return p.ID, nil
}

// Products lists the catalogue by label; archived products only when asked.
func (s *Store) Products(ctx context.Context, withArchived bool) ([]Product, error) {
	const q = `SELECT id, reference, label, description, unit, unit_price, vat_rate, exemption, archived
		FROM products WHERE archived = 0 OR ? ORDER BY archived, label COLLATE NOCASE`
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, q, withArchived)
	if err != nil {
		return nil, fmt.Errorf("sales: products: %w", err)
	}
	defer rows.Close()
	out := []Product{}
	for rows.Next() {
		var p Product
		if err := rows.Scan(&p.ID, &p.Reference, &p.Label, &p.Description, &p.Unit, &p.UnitPrice, &p.VATRate, &p.Exemption, &p.Archived); err != nil {
			return nil, fmt.Errorf("sales: products: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Product returns one product.
func (s *Store) Product(ctx context.Context, id int64) (*Product, error) {
	const q = `SELECT id, reference, label, description, unit, unit_price, vat_rate, exemption, archived FROM products WHERE id = ?`
	var p Product
	err := txn.On(ctx, s.db).QueryRowContext(ctx, q, id).Scan(&p.ID, &p.Reference, &p.Label, &p.Description, &p.Unit, &p.UnitPrice, &p.VATRate, &p.Exemption, &p.Archived)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sales: product %d: %w", id, err)
	}
	return &p, nil
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
