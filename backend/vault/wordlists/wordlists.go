// Package wordlists holds the French word lists and the extra common
// passwords that the passphrase estimator adds to the English ones of
// github.com/trustelem/zxcvbn. See README.md for their sources and licences.
package wordlists

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
)

//go:embed *.txt.gz
var files embed.FS

// Ranked lists, most frequent first.
const (
	FrenchSubtitles = "fr-subtitles"    // French words by frequency in film subtitles
	FrenchWikipedia = "fr-wikipedia"    // French words by frequency in Wikipedia
	CommonPasswords = "passwords-extra" // common passwords by frequency
)

// FrenchNames is in alphabetical order: the rank of a name says nothing.
const FrenchNames = "fr-names"

// Names lists every list Read accepts.
var Names = []string{FrenchSubtitles, FrenchWikipedia, CommonPasswords, FrenchNames}

// Read returns the words of one list, in their order.
func Read(name string) ([]string, error) {
	b, err := files.ReadFile(name + ".txt.gz")
	if err != nil {
		return nil, fmt.Errorf("wordlists: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("wordlists: %s: %w", name, err)
	}
	var words []string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		words = append(words, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("wordlists: %s: %w", name, err)
	}
	return words, nil
}
