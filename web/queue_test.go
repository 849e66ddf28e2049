package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"helpline/store"
	"helpline/views"
)

// queueDesk is the ticket world with tickets in every view: some assigned
// to Ann and to Adam, some postponed, some resolved, created a minute apart
// and changed later in another order, so every sort differs.
func queueDesk(t *testing.T, n int) *ticketWorld {
	t.Helper()
	w := newTicketWorld(t)
	st, ctx := w.app.st, context.Background()
	now := time.Now().Add(-time.Duration(2*n) * time.Minute)
	st.SetClock(func() time.Time { return now })
	adam := w.adam.Viewer()
	for _, d := range []int64{w.sales, w.support} {
		if err := st.SetMember(ctx, w.app.ownerID(), d, w.adam.ID, store.Channels{Tickets: true}); err != nil {
			t.Fatal(err)
		}
	}
	var codes []string
	for i := range n {
		now = now.Add(time.Minute)
		code, err := st.CreateTicket(ctx, nil, store.NewTicketInput{Subject: fmt.Sprintf("Ticket %02d", i), Body: "Body of ticket " + fmt.Sprint(i),
			Channel: store.ChannelEmail, Priority: store.Priorities[i%4], DepartmentID: []int64{w.sales, w.support}[i%2],
			ContactName: "Carla Customer", ContactEmail: "carla@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, code)
	}
	for i := len(codes) - 1; i >= 0; i-- {
		now = now.Add(time.Minute)
		code := codes[i]
		var err error
		switch {
		case i%7 == 0:
			err = st.Postpone(ctx, adam, code, time.Now().Add(24*time.Hour))
		case i%5 == 0:
			err = st.SetStatus(ctx, adam, code, store.TicketResolved)
		case i%4 == 0 && i%2 == 0:
			err = st.Assign(ctx, adam, code, w.ann.ID)
		case i%3 == 0:
			err = st.Assign(ctx, adam, code, w.adam.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	st.SetClock(time.Now)
	return w
}

// viewCounts reads the views beside the queue: name -> count.
func viewCounts(t *testing.T, d *goquery.Document) map[store.QueueView]string {
	t.Helper()
	out := map[store.QueueView]string{}
	for _, w := range store.QueueViews {
		out[w] = strings.TrimSpace(d.Find("#view-" + string(w) + " .queue-view-n").Text())
	}
	return out
}

// The views beside the queue count what the store holds for each viewer's
// scope, and each view's link shows exactly that many tickets.
func TestQueueViews_CountsAreTheStoresAndLinksShowThem(t *testing.T) {
	w := queueDesk(t, 30)
	ctx := context.Background()
	for _, who := range []store.Agent{w.adam, w.ann, w.bob} {
		t.Run(who.Name, func(t *testing.T) {
			c := w.app.signedIn(who)
			page := c.get(views.PathTickets).wantStatus(http.StatusOK)
			counts, err := w.app.st.QueueCounts(ctx, who.Viewer(), 0)
			if err != nil {
				t.Fatal(err)
			}
			got := viewCounts(t, page.doc())
			for _, view := range store.QueueViews {
				want := counts.View(view)
				if got[view] != fmt.Sprint(want) {
					t.Errorf("view %s shows %q, the store counts %d", view, got[view], want)
				}
				href, _ := page.doc().Find("#view-" + string(view)).Attr("href")
				shown := 0
				for next := href; next != ""; {
					r := c.get(next).wantStatus(http.StatusOK)
					shown += r.doc().Find("#tickets tr").Length()
					if r.doc().Find("#view-"+string(view)).AttrOr("aria-current", "") != "page" {
						t.Errorf("%s: the view is not marked current on its own page", view)
					}
					next, _ = r.doc().Find(`a[rel="next"]`).First().Attr("href")
				}
				if shown != want {
					t.Errorf("view %s (%s) shows %d tickets, counts %d", view, href, shown, want)
				}
			}
			if who.ID == w.bob.ID && got[store.ViewMine] != "0" {
				t.Errorf("Bob has no tickets of his own, My open says %s", got[store.ViewMine])
			}
		})
	}
	// The counts follow the department filter, and an Agent filtering
	// another department's tickets sees none of them counted.
	adam := w.as("adam@example.com")
	d := adam.get(views.PathTickets + "?department=" + idString(w.support)).doc()
	counts, _ := w.app.st.QueueCounts(ctx, w.adam.Viewer(), w.support)
	if got := viewCounts(t, d)[store.ViewOpen]; got != fmt.Sprint(counts.View(store.ViewOpen)) {
		t.Errorf("All open in Support reads %s, want %d", got, counts.View(store.ViewOpen))
	}
	href, _ := d.Find("#view-open").Attr("href")
	if !strings.Contains(href, "department="+idString(w.support)) {
		t.Errorf("the view's link %q leaves the department filter behind", href)
	}
	ann := w.as("ann@example.com")
	for _, n := range viewCounts(t, ann.get(views.PathTickets+"?department="+idString(w.support)).doc()) {
		if n != "0" {
			t.Fatalf("Ann filtering Support sees counts %v", viewCounts(t, ann.get(views.PathTickets+"?department="+idString(w.support)).doc()))
		}
	}
}

// Each sortable column pages by key: following Next through the pages
// visits the store's order once, Previous leads back, and the summary says
// where each page is.
func TestQueue_SortedColumnsPageByKey(t *testing.T) {
	w := queueDesk(t, 120)
	adam := w.as("adam@example.com")
	ctx := context.Background()
	for _, o := range store.QueueSorts {
		t.Run("sort "+string(o), func(t *testing.T) {
			all, err := w.app.st.Queue(ctx, w.adam.Viewer(), store.QueueFilter{Sort: o, Limit: 200})
			if err != nil || !all.Next.IsZero() {
				t.Fatalf("store queue: %v, next %v", err, all.Next)
			}
			var want []string
			for _, tk := range all.Tickets {
				want = append(want, tk.Code)
			}
			first := views.PathTickets
			if o != store.SortPriority {
				first += "?sort=" + string(o)
			}
			var got []string
			var pages []string
			for next := first; next != ""; {
				r := adam.get(next).wantStatus(http.StatusOK)
				d := r.doc()
				d.Find("#tickets tr").Each(func(_ int, s *goquery.Selection) {
					got = append(got, strings.TrimPrefix(s.AttrOr("id", ""), "ticket-"))
				})
				from := 1 + views.QueuePageSize*len(pages)
				to := min(from+views.QueuePageSize-1, len(want))
				if s, w := r.text("#queue-summary"), fmt.Sprintf("%d–%d of %d", from, to, len(want)); s != w {
					t.Errorf("page %d says %q, want %q", len(pages)+1, s, w)
				}
				if d.Find(`th[aria-sort="descending"] a[href="`+views.QueueFilterValues{Sort: string(o)}.SortURL(o)+`"]`).Length() != 1 {
					t.Errorf("page %d does not mark its column as the order", len(pages)+1)
				}
				pages = append(pages, next)
				next, _ = d.Find(`a[rel="next"]`).First().Attr("href")
				if next != "" && !strings.Contains(next, "after=") {
					t.Fatalf("next link %q is not by key", next)
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("paged\n%v\nwant\n%v", got, want)
			}
			// Back from the last page to the first.
			last := adam.get(pages[len(pages)-1]).doc()
			prev, _ := last.Find(`a[rel="prev"]`).First().Attr("href")
			back := adam.get(prev)
			if s := back.text("#queue-summary"); !strings.HasPrefix(s, "51–100 of ") {
				t.Errorf("Previous from the last page says %q", s)
			}
			if code := strings.TrimPrefix(back.doc().Find("#tickets tr").First().AttrOr("id", ""), "ticket-"); code != want[50] {
				t.Errorf("Previous from the last page starts at %s, want %s", code, want[50])
			}
		})
	}
	// The header links keep the filters and start from the first page.
	d := adam.get(views.PathTickets + "?status=all-open&department=" + idString(w.sales) + "&after=5.5&from=51").doc()
	href, _ := d.Find("th.qc-updated a").Attr("href")
	if href != "/tickets?department="+idString(w.sales)+"&sort=updated&status=all-open" {
		t.Errorf("the Updated column links to %q", href)
	}
}

// Without a kept count (a channel, tag or words filtered) the queue says
// "of many" while more pages follow, and the exact number on the last.
func TestQueue_SummaryWithoutAKeptCount(t *testing.T) {
	w := queueDesk(t, 60)
	adam := w.as("adam@example.com")
	r := adam.get(views.PathTickets + "?channel=email")
	if s := r.text("#queue-summary"); s != "1–50 of many" {
		t.Fatalf("first page by channel says %q", s)
	}
	next, _ := r.doc().Find(`a[rel="next"]`).First().Attr("href")
	r = adam.get(next)
	if s, n := r.text("#queue-summary"), r.doc().Find("#tickets tr").Length(); s != fmt.Sprintf("51–%d of %d", 50+n, 50+n) {
		t.Fatalf("last page by channel says %q with %d rows", s, n)
	}
	if s := adam.get(views.PathTickets + "?q=ticket+07").text("#queue-summary"); s != "1 ticket" {
		t.Fatalf("one found ticket is summed up as %q", s)
	}
}

func TestQueueDensity_KeptPerAgentAndBackToTheSameQueue(t *testing.T) {
	w := queueDesk(t, 8)
	ann, adam := w.as("ann@example.com"), w.as("adam@example.com")
	page := ann.get(views.PathTickets + "?sort=created")
	if page.doc().Find("#queue.density-compact").Length() != 1 || page.doc().Find(".queue-preview").Length() != 0 {
		t.Fatal("a new agent's queue is not compact, one line a ticket")
	}
	if page.doc().Find(`button[form="queue-density"][value="compact"][aria-pressed="true"]`).Length() != 1 {
		t.Fatal("Compact is not shown as chosen")
	}
	back, _ := page.doc().Find(`#queue-density input[name="back"]`).Attr("value")
	ann.post(views.PathTicketDensity, url.Values{"density": {"comfortable"}, "back": {back}}).wantRedirect("/tickets?sort=created")
	page = ann.get(views.PathTickets + "?sort=created")
	if page.doc().Find("#queue.density-comfortable").Length() != 1 || page.doc().Find(".queue-preview").Length() == 0 {
		t.Fatal("Comfortable does not add the second line")
	}
	if page.doc().Find(`button[value="comfortable"][aria-pressed="true"]`).Length() != 1 {
		t.Fatal("Comfortable is not shown as chosen")
	}
	// Adam's queue, and the kept pages of the same queue, stay compact.
	if adam.get(views.PathTickets+"?sort=created").doc().Find("#queue.density-compact").Length() != 1 {
		t.Fatal("Ann's choice changed Adam's queue")
	}
	ann.post(views.PathTicketDensity, url.Values{"density": {"huge"}}).wantStatus(http.StatusBadRequest)
	ann.post(views.PathTicketDensity, url.Values{"density": {"compact"}, "back": {"https://evil.example/"}}).wantRedirect(views.PathTickets)
	// Without the session's token nothing changes.
	r := ann.do(http.MethodPost, views.PathTicketDensity, url.Values{"density": {"comfortable"}}, false)
	if r.status != http.StatusForbidden {
		t.Fatalf("density without a CSRF token: %d", r.status)
	}
	if d, _ := w.app.st.QueueDensity(context.Background(), w.ann.ID); d != store.DensityCompact {
		t.Fatalf("Ann's density is %q", d)
	}
}

// An Agent's views count only their departments' tickets: a ticket of
// another department assigned to nobody is in Adam's Unassigned, not Ann's.
func TestQueueViews_AgentSeesOnlyOwnDepartments(t *testing.T) {
	w := newTicketWorld(t)
	other := w.app.department("Other")
	for range 3 {
		w.app.ticket(other, "Elsewhere")
	}
	ann := viewCounts(t, w.as("ann@example.com").get(views.PathTickets).doc())
	adam := viewCounts(t, w.as("adam@example.com").get(views.PathTickets).doc())
	if ann[store.ViewUnassigned] != "1" || adam[store.ViewUnassigned] != "5" {
		t.Fatalf("Unassigned: Ann %s (want 1), Adam %s (want 5)", ann[store.ViewUnassigned], adam[store.ViewUnassigned])
	}
}
