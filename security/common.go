// Package security holds the desk's protections that need neither SQL nor
// HTTP: the password policy, two-factor codes and the masking of card
// numbers and other patterns in text before it is stored.
package security

import (
	_ "embed"
	"strings"
	"sync"
)

// commonPasswords are the 10,000 most common passwords, most common first,
// lower-cased, one a line. They are the first 10,000 distinct lines of
// data/passwords.txt in the Go module github.com/trustelem/zxcvbn v1.0.1
// (MIT licence, Copyright (c) 2018 Vincent Vanackere and Trustelem; sha256
// of that file 6313cc5e…d951f), the frequency list of Dropbox's zxcvbn 4.4.2,
// counted from Mark Burnett's corpus of 10 million leaked passwords. To
// make it again:
//
//	awk '{print tolower($1)}' data/passwords.txt | awk '!seen[$0]++' | head -10000
//
//go:embed common_passwords.txt
var commonPasswords string

var commonSet = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, 10000)
	for _, p := range strings.Split(strings.TrimSpace(commonPasswords), "\n") {
		m[p] = struct{}{}
	}
	return m
})

// IsCommonPassword reports whether pw, in any case, is one of the 10,000
// most common passwords.
func IsCommonPassword(pw string) bool {
	_, ok := commonSet()[strings.ToLower(strings.TrimSpace(pw))]
	return ok
}
