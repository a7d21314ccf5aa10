package vault

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn/match"
	"github.com/trustelem/zxcvbn/matching"
	"github.com/trustelem/zxcvbn/scoring"

	"carnet/backend/vault/wordlists"
)

// MinPassphraseGuesses is the estimated number of guesses below which a
// passphrase is refused (issue 16). An offline guess costs about a second
// of Argon2id here, so 10^10 guesses keep one machine busy for centuries
// and a thousand of them for decades.
const MinPassphraseGuesses = 1e10

// estimateRunes bounds the work per estimate: the library's matching grows
// with the cube of the length (and more with many l33t characters), and
// characters past this many can only add guesses. 64 characters cost a few
// milliseconds (BenchmarkEstimatePassphrase).
const estimateRunes = 64

// Weakness says why a passphrase is refused; the app turns it into a
// sentence ("passphrase.weak.<weakness>").
type Weakness string

const (
	WeakTooShort   Weakness = "too_short"
	WeakCommon     Weakness = "common"      // a common password as it is
	WeakCommonPlus Weakness = "common_plus" // … with a few characters added
	WeakWord       Weakness = "word"        // a dictionary word (French or English)
	WeakWordPlus   Weakness = "word_plus"   // … with a few digits or symbols
	WeakName       Weakness = "name"        // a first name or surname
	WeakNamePlus   Weakness = "name_plus"   // … with a year or a few digits
	WeakFewWords   Weakness = "few_words"   // two or three common words
	WeakKeyboard   Weakness = "keyboard"    // keys next to each other
	WeakRepeat     Weakness = "repeat"      // aaaa, abcabc
	WeakSequence   Weakness = "sequence"    // abcd, 9876
	WeakDate       Weakness = "date"        // a date or a recent year
	WeakGuessable  Weakness = "guessable"   // short and random-looking: still too few guesses
)

// Weaknesses lists every Weakness, for the tests of their translations.
var Weaknesses = []Weakness{WeakTooShort, WeakCommon, WeakCommonPlus, WeakWord, WeakWordPlus, WeakName,
	WeakNamePlus, WeakFewWords, WeakKeyboard, WeakRepeat, WeakSequence, WeakDate, WeakGuessable}

// Hint is the advice that goes with a Weakness ("passphrase.suggest.<hint>").
type Hint string

const (
	HintLength   Hint = "length"   // reach the minimum length
	HintWords    Hint = "words"    // add unrelated words
	HintLeet     Hint = "leet"     // look-alike substitutions fool nobody
	HintReversed Hint = "reversed" // a reversed word is no harder
	HintDate     Hint = "date"     // avoid dates tied to you
)

// Hints lists every Hint.
var Hints = []Hint{HintLength, HintWords, HintLeet, HintReversed, HintDate}

// Estimate is what the strength meter shows and what CheckPassphrase
// enforces: one estimator for both (no rule of its own in the frontend).
type Estimate struct {
	// Guesses is the estimated number of guesses an attacker who tries
	// common passwords, French and English words, names, keyboard patterns,
	// dates, repeats and sequences first would need.
	Guesses float64
	// Score is 0 (too short), 1 (refused: too easy to guess), then 2 to 4.
	Score int
	// Weakness is empty when the passphrase may be set.
	Weakness Weakness
	Hint     Hint
}

// Acceptable reports whether the passphrase may be set.
func (e Estimate) Acceptable() bool { return e.Weakness == "" }

// EstimatePassphrase rates p in the manner of zxcvbn: it finds every
// dictionary word (plain, capitalised, reversed or in l33t), keyboard walk,
// repeat, sequence and date in p, and the cheapest way to guess p as a
// sequence of them. Accents are folded first (é is tried as e) and the
// French lists are searched with the English ones. A few hundred
// microseconds: fast enough for each key press.
func EstimatePassphrase(p string) Estimate {
	if utf8.RuneCountInString(p) < MinPassphraseLen {
		return Estimate{Guesses: 0, Score: 0, Weakness: WeakTooShort, Hint: HintLength}
	}
	if !utf8.ValidString(p) {
		p = strings.ToValidUTF8(p, "\uFFFD")
	}
	f := foldAccents(truncateRunes(p, estimateRunes))
	matches := matching.Omnimatch(f, passphraseUserInputs)
	matches = append(matches, frenchDictionaries().matches(f)...)
	seq := scoring.MostGuessableMatchSequence(f, matches, false)
	e := Estimate{Guesses: seq.Guesses}
	switch {
	case seq.Guesses < MinPassphraseGuesses:
		e.Score = 1
		e.Weakness, e.Hint = weakness(seq.Sequence)
	case seq.Guesses < 1e12:
		e.Score = 2
	case seq.Guesses < 1e14:
		e.Score = 3
	default:
		e.Score = 4
	}
	return e
}

// weakness names the pattern that makes a refused passphrase guessable: the
// longest part of its guess sequence that is not brute force.
func weakness(seq []*match.Match) (Weakness, Hint) {
	var top *match.Match
	for _, m := range seq {
		if m.Pattern == "bruteforce" {
			continue
		}
		if top == nil || utf8.RuneCountInString(m.Token) > utf8.RuneCountInString(top.Token) {
			top = m
		}
	}
	if top == nil {
		return WeakGuessable, HintWords
	}
	plus := len(seq) > 1
	words := 0
	for _, m := range seq {
		if m.Pattern == "dictionary" && strings.IndexFunc(m.Token, unicode.IsLetter) >= 0 {
			words++
		}
	}
	switch top.Pattern {
	case "dictionary":
		if words > 1 {
			return WeakFewWords, HintWords
		}
		w := WeakWord
		switch top.DictionaryName {
		case "passwords", wordlists.CommonPasswords:
			w = WeakCommon
		case "male_names", "female_names", "surnames", wordlists.FrenchNames:
			w = WeakName
		}
		if plus {
			w += "_plus"
		}
		switch {
		case top.L33t:
			return w, HintLeet
		case top.Reversed:
			return w, HintReversed
		}
		return w, HintWords
	case "spatial":
		return WeakKeyboard, HintWords
	case "repeat":
		return WeakRepeat, HintWords
	case "sequence":
		return WeakSequence, HintWords
	case "date", "regex":
		return WeakDate, HintDate
	}
	return WeakGuessable, HintWords
}

func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// foldAccents spells the accented letters of French (and its neighbours)
// without their accents, so that "été" and "ete" are the same word and
// every letter is one byte, as the dictionary matcher expects.
func foldAccents(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	return accentFolder.Replace(s)
}

var accentFolder = func() *strings.Replacer {
	var pairs []string
	for to, from := range map[string]string{
		"a": "àâäáãå", "A": "ÀÂÄÁÃÅ", "c": "ç", "C": "Ç", "e": "éèêë", "E": "ÉÈÊË",
		"i": "îïíì", "I": "ÎÏÍÌ", "n": "ñ", "N": "Ñ", "o": "ôöóòõø", "O": "ÔÖÓÒÕØ",
		"u": "ûüùú", "U": "ÛÜÙÚ", "y": "ÿý", "Y": "ŸÝ",
		"oe": "œ", "OE": "Œ", "ae": "æ", "AE": "Æ", "ss": "ß",
		"'": "’‘", "-": "‐‑–",
	} {
		for _, r := range from {
			pairs = append(pairs, string(r), to)
		}
	}
	return strings.NewReplacer(pairs...)
}()

// rankedDict maps a word, lower case and folded, to its rank: 1 for the most
// frequent.
type rankedDict struct {
	name   string
	words  map[string]int
	maxLen int // bytes
}

type dictionaries []rankedDict

// frenchDictionaries are loaded once, on first use (about 80,000 words).
var frenchDictionaries = sync.OnceValue(func() dictionaries {
	var ds dictionaries
	for _, name := range wordlists.Names {
		words, err := wordlists.Read(name)
		if err != nil {
			// The lists are embedded: only a broken build gets here.
			panic(err)
		}
		d := rankedDict{name: name, words: make(map[string]int, len(words))}
		for i, w := range words {
			rank := i + 1
			if name == wordlists.FrenchNames {
				// Unranked: an attacker trying every name needs half the
				// list on average.
				rank = len(words) / 2
			}
			d.add(strings.ToLower(foldAccents(w)), rank)
			// "jean-pierre" is also typed "jeanpierre", "aujourd'hui" "aujourdhui".
			if joined := joiner.Replace(w); joined != w {
				d.add(strings.ToLower(foldAccents(joined)), rank)
			}
		}
		ds = append(ds, d)
	}
	return ds
})

var joiner = strings.NewReplacer("-", "", "'", "", " ", "")

func (d *rankedDict) add(w string, rank int) {
	if r, ok := d.words[w]; ok && r <= rank {
		return
	}
	d.words[w] = rank
	d.maxLen = max(d.maxLen, len(w))
}

// l33t lists the letters each look-alike character may stand for.
var l33t = map[byte]string{
	'4': "a", '@': "a", '8': "b", '(': "c", '{': "c", '[': "c", '<': "c",
	'3': "e", '6': "g", '9': "g", '1': "il", '!': "i", '|': "il", '0': "o",
	'$': "s", '5': "s", '7': "tl", '+': "t", '%': "x", '2': "z",
}

// matches finds the words of ds in the folded password f: as typed (any
// case), reversed, and with look-alike characters read as letters.
func (ds dictionaries) matches(f string) []*match.Match {
	lower := asciiLower(f)
	out := ds.scan(f, lower, false)
	// Reversed: the string reversed rune by rune keeps each rune's bytes, so
	// a span [i, j) of it is the span [n-j, n-i) of f.
	for _, m := range ds.scan(reverseRunes(f), reverseRunes(lower), false) {
		n := len(f)
		m.I, m.J = n-1-m.J, n-1-m.I
		m.Token = f[m.I : m.J+1]
		m.Reversed = true
		out = append(out, m)
	}
	for _, sub := range l33tReadings(lower) {
		read := []byte(lower)
		for i := range read {
			if r, ok := sub[read[i]]; ok {
				read[i] = r
			}
		}
		for _, m := range ds.scan(f, string(read), true) {
			m.L33t = true
			m.Sub = map[string]string{}
			for k := m.I; k <= m.J; k++ {
				if r, ok := sub[lower[k]]; ok {
					m.Sub[string(lower[k])] = string(r)
				}
			}
			out = append(out, m)
		}
	}
	return out
}

// scan looks up every span of key (rune-aligned, as long as a dictionary's
// longest word at most) and reports it against the same span of f. With
// l33tOnly, spans that read the same without substitution are skipped: the
// plain scan already found them.
func (ds dictionaries) scan(f, key string, l33tOnly bool) []*match.Match {
	var out []*match.Match
	lower := asciiLower(f)
	for _, d := range ds {
		for i := range key {
			for j := i + 1; j <= len(key) && j-i <= d.maxLen; j++ {
				if j < len(key) && !utf8.RuneStart(key[j]) {
					continue
				}
				w := key[i:j]
				rank, ok := d.words[w]
				if !ok || (l33tOnly && (j-i < 2 || lower[i:j] == w)) {
					continue
				}
				out = append(out, &match.Match{
					Pattern: "dictionary", I: i, J: j - 1, Token: f[i:j],
					MatchedWord: w, Rank: rank, DictionaryName: d.name,
				})
			}
		}
	}
	return out
}

// l33tReadings returns each way to read the look-alike characters of s as
// letters: one per choice for the ambiguous ones (1 as i or l…), at most 8.
func l33tReadings(s string) []map[byte]byte {
	readings := []map[byte]byte{{}}
	seen := map[byte]bool{}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letters, ok := l33t[c]
		if !ok || seen[c] {
			continue
		}
		seen[c] = true
		var next []map[byte]byte
		for _, r := range readings {
			for k := 0; k < len(letters); k++ {
				m := make(map[byte]byte, len(r)+1)
				for a, b := range r {
					m[a] = b
				}
				m[c] = letters[k]
				next = append(next, m)
			}
		}
		if len(next) > 8 {
			next = next[:8]
		}
		readings = next
	}
	if len(seen) == 0 {
		return nil
	}
	return readings
}

// asciiLower lower-cases ASCII letters only, which keeps every byte offset.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func reverseRunes(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// passphraseUserInputs are words an attacker tries first against a Carnet
// key file: the app's name (the same in French and English) and what it
// means, in both languages. zxcvbn ranks them as the most common words.
var passphraseUserInputs = []string{"carnet", "carnets", "notebook", "crm"}
