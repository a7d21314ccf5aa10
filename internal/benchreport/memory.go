package benchreport

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"

	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/sales"
	"carnet/backend/vault"
)

// Memory is what the child process reports: its peak resident set
// (VmHWM) while unlocking, and again while working with the vault open.
type Memory struct {
	UnlockPeakMB float64 `json:"unlockPeakMB"` // from the start to the end of the unlock: Argon2id's memory is in it
	UnlockedMB   float64 `json:"unlockedMB"`   // resident just after the unlock
	OpenPeakMB   float64 `json:"openPeakMB"`   // from just after the unlock to the end of the work
	EndMB        float64 `json:"endMB"`        // resident at the end
	GoMB         float64 `json:"goMB"`         // of which the Go runtime's (heap, stacks), at the end
}

// sessions is how many sessions the memory child runs at once: as many as
// the vault's pool has connections (each has its own SQLite page cache), as
// when the interface asks for several things at once while the mail syncs.
const sessions = 4

// MemoryChildArg is the first argument a program gives MemoryChild's
// process, to tell it from a run.
const MemoryChildArg = "memory-child"

// MeasureMemory runs self (this program, told to be MemoryChild) as a fresh
// process that unlocks the vault in dir and works in it as a user does;
// the vault must be closed in this process meanwhile (one Carnet per vault).
func MeasureMemory(ctx context.Context, self []string, dir string, messages int) (Memory, error) {
	var m Memory
	err := runChild(ctx, "memory child", self, []string{dir, strconv.Itoa(messages)}, &m)
	return m, err
}

// runChild runs self (this program, told by its arguments which child to
// be) with args, and reads what it prints on stdout as JSON into out.
func runChild(ctx context.Context, name string, self, args []string, out any) error {
	cmd := exec.CommandContext(ctx, self[0], append(self[1:], args...)...)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("benchreport: %s: %w", name, err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("benchreport: %s said %q: %w", name, b, err)
	}
	return nil
}

// MemoryChild is the child's side: args are the vault folder and the number
// of stored e-mails. It unlocks, runs the retention sweep as the app does,
// and meanwhile four sessions at once of what a user does with the vault
// open — the contact list scrolled, searches, contacts and their timelines opened,
// e-mails listed, searched and opened, the sales screen — and prints
// Memory as JSON on stdout.
func MemoryChild(ctx context.Context, args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("benchreport: memory child: want the vault folder and the number of e-mails")
	}
	messages, err := strconv.Atoi(args[1])
	if err != nil {
		return err
	}
	v, err := vault.Open(args[0], vault.Options{})
	if err != nil {
		return err
	}
	defer v.Close()
	if err := v.Unlock(ctx, Passphrase); err != nil {
		return err
	}
	var m Memory
	if m.UnlockPeakMB, err = procStatus("VmHWM"); err != nil {
		return err
	}
	if m.UnlockedMB, err = procStatus("VmRSS"); err != nil {
		return err
	}
	// From here VmHWM counts from the resident size now (Linux ≥ 4.0).
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return fmt.Errorf("benchreport: reset the peak resident size: %w", err)
	}
	db, err := v.DB()
	if err != nil {
		return err
	}
	tr, err := i18n.Load()
	if err != nil {
		return err
	}
	w := &Vault{DB: db, I18n: tr}
	w.stores()
	errs := make(chan error, sessions)
	for i := range sessions {
		go func() {
			if i == 0 { // the sweep the app runs at unlock
				if err := w.sweepOp(ctx)(0); err != nil {
					errs <- err
					return
				}
			}
			errs <- session(ctx, w, messages, i)
		}()
	}
	for range sessions {
		if err := <-errs; err != nil {
			return err
		}
	}
	if m.OpenPeakMB, err = procStatus("VmHWM"); err != nil {
		return err
	}
	if m.EndMB, err = procStatus("VmRSS"); err != nil {
		return err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m.GoMB = float64(ms.Sys-ms.HeapReleased) / 1e6
	return json.NewEncoder(os.Stdout).Encode(m)
}

// session is a user's work with the vault open; sessions with another
// seed look at other pages, contacts and e-mails.
func session(ctx context.Context, v *Vault, messages, seed int) error {
	all, err := v.CRM.Snapshot(ctx, crm.ListQuery{Sort: crm.SortName})
	if err != nil {
		return err
	}
	ids := all.IDs()
	for i := range 40 {
		if _, err := v.CRM.Page(ctx, all, ((seed*40+i)*7919)%max(1, all.Len()-50), 50); err != nil {
			return err
		}
	}
	page, err := v.pageOp(ctx)
	if err != nil {
		return err
	}
	search := v.searchOp(ctx)
	for i := range 3 * len(searchQueries) {
		if err := page(seed*100 + i); err != nil {
			return err
		}
		if err := search(seed + i); err != nil {
			return err
		}
	}
	for i := range 30 {
		id := ids[((seed*30+i)*104729)%len(ids)]
		if _, err := v.CRM.Contact(ctx, id); err != nil {
			return err
		}
		if _, err := v.CRM.Timeline(ctx, id, 0); err != nil {
			return err
		}
		if _, err := v.Mail.ForContact(ctx, id, 50); err != nil {
			return err
		}
	}
	folders, err := v.Mail.Folders(ctx, 1)
	if err != nil {
		return err
	}
	for _, f := range folders {
		if _, err := v.Mail.List(ctx, f.ID, 0, 100); err != nil {
			return err
		}
	}
	open, find := v.openOp(ctx, messages), v.mailSearchOp(ctx)
	for i := range 2 * len(mailQueries) {
		if err := open(seed*100 + i); err != nil {
			return err
		}
		if err := find(seed + i); err != nil {
			return err
		}
	}
	if _, err := v.Sales.Overview(ctx); err != nil {
		return err
	}
	_, err = v.Sales.List(ctx, sales.KindInvoice)
	return err
}

// procStatus reads a size field of /proc/self/status, in MB (10⁶ bytes).
func procStatus(field string) (float64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 64)
		if err != nil {
			return 0, err
		}
		return kb * 1024 / 1e6, nil
	}
	return 0, fmt.Errorf("benchreport: no %s in /proc/self/status", field)
}
