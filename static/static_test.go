package static

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestVendoredHtmx_MatchesRecordedVersionAndChecksum(t *testing.T) {
	notes, err := os.ReadFile("VENDOR.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("`js/htmx.min.js` \\| [^|]+\\| (2\\.0\\.\\d+) \\| `([0-9a-f]{64})`").FindSubmatch(notes)
	if m == nil {
		t.Fatal("VENDOR.md does not record an htmx 2.0.x version and sha256")
	}
	body, err := os.ReadFile("js/htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	if got := hex.EncodeToString(sum[:]); got != string(m[2]) {
		t.Fatalf("htmx.min.js sha256 %s, VENDOR.md says %s", got, m[2])
	}
	if !strings.Contains(string(body), `version:"`+string(m[1])+`"`) {
		t.Fatalf("htmx.min.js is not version %s", m[1])
	}
}

func TestURL_ChangesWithContent(t *testing.T) {
	u := URL("css/app.css")
	f, current := Lookup(strings.TrimPrefix(u, Prefix))
	if f == nil || !current {
		t.Fatalf("URL %s does not look up", u)
	}
	if _, current := Lookup("000000000000/css/app.css"); current {
		t.Fatal("a stale hash is reported current")
	}
}
