package store

import (
	"context"
	"fmt"
	"helpline/authz"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestNormalizeCode_AnyCaseWithOrWithoutDashes(t *testing.T) {
	for in, want := range map[string]string{
		"XKB-4F2QD-9TR":      "XKB-4F2QD-9TR",
		"xkb-4f2qd-9tr":      "XKB-4F2QD-9TR",
		" xkb4f2qd9tr ":      "XKB-4F2QD-9TR",
		"XKB 4F2QD 9TR":      "XKB-4F2QD-9TR",
		"abc-defgh-ijk":      "ABC-DEFGH-IJK", // dashes make it a code even without digits
		"Information":        "",              // eleven letters are a word
		"XKB-4F2QD-9TRX":     "",
		"XK-B4F2QD-9TR":      "",
		"XKB-4F2QD-9T":       "",
		"XKB-4F2QD-9T\u00e9": "",
		"":                   "",
	} {
		got, ok := NormalizeCode(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestSearch_FindsByCodeRequesterNameAndEmail(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	ticket := func(dept int64, subject, name, email string) string {
		t.Helper()
		code, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: subject, Body: "Hello", Channel: ChannelEmail,
			Priority: PriorityNormal, DepartmentID: dept, ContactName: name, ContactEmail: email})
		if err != nil {
			t.Fatal(err)
		}
		return code
	}
	dora := ticket(w.sales, "Invoice", "Dora Müller", "dora@acme.example")
	dora2 := ticket(w.sales, "Second invoice", "Dora Müller", "Dora@Acme.example")
	doris := ticket(w.sales, "Parcel", "Doris Day", "doris.day@acme.example")
	elsewhere := ticket(w.support, "Printer", "Dora Müller", "dora@acme.example")
	// Words of a message still find tickets, apart from the requester.
	mentions := ticket(w.sales, "Forwarded", "Frank Forward", "frank@other.example")
	if err := s.AddNote(ctx, w.annV, mentions, "Dora from Acme called about this"); err != nil {
		t.Fatal(err)
	}
	search := func(q string) []string { t.Helper(); return w.annSearch(t, q) }
	lower := strings.ToLower
	for q, want := range map[string][]string{
		dora:                     {dora},
		lower(dora):              {dora},
		dora[4:9]:                {dora},        // a group of the code
		"dora@acme.example":      {dora2, dora}, // an address finds exactly its requester's tickets
		"DORA@ACME.EXAMPLE":      {dora2, dora},
		"doris.day@acme.example": {doris},
		"nobody@acme.example":    nil,
		"dora":                   {mentions, dora2, dora},
		"muller":                 {dora2, dora}, // diacritics folded
		"doris day":              {doris},
		"acme.example":           {doris, dora2, dora}, // the domain of an address
		"dor":                    {mentions, doris, dora2, dora},
	} {
		if got := search(q); !slices.Equal(got, want) {
			t.Errorf("search %q = %v, want %v", q, got, want)
		}
	}
	// Without dashes a code needs a digit to be told from a word.
	if noDashes := dora[:3] + dora[4:9] + dora[10:]; strings.ContainsAny(noDashes, "23456789") {
		if got := search(lower(noDashes)); !slices.Equal(got, []string{dora}) {
			t.Errorf("search %q = %v, want [%s]", lower(noDashes), got, dora)
		}
	}
	// Outside Ann's departments nothing is found, by any way of asking.
	for _, q := range []string{elsewhere, lower(elsewhere), "printer"} {
		if got := search(q); len(got) != 0 {
			t.Errorf("Ann's search %q finds %v in Support", q, got)
		}
	}
	// Filters apply to what the requester finds as to words.
	page, err := s.Queue(ctx, w.annV, QueueFilter{Search: "dora@acme.example", Status: TicketResolved})
	if err != nil || len(page.Tickets) != 0 {
		t.Fatalf("search by email ignores the status filter: %v %v", codes(page.Tickets), err)
	}
}

// Pages of a search take tickets from both indexes in one order: every
// ticket once, newest first, forward and back.
func TestSearch_PagesMergeWordsAndRequestersInIDOrder(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	var all []string
	for i := range 13 {
		name, body := "Greta Garbo", "Hello"
		if i%3 == 0 {
			name, body = "Someone Else", "Greta wrote to us"
		}
		code, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: "S", Body: body, Channel: ChannelEmail,
			Priority: PriorityNormal, DepartmentID: w.sales, ContactName: name, ContactEmail: name[:3] + "@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		all = append([]string{code}, all...) // newest first
	}
	wantSearchPages(t, s, w.annV, QueueFilter{Search: "greta", Limit: 4}, all)
}

// wantSearchPages pages through the search f forward, wanting the codes
// want in that order, then steps back from the third page to the second.
func wantSearchPages(t *testing.T, s *Store, v authz.Viewer, f QueueFilter, want []string) {
	t.Helper()
	ctx := context.Background()
	var got []string
	var pages []QueuePage
	for first := f; ; {
		page, err := s.Queue(ctx, v, f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, page)
		got = append(got, codes(page.Tickets)...)
		if page.Next.IsZero() {
			break
		}
		f = first
		f.After = page.Next
	}
	if !slices.Equal(got, want) {
		t.Fatalf("pages forward = %v, want %v", got, want)
	}
	if len(pages) < 3 {
		t.Fatalf("%d pages; the test needs three", len(pages))
	}
	f.After, f.Before = Cursor{}, pages[2].Prev
	back, err := s.Queue(ctx, v, f)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(codes(back.Tickets), codes(pages[1].Tickets)) {
		t.Fatalf("back from page 3 = %v, want %v", codes(back.Tickets), codes(pages[1].Tickets))
	}
}

// A search on PostgreSQL reads spans of the newest ticket ids in turn until
// one holds a page; with spans smaller than the gaps between matches, every
// page still holds the next matches in order, forward and back.
func TestSearch_PagesAcrossSpansOfTicketIDs(t *testing.T) {
	defer func(w []pgSearchSpan) { pgSearchSpans = w }(pgSearchSpans)
	pgSearchSpans = []pgSearchSpan{{ids: 2, walk: true}, {ids: 5}, {}}
	w := newTicketWorld(t)
	s := w.s
	var want []string
	for i := range 24 {
		body := "Nothing to see"
		if i%5 == 0 || i == 23 {
			body = "A zebra in the warehouse"
		}
		code := contactTicket(t, s, w.sales, "Stock", body)
		if strings.Contains(body, "zebra") {
			want = append([]string{code}, want...)
		}
	}
	wantSearchPages(t, s, w.annV, QueueFilter{Search: "zebra", Limit: 2}, want)
}

// Tickets from every way in are found by their code and requester: an
// email, and contact forms written together in one batch.
func TestSearch_FindsEmailAndBatchedTicketsByCodeAndRequester(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	r, err := s.IntakeEmail(ctx, IncomingEmail{MessageID: "m1@x.example", FromName: "Gustav Mail", FromEmail: "gustav@mail.example",
		Subject: "Parcel", Body: "Where is it", DepartmentID: w.sales})
	if err != nil {
		t.Fatal(err)
	}
	var batch []string
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			code, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: "Form", Body: "Hello", Channel: ChannelContactForm,
				Priority: PriorityNormal, DepartmentID: w.sales, ContactName: "Hilde Form", ContactEmail: fmt.Sprintf("hilde%d@form.example", i)})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			batch = append(batch, code)
			mu.Unlock()
		})
	}
	wg.Wait()
	search := func(q string) []string { t.Helper(); return w.annSearch(t, q) }
	if got := search("gustav@mail.example"); !slices.Equal(got, []string{r.Code}) {
		t.Errorf("the email's requester finds %v, want %s", got, r.Code)
	}
	if got := search(r.Code); !slices.Equal(got, []string{r.Code}) {
		t.Errorf("the email's code finds %v", got)
	}
	if got := search("hilde"); len(got) != len(batch) {
		t.Errorf("the forms' requester finds %v, want the %d forms", got, len(batch))
	}
	for i, code := range batch {
		if got := search(code); !slices.Equal(got, []string{code}) {
			t.Errorf("form %d: its code finds %v", i, got)
		}
	}
}

// annSearch is the codes Ann's queue lists for a search, newest first.
func (w *ticketWorld) annSearch(t *testing.T, q string) []string {
	t.Helper()
	page, err := w.s.Queue(context.Background(), w.annV, QueueFilter{Search: q})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return codes(page.Tickets)
}
