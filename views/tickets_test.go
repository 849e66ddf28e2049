package views

import (
	"context"
	"testing"
)

func TestTicketCount_PluralFormsPerLanguage(t *testing.T) {
	cases := map[string][]string{
		"en": {"1 ticket", "2 tickets", "5 tickets", "22 tickets"},
		"pl": {"1 zgłoszenie", "2 zgłoszenia", "5 zgłoszeń", "22 zgłoszenia"},
		"ro": {"1 tichet", "2 tichete", "5 tichete", "22 de tichete"},
	}
	for lang, want := range cases {
		ctx := WithEnv(context.Background(), &Env{Lang: lang, Localizer: Localizer(lang)})
		for i, n := range []int{1, 2, 5, 22} {
			if got := Tn(ctx, "TicketCount", n, nil); got != want[i] {
				t.Errorf("%s %d: %q, want %q", lang, n, got, want[i])
			}
		}
	}
}
