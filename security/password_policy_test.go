package security

import (
	"strings"
	"testing"
)

func TestCommonPasswords_TenThousandShipped(t *testing.T) {
	if n := len(commonSet()); n != 10000 {
		t.Fatalf("%d common passwords, want 10000", n)
	}
	for _, pw := range []string{"password", "PASSWORD", "qwertyuiop", "1234567890", " trustno1 "} {
		if !IsCommonPassword(pw) {
			t.Errorf("%q not taken as common", pw)
		}
	}
	if IsCommonPassword("correct horse battery") {
		t.Error("a passphrase taken as common")
	}
}

func TestPasswordPolicy_EachRule(t *testing.T) {
	all := PasswordPolicy{MinLength: 12, MaxLength: 20, RequireDigit: true, RequireLetter: true, RefuseCommon: true}
	cases := []struct {
		name string
		p    PasswordPolicy
		pw   string
		want PasswordProblem
	}{
		{"shorter than the minimum", all, "abcdefgh123", PasswordTooShort},
		{"minimum counts characters, not bytes", all, "żółćżółć12a", PasswordTooShort},
		{"at the minimum", all, "abcdefghi123", PasswordOK},
		{"longer than the maximum", all, strings.Repeat("a1", 11), PasswordTooLong},
		{"no digit", all, "abcdefghijklm", PasswordNeedsDigit},
		{"no letter", all, "1234509876123", PasswordNeedsLetter},
		{"a letter of any script", all, "ąęśćż1234567", PasswordOK},
		{"common", PasswordPolicy{MinLength: 10, MaxLength: 200, RefuseCommon: true}, "1q2w3e4r5t", PasswordCommon},
		{"common allowed when the rule is off", PasswordPolicy{MinLength: 10, MaxLength: 200}, "1q2w3e4r5t", PasswordOK},
		{"no policy goes under 10", PasswordPolicy{MinLength: 4, MaxLength: 200}, "abc123xyz", PasswordTooShort},
	}
	for _, c := range cases {
		if got := c.p.Check(c.pw); got != c.want {
			t.Errorf("%s: %q gave %q, want %q", c.name, c.pw, got, c.want)
		}
	}
}

func TestPasswordPolicy_Valid(t *testing.T) {
	for _, p := range []PasswordPolicy{{MinLength: 9, MaxLength: 50}, {MinLength: 20, MaxLength: 19}, {MinLength: 10, MaxLength: 201},
		{MinLength: 10, MaxLength: 20, ExpiryDays: -1}} {
		if p.Valid() {
			t.Errorf("%+v taken as valid", p)
		}
	}
	if !DefaultPasswordPolicy().Valid() {
		t.Error("the default policy is not valid")
	}
}
