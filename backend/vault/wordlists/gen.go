//go:build ignore

// gen rebuilds the French word lists embedded by the passphrase estimator
// from the npm packages @zxcvbn-ts/language-fr and @zxcvbn-ts/language-common
// (see README.md):
//
//	go run gen.go FR_PACKAGE_DIR COMMON_PACKAGE_DIR ZXCVBN_GO_DATA_DIR
//
// Each output is one word a line, most frequent first, gzip-compressed.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	if len(os.Args) != 4 {
		log.Fatal("usage: go run gen.go FR_PACKAGE_DIR COMMON_PACKAGE_DIR ZXCVBN_GO_DATA_DIR")
	}
	fr, common, english := os.Args[1], os.Args[2], os.Args[3]
	write("fr-subtitles.txt.gz", readJSON(filepath.Join(fr, "src/commonWords.json")))
	write("fr-wikipedia.txt.gz", readJSON(filepath.Join(fr, "src/wikipedia.json")))
	// The package's two name lists are alphabetical, not ranked, and each
	// mixes first names and surnames: one list, sorted, is what they are.
	names := append(readJSON(filepath.Join(fr, "src/firstnames.json")), readJSON(filepath.Join(fr, "src/lastnames.json"))...)
	sort.Strings(names)
	write("fr-names.txt.gz", names)
	// Only the common passwords that the Go library's own list lacks (many
	// French ones: loulou, chouchou…), in their order of frequency.
	known := map[string]bool{}
	f, err := os.Open(filepath.Join(english, "passwords.txt"))
	if err != nil {
		log.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if w, _, _ := strings.Cut(sc.Text(), " "); w != "" {
			known[w] = true
		}
	}
	f.Close()
	var extra []string
	for _, w := range readJSON(filepath.Join(common, "src/passwords.json")) {
		if !known[w] {
			extra = append(extra, w)
		}
	}
	write("passwords-extra.txt.gz", extra)
}

func readJSON(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	var words []string
	if err := json.Unmarshal(b, &words); err != nil {
		log.Fatalf("%s: %v", path, err)
	}
	return words
}

// write keeps the first (most frequent) of duplicate words and drops empty
// ones and ones with a line break.
func write(name string, words []string) {
	f, err := os.Create(name)
	if err != nil {
		log.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	seen := map[string]bool{}
	n := 0
	for _, w := range words {
		w = strings.ToLower(strings.TrimSpace(w))
		if w == "" || seen[w] || strings.ContainsAny(w, "\r\n") {
			continue
		}
		seen[w] = true
		fmt.Fprintln(zw, w)
		n++
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	log.Printf("%s: %d words", name, n)
}
