package backup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"carnet/backend/vault"
	"carnet/backend/vault/vaulttest"
)

func day(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.Local) }

func entries(times ...time.Time) []Entry {
	var es []Entry
	for _, t := range times {
		n := FileName("0123456789abcdef", t)
		es = append(es, Entry{Path: "/b/" + n, Name: n, Time: t, Rotated: true})
	}
	slices.SortFunc(es, func(a, b Entry) int { return b.Time.Compare(a.Time) })
	return es
}

func names(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Time.Format("2006-01-02 15h"))
	}
	return out
}

func TestPruneKeepsSevenDailyFourWeeklyTwelveMonthly(t *testing.T) {
	// Two backups a day (at lock and daily) for 500 days.
	var ts []time.Time
	start := day(2025, 7, 1, 9)
	for i := range 500 {
		d := start.AddDate(0, 0, i)
		ts = append(ts, d, d.Add(8*time.Hour))
	}
	es := entries(ts...)
	drop := Prune(es)
	dropped := map[string]bool{}
	for _, e := range drop {
		dropped[e.Path] = true
	}
	var kept []Entry
	for _, e := range es {
		if !dropped[e.Path] {
			kept = append(kept, e)
		}
	}
	newest := es[0].Time
	// The newest of each of the last 7 days.
	for i := range Daily {
		d := newest.AddDate(0, 0, -i)
		want := time.Date(d.Year(), d.Month(), d.Day(), 17, 0, 0, 0, time.Local)
		if !slices.ContainsFunc(kept, func(e Entry) bool { return e.Time.Equal(want) }) {
			t.Errorf("daily backup of %s dropped", want)
		}
	}
	// One per month for 12 months: the oldest kept is about a year back.
	oldest := kept[len(kept)-1].Time
	if months := (newest.Year()-oldest.Year())*12 + int(newest.Month()-oldest.Month()); months != Monthly-1 {
		t.Errorf("oldest kept %s is %d months before the newest %s", oldest, months, newest)
	}
	// 7 daily + up to 4 weekly + 12 monthly, overlapping.
	if len(kept) < Monthly || len(kept) > Daily+Weekly+Monthly {
		t.Errorf("kept %d: %v", len(kept), names(kept))
	}
	// Within the last four ISO weeks, each week keeps one.
	weeks := map[string]bool{}
	for _, e := range kept {
		if newest.Sub(e.Time) < 28*24*time.Hour {
			y, w := e.Time.ISOWeek()
			weeks[fmt.Sprint(y, w)] = true
		}
	}
	if len(weeks) < Weekly {
		t.Errorf("only %d weeks in the last 28 days: %v", len(weeks), names(kept))
	}
	if len(Prune(kept)) != 0 {
		t.Error("the rotation is not stable: pruning what it kept drops more")
	}
}

func TestPruneLeavesOtherFilesAlone(t *testing.T) {
	es := entries(day(2026, 1, 1, 9), day(2025, 12, 30, 10), day(2025, 12, 30, 11))
	manual := Entry{Path: "/b/mine.carnetbackup", Name: "mine.carnetbackup", Time: day(2020, 1, 1, 0)}
	es = append(es, manual)
	drop := Prune(es)
	if len(drop) != 1 || slices.ContainsFunc(drop, func(e Entry) bool { return e.Path == manual.Path }) {
		t.Fatalf("dropped %v", names(drop))
	}
}

func TestPruneKeepsEveryBackupOfTheLastDay(t *testing.T) {
	es := entries(day(2026, 1, 2, 9), day(2026, 1, 2, 8), day(2026, 1, 1, 10), day(2026, 1, 1, 8))
	drop := Prune(es)
	// 9h, 8h and yesterday 10h are within 24 hours of the newest; yesterday
	// 8h is not, and is not its day's newest either.
	if len(drop) != 1 || !drop[0].Time.Equal(day(2026, 1, 1, 8)) {
		t.Fatalf("dropped %v", names(drop))
	}
}

func TestDue(t *testing.T) {
	now := day(2026, 3, 10, 12)
	if !Due(nil, now) {
		t.Error("no backup yet: due")
	}
	if Due(entries(now.Add(-23*time.Hour)), now) {
		t.Error("a backup of 23 hours ago: not due")
	}
	if !Due(entries(now.Add(-25*time.Hour)), now) {
		t.Error("a backup of 25 hours ago: due")
	}
}

func TestRunWritesListsAndRotatesInARealFolder(t *testing.T) {
	ctx := context.Background()
	v, _ := vaulttest.Vault(t)
	folder := t.TempDir()
	id, _ := v.ID()
	// Nine old automatic backups a day apart, written as real files, plus a
	// manual one and a file that is not a backup.
	res, err := Run(ctx, v, folder, "test", time.Now().AddDate(0, 0, -20))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(res.Backup.Path)
	for i := 1; i <= 9; i++ {
		os.WriteFile(filepath.Join(folder, FileName(id, time.Now().AddDate(0, 0, -i))), b, 0o600)
	}
	os.WriteFile(filepath.Join(folder, "by hand"+vault.BackupExtension), b, 0o600)
	os.WriteFile(filepath.Join(folder, "notes.txt"), []byte("x"), 0o600)

	res, err = Run(ctx, v, folder, "test", time.Now())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	list, err := List(folder, id)
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(list, func(e Entry) bool { return e.Rotated }); list[i].Path != res.Backup.Path {
		t.Fatalf("newest automatic backup is %+v, want the new one", list[i])
	}
	var rotated, other int
	for _, e := range list {
		if e.Rotated {
			rotated++
		} else {
			other++
		}
	}
	// Today + 6 previous days, then the weekly/monthly picks among the
	// older ones (days 7..9 and day 20).
	if rotated < Daily || len(res.Removed) == 0 {
		t.Fatalf("rotated %d, removed %v", rotated, res.Removed)
	}
	if other != 1 {
		t.Fatalf("the manual backup should be listed and kept: %d other", other)
	}
	if _, err := os.Stat(filepath.Join(folder, "notes.txt")); err != nil {
		t.Fatal("a file that is not a backup was touched")
	}
	if Due(list, time.Now()) {
		t.Fatal("due right after a backup")
	}
}

func TestCheckFolder(t *testing.T) {
	v, _ := vaulttest.Vault(t)
	if err := CheckFolder(filepath.Join(v.Dir(), "backups"), v.Dir()); !errors.Is(err, ErrFolderUnavailable) {
		t.Errorf("missing folder: %v", err)
	}
	inside := filepath.Join(v.Dir(), "b")
	os.Mkdir(inside, 0o700)
	if err := CheckFolder(inside, v.Dir()); !errors.Is(err, ErrFolderInsideVault) {
		t.Errorf("folder inside the vault: %v", err)
	}
	if err := CheckFolder(v.Dir(), v.Dir()); !errors.Is(err, ErrFolderInsideVault) {
		t.Errorf("the vault folder itself: %v", err)
	}
	if err := CheckFolder("relative/path", v.Dir()); !errors.Is(err, ErrFolderUnavailable) {
		t.Errorf("relative path: %v", err)
	}
	if err := CheckFolder(t.TempDir(), v.Dir()); err != nil {
		t.Errorf("a good folder: %v", err)
	}
}
