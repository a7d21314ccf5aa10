package sales

import "testing"

func line(qty, price, rate int64) Line {
	ex := ""
	if rate == 0 {
		ex = "Exonération de TVA, article 262 ter I du CGI"
	}
	return Line{Quantity: qty, UnitPrice: price, VATRate: rate, Exemption: ex}
}

func TestTotalsFollowTheRoundingRule(t *testing.T) {
	for _, tc := range []struct {
		name        string
		lines       []Line
		dRate, dAmt int64
		net, vat    int64
		bases       map[int64]int64
	}{
		{"one line at 20 %", []Line{line(1000, 10000, 2000)}, 0, 0, 10000, 2000, map[int64]int64{2000: 10000}},
		{"VAT is computed once on the base, not per line: 100 lines of 0.33 € at 20 %",
			repeat(line(1000, 33, 2000), 100), 0, 0, 3300, 660, map[int64]int64{2000: 3300}},
		{"5.5 % rounds half away from zero on the base", []Line{line(1000, 1010, 550)}, 0, 0, 1010, 56, map[int64]int64{550: 1010}},
		{"2.1 % on a press subscription", []Line{line(3000, 1999, 210)}, 0, 0, 5997, 126, map[int64]int64{210: 5997}},
		{"quantity with decimals rounds the line to the cent", []Line{line(1333, 1000, 2000)}, 0, 0, 1333, 267, map[int64]int64{2000: 1333}},
		{"line discount in percent then amount", []Line{{Quantity: 2000, UnitPrice: 5000, DiscountRate: 1000, DiscountAmt: 500, VATRate: 2000}}, 0, 0, 8500, 1700, map[int64]int64{2000: 8500}},
		{"a line never goes below zero", []Line{{Quantity: 1000, UnitPrice: 100, DiscountAmt: 500, VATRate: 2000}}, 0, 0, 0, 0, map[int64]int64{2000: 0}},
		{"mixed rates keep separate bases", []Line{line(1000, 10000, 2000), line(1000, 5000, 550), line(1000, 2000, 0)}, 0, 0, 17000, 2275, map[int64]int64{2000: 10000, 550: 5000, 0: 2000}},
		{"document discount shared in proportion, remainder to the largest base",
			[]Line{line(1000, 1000, 2000), line(1000, 1000, 1000), line(1000, 1000, 550)}, 0, 100, 2900, 343, map[int64]int64{2000: 966, 1000: 967, 550: 967}},
		{"document discount in percent", []Line{line(1000, 9999, 2000)}, 1000, 0, 8999, 1800, map[int64]int64{2000: 8999}},
		{"a discount larger than the lines stops at zero", []Line{line(1000, 1000, 2000)}, 0, 5000, 0, 0, map[int64]int64{2000: 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Compute(tc.lines, tc.dRate, tc.dAmt)
			if got.Net != tc.net || got.VAT != tc.vat || got.Gross != tc.net+tc.vat {
				t.Fatalf("net %d vat %d gross %d; want %d %d %d", got.Net, got.VAT, got.Gross, tc.net, tc.vat, tc.net+tc.vat)
			}
			sum := int64(0)
			for _, r := range got.ByRate {
				if r.Base != tc.bases[r.Rate] {
					t.Fatalf("base at %d: %d, want %d (%+v)", r.Rate, r.Base, tc.bases[r.Rate], got.ByRate)
				}
				sum += r.Base
			}
			if sum != got.Net || got.Lines-got.Discount != got.Net {
				t.Fatalf("bases %d, lines %d - discount %d, net %d do not agree", sum, got.Lines, got.Discount, got.Net)
			}
		})
	}
}

func repeat(l Line, n int) []Line {
	out := make([]Line, n)
	for i := range out {
		out[i] = l
	}
	return out
}

func TestParseAmounts(t *testing.T) {
	for in, want := range map[string]int64{"12": 1200, "12,5": 1250, "1 234,56 €": 123456, "0.01": 1, ",5": 50} {
		if got, err := ParseAmount(in); got != want || err != nil {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "1,234", "abc", "1.2.3"} {
		if _, err := ParseAmount(bad); err == nil {
			t.Errorf("ParseAmount(%q) accepted", bad)
		}
	}
	if q, _ := ParseQuantity("1,5"); q != 1500 {
		t.Errorf("ParseQuantity(1,5) = %d", q)
	}
}

func TestLineChecks(t *testing.T) {
	if err := (&Line{Quantity: 1000, UnitPrice: 100, VATRate: 1900}).check(); err == nil {
		t.Error("19 % accepted")
	}
	if err := (&Line{Quantity: 1000, UnitPrice: 100, VATRate: 0}).check(); err != ErrExemptionMissing {
		t.Errorf("0 %% without exemption: %v", err)
	}
	if err := (&Line{Quantity: -1, VATRate: 2000}).check(); err != ErrNegative {
		t.Errorf("negative quantity: %v", err)
	}
}
