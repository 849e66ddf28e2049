package store

import (
	"context"
	"fmt"
	"strings"
)

// maxPrefixWords is at most how many words of an index a prefix typed last
// is read as; a shorter, commoner prefix stays a prefix.
const maxPrefixWords = 32

// ftsWordsQuery is ftsQuery for SQLite with the prefix typed last read as
// the words of index that start with it: "invoice" "char"* becomes
// "invoice" AND ("charge" OR "charged" OR "charges"). FTS5 answers a prefix by
// merging the whole list of tickets of every word that starts with it
// before it yields the first (on a million tickets 30–540 ms a search),
// while words it walks newest first together and stops after a page (under
// a millisecond). The words are read from the index's own (migration 0034),
// so the tickets found are the same. Only a prefix of ASCII letters and
// digits is read so, which the tokenizer keeps as typed but lower-cased;
// any other, or one more than maxPrefixWords words start with, stays a
// prefix. It answers "" when text has no words.
func (s *Store) ftsWordsQuery(ctx context.Context, index, text string) (string, error) {
	words := searchWords(text)
	if len(words) == 0 {
		return "", nil
	}
	last := strings.ToLower(words[len(words)-1])
	if !plainWord(last) {
		return ftsQuery(text), nil
	}
	found, err := s.indexWords(ctx, index, last)
	if err != nil {
		return "", err
	}
	if len(found) > maxPrefixWords {
		return ftsQuery(text), nil
	}
	if len(found) == 0 {
		found = []string{last} // no ticket has it: the word alone finds none, at once
	}
	var b strings.Builder
	for _, w := range words[:len(words)-1] {
		b.WriteString(`"` + w + `" AND `)
	}
	b.WriteString("(")
	for i, w := range found {
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString(`"` + w + `"`)
	}
	b.WriteString(")")
	return b.String(), nil
}

// plainWord reports whether w is only lower-case ASCII letters and digits.
func plainWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return w != ""
}

// indexWords lists up to maxPrefixWords+1 words of the search index that
// start with prefix (plain, see plainWord).
func (s *Store) indexWords(ctx context.Context, index, prefix string) ([]string, error) {
	table := map[string]string{"ticket_search": "ticket_search_words", "ticket_refs": "ticket_refs_words"}[index]
	if table == "" {
		return nil, fmt.Errorf("store: no words kept for %s", index)
	}
	// Every word that starts with prefix sorts from prefix up to prefix
	// with its last letter moved on by one ('z' to '{', '9' to ':').
	end := prefix[:len(prefix)-1] + string(prefix[len(prefix)-1]+1)
	rows, err := s.rd.QueryContext(ctx, `SELECT term FROM `+table+` WHERE term >= ? AND term < ? ORDER BY term LIMIT ?`,
		prefix, end, maxPrefixWords+1)
	if err != nil {
		return nil, fmt.Errorf("store: words of %s: %w", index, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, fmt.Errorf("store: words of %s: %w", index, err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}
