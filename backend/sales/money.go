// Package sales holds the catalogue, quotes, invoices, credit notes and
// payments, their numbering and their VAT arithmetic.
//
// Money is integer cents (int64), VAT rates and percentage discounts are
// basis points (2000 = 20 %), quantities are thousandths (1500 = 1.5).
//
// Rounding rule (documented here and tested in money_test.go):
//  1. A line's amount excluding VAT is quantity × unit price, rounded half
//     away from zero to the cent, then its own discount: a percentage is
//     applied to that amount and rounded the same way; a fixed amount is
//     subtracted. A line never goes below zero.
//  2. Lines are summed per VAT rate: these are the taxable bases.
//  3. A document discount (percentage or amount) is shared between the
//     bases in proportion to them, each share rounded; the rounding
//     remainder goes to the largest base, so the shares add up exactly.
//  4. VAT is computed once per rate on its base, rounded half away from
//     zero: never line by line, so many small lines do not drift.
//  5. Total including VAT is the sum of the bases plus the sum of the VAT.
package sales

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// VAT rates applicable in mainland France, in basis points.
const (
	RateStandard     = 2000 // 20 %
	RateIntermediate = 1000 // 10 %
	RateReduced      = 550  // 5.5 %
	RateSuperReduced = 210  // 2.1 %
	RateZero         = 0    // needs an exemption reason
)

// Rates lists the rates a line may carry.
var Rates = []int64{RateStandard, RateIntermediate, RateReduced, RateSuperReduced, RateZero}

// Errors about amounts.
var (
	ErrInvalidRate      = errors.New("sales: VAT rate not allowed")
	ErrExemptionMissing = errors.New("sales: a 0 % line needs an exemption reason")
	ErrNegative         = errors.New("sales: negative quantity, price or discount")
	ErrBadAmount        = errors.New("sales: not an amount")
)

// divRound divides a by b (b > 0), rounding half away from zero.
func divRound(a, b int64) int64 {
	if a >= 0 {
		return (a + b/2) / b
	}
	return -((-a + b/2) / b)
}

// Line is one line of a quote, invoice or credit note.
type Line struct {
	ProductID    int64  `json:"productId"` // 0 for free text
	Description  string `json:"description"`
	Quantity     int64  `json:"quantity"` // thousandths
	Unit         string `json:"unit"`
	UnitPrice    int64  `json:"unitPrice"`    // cents, excluding VAT
	DiscountRate int64  `json:"discountRate"` // basis points
	DiscountAmt  int64  `json:"discountAmount"`
	VATRate      int64  `json:"vatRate"` // basis points
	Exemption    string `json:"exemption"`
}

// check validates a line's numbers.
func (l *Line) check() error {
	if l.Quantity < 0 || l.UnitPrice < 0 || l.DiscountRate < 0 || l.DiscountRate > 10000 || l.DiscountAmt < 0 {
		return ErrNegative
	}
	if !slices.Contains(Rates, l.VATRate) {
		return fmt.Errorf("%w: %d", ErrInvalidRate, l.VATRate)
	}
	if l.VATRate == 0 && strings.TrimSpace(l.Exemption) == "" {
		return ErrExemptionMissing
	}
	return nil
}

// Net is the line's amount excluding VAT, after its discount (rule 1).
func (l Line) Net() int64 {
	gross := divRound(l.Quantity*l.UnitPrice, 1000)
	net := gross - divRound(gross*l.DiscountRate, 10000) - l.DiscountAmt
	return max(net, 0)
}

// RateTotal is one row of the VAT breakdown.
type RateTotal struct {
	Rate      int64  `json:"rate"`
	Base      int64  `json:"base"` // after the document discount
	VAT       int64  `json:"vat"`
	Exemption string `json:"exemption"`
}

// Totals are a document's amounts.
type Totals struct {
	Lines    int64       `json:"lines"`    // sum of line nets, before the document discount
	Discount int64       `json:"discount"` // document discount, excluding VAT
	Net      int64       `json:"net"`      // total excluding VAT
	VAT      int64       `json:"vat"`
	Gross    int64       `json:"gross"` // total including VAT
	ByRate   []RateTotal `json:"byRate"`
}

// Compute applies the rounding rule to lines and a document discount
// (percentage in basis points, or amount in cents).
func Compute(lines []Line, discountRate, discountAmt int64) Totals {
	var t Totals
	bases := map[int64]*RateTotal{}
	for _, l := range lines {
		n := l.Net()
		t.Lines += n
		rt := bases[l.VATRate]
		if rt == nil {
			rt = &RateTotal{Rate: l.VATRate}
			bases[l.VATRate] = rt
		}
		rt.Base += n
		if rt.Exemption == "" {
			rt.Exemption = l.Exemption
		}
	}
	t.Discount = min(divRound(t.Lines*discountRate, 10000)+discountAmt, t.Lines)
	for _, rt := range bases {
		t.ByRate = append(t.ByRate, *rt)
	}
	// Highest rate first; the largest base takes the rounding remainder.
	slices.SortFunc(t.ByRate, func(a, b RateTotal) int { return int(b.Rate - a.Rate) })
	if t.Discount > 0 && t.Lines > 0 {
		largest, shared := 0, int64(0)
		for i := range t.ByRate {
			share := divRound(t.Discount*t.ByRate[i].Base, t.Lines)
			t.ByRate[i].Base -= share
			shared += share
			if t.ByRate[i].Base > t.ByRate[largest].Base {
				largest = i
			}
		}
		t.ByRate[largest].Base -= t.Discount - shared
	}
	for i := range t.ByRate {
		t.ByRate[i].VAT = divRound(t.ByRate[i].Base*t.ByRate[i].Rate, 10000)
		t.Net += t.ByRate[i].Base
		t.VAT += t.ByRate[i].VAT
	}
	t.Gross = t.Net + t.VAT
	return t
}

// ParseAmount reads "1234,56", "1 234.5" or "12" as cents.
func ParseAmount(s string) (int64, error) {
	return parseFixed(s, 2)
}

// ParseQuantity reads "1,5" or "2" as thousandths.
func ParseQuantity(s string) (int64, error) {
	return parseFixed(s, 3)
}

func parseFixed(s string, decimals int) (int64, error) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "€", "").Replace(strings.TrimSpace(s))
	s = strings.Replace(s, ",", ".", 1)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > decimals || strings.HasPrefix(whole, "-") {
		return 0, fmt.Errorf("%w: %q", ErrBadAmount, s)
	}
	frac += strings.Repeat("0", decimals-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%w: %q", ErrBadAmount, s)
	}
	return n, nil
}
