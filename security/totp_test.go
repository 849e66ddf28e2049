package security

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestMatchTOTP_OneStepEitherWayWithAFakeClock(t *testing.T) {
	key, err := NewTOTPKey("Acme", "owner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	secret := key.Secret()
	at := time.Unix(1_800_000_000, 0) // the start of a 30-second step
	code := TOTPCode(secret, at)
	step := at.Unix() / 30
	for _, c := range []struct {
		offset time.Duration
		ok     bool
	}{
		{0, true}, {29 * time.Second, true}, {-30 * time.Second, true}, {59 * time.Second, true},
		{-31 * time.Second, false}, {60 * time.Second, false}, {5 * time.Minute, false},
	} {
		got, ok := MatchTOTP(secret, code, at.Add(c.offset))
		if ok != c.ok {
			t.Errorf("code of %v checked at %+v: ok %v, want %v", at, c.offset, ok, c.ok)
		}
		if ok && got != step {
			t.Errorf("at %+v: step %d, want %d", c.offset, got, step)
		}
	}
	if _, ok := MatchTOTP(secret, code[:5], at); ok {
		t.Error("five digits taken")
	}
	if _, ok := MatchTOTP(secret, code[:3]+" "+code[3:], at); !ok {
		t.Error("a code typed with a space refused")
	}
	if url := TOTPKeyURL("Acme", "owner@example.com", secret); !strings.Contains(url, "secret="+secret) || !strings.HasPrefix(url, "otpauth://totp/") {
		t.Errorf("key URL %q", url)
	}
}

func TestRecoveryCodes_TenDistinctAndHashedWithoutTypingNoise(t *testing.T) {
	codes, err := NewRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 11 || c[5] != '-' || seen[c] {
			t.Fatalf("code %q in %v", c, codes)
		}
		seen[c] = true
	}
	if len(codes) != 10 {
		t.Fatalf("%d codes", len(codes))
	}
	c := codes[0]
	if !bytes.Equal(HashRecoveryCode(c), HashRecoveryCode(" "+strings.ToUpper(strings.ReplaceAll(c, "-", ""))+" ")) {
		t.Fatal("the same code typed in capitals without a dash hashes apart")
	}
	if bytes.Equal(HashRecoveryCode(codes[0]), HashRecoveryCode(codes[1])) {
		t.Fatal("two codes hash alike")
	}
}

func TestQRCodeSVG_IsAnSVGOfTheURL(t *testing.T) {
	svg, err := QRCodeSVG("otpauth://totp/Acme:owner@example.com?secret=ABC&issuer=Acme")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(svg, "<svg ") || !strings.Contains(svg, `<path fill="#000" d="M`) || strings.Contains(svg, "<script") {
		t.Fatalf("svg %.200s", svg)
	}
}
