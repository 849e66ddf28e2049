package views

import (
	"context"
	"testing"

	"helpline/store"
)

func pageOf(n int) store.QueuePage {
	var p store.QueuePage
	for i := range n {
		p.Tickets = append(p.Tickets, store.Ticket{ID: int64(i + 1)})
	}
	return p
}

// The summary above the queue in each language: digits grouped as the
// language groups them, plural forms, and "of many" when the total is not
// kept.
func TestQueueSummary_PerLanguage(t *testing.T) {
	more := store.Cursor{Key: 1, ID: 1}
	first := pageOf(50)
	first.Next = more
	middle := pageOf(50)
	middle.Next, middle.Prev = more, more
	last := pageOf(17)
	last.Prev = more
	for _, tc := range []struct {
		name string
		p    QueueProps
		want map[string]string
	}{
		{"first page of a kept count", QueueProps{Page: first, Total: 1204, TotalKnown: true},
			map[string]string{"en": "1–50 of 1,204", "pl": "1–50 z 1\u00a0204", "ro": "1–50 din 1.204"}},
		{"a later page", QueueProps{Page: middle, Total: 1204, TotalKnown: true, Filter: QueueFilterValues{From: 1101}},
			map[string]string{"en": "1,101–1,150 of 1,204", "pl": "1\u00a0101–1\u00a0150 z 1\u00a0204", "ro": "1.101–1.150 din 1.204"}},
		{"not kept", QueueProps{Page: first},
			map[string]string{"en": "1–50 of many", "pl": "1–50 z wielu", "ro": "1–50 din multe"}},
		{"last page, not kept", QueueProps{Page: last, Filter: QueueFilterValues{From: 51}},
			map[string]string{"en": "51–67 of 67", "pl": "51–67 z 67", "ro": "51–67 din 67"}},
		{"one page", QueueProps{Page: pageOf(1), Total: 1, TotalKnown: true},
			map[string]string{"en": "1 ticket", "pl": "1 zgłoszenie", "ro": "1 tichet"}},
		{"one page of five", QueueProps{Page: pageOf(5)},
			map[string]string{"en": "5 tickets", "pl": "5 zgłoszeń", "ro": "5 tichete"}},
		{"one page of 22", QueueProps{Page: pageOf(22)},
			map[string]string{"en": "22 tickets", "pl": "22 zgłoszenia", "ro": "22 de tichete"}},
		{"empty", QueueProps{}, map[string]string{"en": "", "pl": "", "ro": ""}},
	} {
		for lang, want := range tc.want {
			ctx := WithEnv(context.Background(), &Env{Lang: lang, Localizer: Localizer(lang)})
			if got := tc.p.Summary(ctx); got != want {
				t.Errorf("%s in %s: %q, want %q", tc.name, lang, got, want)
			}
		}
	}
}

// The pager carries where the next and previous pages start; the views'
// links keep only the department and order.
func TestQueueLinks(t *testing.T) {
	p := QueueProps{Page: pageOf(50), Filter: QueueFilterValues{Channel: "email", Department: 4, Sort: "updated", From: 51}}
	p.Page.Next, p.Page.Prev = store.Cursor{Key: 9, ID: 3}, store.Cursor{Key: 8, ID: 2}
	if got, want := p.NextURL(), "/tickets?after=9.3&channel=email&department=4&from=101&sort=updated"; got != want {
		t.Errorf("next = %q, want %q", got, want)
	}
	if got, want := p.PrevURL(), "/tickets?before=8.2&channel=email&department=4&from=1&sort=updated"; got != want {
		t.Errorf("prev = %q, want %q", got, want)
	}
	if got, want := p.Filter.ViewURL(store.ViewMine), "/tickets?assignee=me&department=4&sort=updated&status=all-open"; got != want {
		t.Errorf("My open = %q, want %q", got, want)
	}
	if got, want := p.Filter.ViewURL(store.ViewResolved), "/tickets?department=4&sort=updated&status=resolved"; got != want {
		t.Errorf("Resolved = %q, want %q", got, want)
	}
	if !(QueueFilterValues{Status: StatusAllOpen, Assignee: "unassigned", Tag: "x"}).ShowsView(store.ViewUnassigned) {
		t.Error("the Unassigned view is not current on its own filters")
	}
}
