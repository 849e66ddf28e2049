package security

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	qrcode "github.com/skip2/go-qrcode"
)

// Authenticator codes: six digits, a new one every 30 seconds (RFC 6238 as
// every authenticator app reads it). A code of the step before or after the
// server's clock is taken too, for clocks a little apart.
const (
	totpPeriod = 30
	totpSkew   = 1
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Skew: totpSkew, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPKey draws a new secret for account (the agent's email) at issuer
// (the desk's name). The key's URL is what the QR code holds; its Secret()
// is the text to type into an app that cannot scan.
func NewTOTPKey(issuer, account string) (*otp.Key, error) {
	return totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod, Digits: otp.DigitsSix,
		Algorithm: otp.AlgorithmSHA1})
}

// TOTPKeyURL rebuilds the otpauth:// URL of a secret drawn before.
func TOTPKeyURL(issuer, account, secret string) string {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod, Digits: otp.DigitsSix,
		Algorithm: otp.AlgorithmSHA1, Secret: mustDecodeSecret(secret)})
	if err != nil {
		return ""
	}
	return k.URL()
}

func mustDecodeSecret(secret string) []byte {
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(secret))
	if err != nil {
		return nil
	}
	return b
}

// TOTPCode is the code of secret at t (for tests and nothing else).
func TOTPCode(secret string, t time.Time) string {
	code, _ := totp.GenerateCodeCustom(secret, t, totpOpts)
	return code
}

// MatchTOTP checks code against secret at now, within one step either way,
// and returns the time step it belongs to. The caller takes a step only
// once (and none before the last one taken), so a code seen over someone's
// shoulder is worth nothing once used.
func MatchTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return 0, false
	}
	here := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		s := here + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// QRCodeSVG draws content as an SVG QR code: one path of dark squares, so
// the page shows it without an image request or a script.
func QRCodeSVG(content string) (string, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return "", err
	}
	bits := q.Bitmap()
	var b strings.Builder
	n := len(bits)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" shape-rendering="crispEdges">`, n, n, n*5, n*5)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bits {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}

// RecoveryCodeCount is how many one-time recovery codes an agent gets.
const RecoveryCodeCount = 10

var recoveryAlphabet = base32.NewEncoding("abcdefghijkmnpqrstuvwxyz23456789").WithPadding(base32.NoPadding)

// NewRecoveryCodes draws ten codes such as "k3vq7-m2xhd" (50 random bits
// each) to show once.
func NewRecoveryCodes() ([]string, error) {
	out := make([]string, RecoveryCodeCount)
	for i := range out {
		b := make([]byte, 7)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		s := recoveryAlphabet.EncodeToString(b)[:10]
		out[i] = s[:5] + "-" + s[5:]
	}
	return out, nil
}

// HashRecoveryCode is how a recovery code is kept: SHA-256 of the code as
// typed, without case, spaces or dashes. The codes are random, so a slow
// hash would add nothing.
func HashRecoveryCode(code string) []byte {
	c := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	sum := sha256.Sum256([]byte(c))
	return sum[:]
}
