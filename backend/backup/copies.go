package backup

import (
	"time"

	"carnet/backend/prefs"
	"carnet/backend/vault"
)

// Copies are the copies of the vault outside the live database that may
// still hold a person after an erasure (Art. 17): backups in the backup
// folder and vaults set aside by a restore. They are told to the user and
// on the erasure certificate rather than rewritten: a backup is sealed by
// its MAC and rewriting it would defeat its purpose; the rotation drops the
// automatic ones, and an erasure is applied again to any vault restored
// from them (subject.Reapply).
//
// Which copies hold the person is answered by date, not by opening each
// copy: every copy made after the person was first recorded (the contact's
// creation, or an earlier stored e-mail of theirs) and before the erasure
// may hold them, and one made outside that span cannot. Opening a backup to
// look means checking the MAC over the whole file and copying its database
// out (as a restore does), for every backup, each time the screen is shown:
// seconds to minutes for a vault with mail. The answer by date errs only on
// the safe side (a copy listed that may not hold them).
type Copies struct {
	// Folder is the backup folder; empty when none is set.
	Folder string `json:"folder"`
	// FolderUnavailable: the folder could not be read (an unplugged disk);
	// the backups it holds are not listed but may hold the person.
	FolderUnavailable bool `json:"folderUnavailable"`
	// Backups that may hold the person, newest first.
	Backups []HeldBackup `json:"backups"`
	// LastExpiry is when the last automatic backup holding the person
	// leaves the rotation, if backups go on daily; zero when none does.
	LastExpiry time.Time `json:"lastExpiry"`
	// Kept counts the backups in the folder that the rotation never
	// removes (put there by the user): they stay until deleted by hand.
	Kept int `json:"kept"`
	// Replaced are the vaults set aside by restores that may hold the
	// person, newest first; they stay until purged.
	Replaced []Replaced `json:"replaced"`
}

// HeldBackup is a backup that may hold the person.
type HeldBackup struct {
	Name      string    `json:"name"`
	Time      time.Time `json:"time"`
	Automatic bool      `json:"automatic"`
	// Expires is the day the rotation removes it if a backup is written
	// each day from now on; zero for a file the rotation never removes.
	Expires time.Time `json:"expires"`
}

// horizon bounds the simulation of the rotation: 12 monthly backups, 4
// weekly and 7 daily ones are gone well within it.
const horizon = 2 * 366

// Expiry tells, for each automatic backup in entries (newest first, as List
// gives them), the day the rotation will remove it, assuming one automatic
// backup a day from now on, as Carnet makes when it is used daily. The
// rotation only runs when a backup is written: if Carnet is not used, the
// files stay.
func Expiry(entries []Entry, now time.Time) map[string]time.Time {
	out := map[string]time.Time{}
	live := []Entry{}
	for _, e := range entries {
		if e.Rotated {
			live = append(live, e)
		}
	}
	real := len(live)
	for day := 1; day <= horizon && real > 0; day++ {
		at := now.Add(time.Duration(day) * Every)
		next := append([]Entry{{Path: "\x00future" + at.Format(time.RFC3339), Time: at, Rotated: true}}, live...)
		drop := map[string]bool{}
		for _, d := range Prune(next) {
			drop[d.Path] = true
		}
		live = live[:0]
		for _, e := range next {
			if !drop[e.Path] {
				live = append(live, e)
				continue
			}
			if e.Path[0] != 0 {
				out[e.Path] = at
				real--
			}
		}
	}
	return out
}

// HoldingFrom is Holding for the vault in dataDir with its backup folder
// from the preferences, the times as the erasure stores them (RFC 3339;
// since "" when unknown, until "" for a preview: now).
func HoldingFrom(dataDir, vaultID, since, until string, now time.Time) Copies {
	from, _ := time.Parse(time.RFC3339, since)
	to, err := time.Parse(time.RFC3339, until)
	if err != nil {
		to = now
	}
	return Holding(dataDir, prefs.Load(dataDir).BackupFolder, vaultID, from, to, now)
}

// Holding lists the copies that may hold a person first recorded at since
// (zero when unknown: every copy before until) and erased at until (now,
// for a preview). dataDir is the vault's folder (for replaced/), folder
// the backup folder ("" when none), vaultID this vault's id: other vaults'
// backups in the folder are left out.
func Holding(dataDir, folder, vaultID string, since, until, now time.Time) Copies {
	c := Copies{Folder: folder, Backups: []HeldBackup{}, Replaced: []Replaced{}}
	// Both ends inclusive: the times are to the second, and a copy made
	// within the erasure's second is counted (the safe side).
	holds := func(t time.Time) bool { return !t.Before(since) && !t.After(until) }
	if folder != "" {
		entries, err := List(folder, vaultID)
		if err != nil {
			c.FolderUnavailable = true
		}
		expiry := Expiry(entries, now)
		for _, e := range entries {
			if !e.Rotated {
				// A file the user put there: only this vault's count.
				if bi, err := vault.ReadBackupInfo(e.Path); err != nil || bi.VaultID != vaultID {
					continue
				}
			}
			if !holds(e.Time) {
				continue
			}
			h := HeldBackup{Name: e.Name, Time: e.Time, Automatic: e.Rotated, Expires: expiry[e.Path]}
			if !e.Rotated {
				c.Kept++
			}
			if h.Expires.After(c.LastExpiry) {
				c.LastExpiry = h.Expires
			}
			c.Backups = append(c.Backups, h)
		}
	}
	replaced, _ := ListReplaced(dataDir)
	for _, r := range replaced {
		if holds(r.Time) {
			c.Replaced = append(c.Replaced, r)
		}
	}
	return c
}
