package views

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestFullTime_InTheDesksZoneAndTheReadersLanguage(t *testing.T) {
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 6, 2, 12, 5, 0, 0, time.UTC) // a Monday, 14:05 in Warsaw
	for lang, want := range map[string]string{
		"en": "Monday, 2 June 2025, 14:05 (Europe/Warsaw)",
		"pl": "poniedziałek, 2 czerwca 2025, 14:05 (Europe/Warsaw)",
		"ro": "luni, 2 iunie 2025, 14:05 (Europe/Warsaw)",
	} {
		env := &Env{Lang: lang, Localizer: Localizer(lang), Zone: warsaw}
		if got := FullTime(WithEnv(context.Background(), env), at); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
		// The catalogue's own rendering, which the kept skeleton must equal.
		if got := Tf(WithEnv(context.Background(), &Env{Lang: lang, Localizer: Localizer(lang)}), "FullDateTime",
			fullTimeData(WithEnv(context.Background(), env), at.In(warsaw))); got != want {
			t.Errorf("%s by the catalogue: %q, want %q", lang, got, want)
		}
	}
	if got := FullTime(context.Background(), at); got != "Monday, 2 June 2025, 12:05 (UTC)" {
		t.Errorf("outside a request: %q", got)
	}
}

func TestTimeAt_IsATimeElementWithTheDesksOffsetAndTheFullDateOnHover(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	ctx := WithEnv(context.Background(), &Env{Lang: "en", Localizer: Localizer("en"), Zone: tokyo})
	var b bytes.Buffer
	if err := timeAt(time.Date(2025, 1, 31, 20, 30, 0, 0, time.UTC)).Render(ctx, &b); err != nil {
		t.Fatal(err)
	}
	want := `<time datetime="2025-02-01T05:30:00+09:00" title="Saturday, 1 February 2025, 05:30 (Asia/Tokyo)">2025-02-01 05:30</time>`
	if got := strings.TrimSpace(b.String()); got != want {
		t.Fatalf("%s\nwant %s", got, want)
	}
}
