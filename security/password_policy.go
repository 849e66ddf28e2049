package security

import (
	"unicode"
	"unicode/utf8"
)

// Password length bounds any policy keeps within: at least MinPasswordFloor
// characters, and never more than MaxPasswordCeiling (the hash takes any
// length, but the form does not).
const (
	MinPasswordFloor   = 10
	MaxPasswordCeiling = 200
)

// PasswordPolicy is what a new password must be (Configuration → Security).
type PasswordPolicy struct {
	MinLength     int
	MaxLength     int
	RequireDigit  bool
	RequireLetter bool
	RefuseCommon  bool
	// ExpiryDays is how long a password lasts; 0 is for ever.
	ExpiryDays int
}

// DefaultPasswordPolicy is the policy of a desk nobody has configured.
func DefaultPasswordPolicy() PasswordPolicy {
	return PasswordPolicy{MinLength: MinPasswordFloor, MaxLength: MaxPasswordCeiling, RefuseCommon: true}
}

// PasswordProblem names the first rule a password breaks; its value is the
// message ID of the catalogue that explains it.
type PasswordProblem string

const (
	PasswordOK          PasswordProblem = ""
	PasswordTooShort    PasswordProblem = "ErrPasswordShortMin"
	PasswordTooLong     PasswordProblem = "ErrPasswordLongMax"
	PasswordNeedsDigit  PasswordProblem = "ErrPasswordNeedsDigit"
	PasswordNeedsLetter PasswordProblem = "ErrPasswordNeedsLetter"
	PasswordCommon      PasswordProblem = "ErrPasswordCommon"
)

// Check returns the first rule of p that pw breaks, or PasswordOK. Lengths
// count characters, not bytes.
func (p PasswordPolicy) Check(pw string) PasswordProblem {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < max(p.MinLength, MinPasswordFloor):
		return PasswordTooShort
	case n > min(p.MaxLength, MaxPasswordCeiling):
		return PasswordTooLong
	case p.RequireDigit && !hasRune(pw, unicode.IsDigit):
		return PasswordNeedsDigit
	case p.RequireLetter && !hasRune(pw, unicode.IsLetter):
		return PasswordNeedsLetter
	case p.RefuseCommon && IsCommonPassword(pw):
		return PasswordCommon
	}
	return PasswordOK
}

// Valid reports whether p's own numbers make sense.
func (p PasswordPolicy) Valid() bool {
	return p.MinLength >= MinPasswordFloor && p.MaxLength <= MaxPasswordCeiling && p.MaxLength >= p.MinLength &&
		p.ExpiryDays >= 0 && p.ExpiryDays <= 3650
}

func hasRune(s string, is func(rune) bool) bool {
	for _, r := range s {
		if is(r) {
			return true
		}
	}
	return false
}
