package web

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpline/views"
)

// loadCards reads the Ticket load's four figures by their names.
func loadCards(r *response) map[string]string {
	cards := map[string]string{}
	r.doc().Find("#load-summary > div").Each(func(_ int, s *goquery.Selection) {
		cards[strings.TrimSpace(s.Find("dt").Text())] = strings.TrimSpace(s.Find("dd").Text())
	})
	return cards
}

// Today both tickets came in (the queue went to 2), Ann answered one and
// Bob answered and resolved the other (back to 0); the Administrator is
// signed in. The hours add up to the figures, and an hour's tickets
// created link to exactly those tickets.
func TestReportLoad_HoursAddUpAndLinkToTheirTickets(t *testing.T) {
	w := newReportWorld(t)
	c := w.as("adam@example.com")
	r := c.get(views.PathReportsLoad + "?period=today").wantStatus(http.StatusOK)
	if r.doc().Find(`nav.tabs a[href^="`+views.PathReportsLoad+`?"][aria-current="page"]`).Length() != 1 {
		t.Error("the Ticket load tab is not the current one")
	}
	cards := loadCards(r)
	want := map[string]string{"Tickets created": "2", "Largest queue": "2", "Smallest queue": "0"}
	for k, v := range want {
		if cards[k] != v {
			t.Errorf("%s = %q, want %q (cards %v)", k, cards[k], v, cards)
		}
	}
	rows := r.doc().Find("#load-table tbody tr")
	if rows.Length() < 23 || rows.Length() > 25 {
		t.Fatalf("%d hours in a day", rows.Length())
	}
	var created, signedIn int
	var link string
	rows.Each(func(_ int, s *goquery.Selection) {
		cells := s.Find("td")
		n, _ := strconv.Atoi(strings.TrimSpace(cells.Eq(0).Text()))
		created += n
		if href, ok := cells.Eq(0).Find("a").Attr("href"); ok {
			link = href
		}
		m, _ := strconv.Atoi(strings.TrimSpace(cells.Eq(3).Text()))
		signedIn = max(signedIn, m)
	})
	if created != 2 || strconv.Itoa(signedIn) != cards["Most agents signed in"] || signedIn < 1 {
		t.Errorf("the hours add up to %d created and at most %d signed in; cards %v", created, signedIn, cards)
	}
	if link == "" {
		t.Fatal("no hour links its tickets")
	}
	q := c.get(link).wantStatus(http.StatusOK)
	if n := q.doc().Find("tr.queue-row").Length(); n != 2 {
		t.Errorf("the hour's tickets: the queue lists %d, want 2", n)
	}
	// The CSV has the same hours and the figures.
	csvRows := readCSV(t, c.get(views.PathReportsLoadCSV+"?period=today").wantStatus(http.StatusOK))
	if len(csvRows) != rows.Length()+1+4 || csvRows[0][2] != "Largest queue" || csvRows[len(csvRows)-4][1] != "2" {
		t.Errorf("ticket load CSV %q", csvRows)
	}
	// Under Sales: Ann's ticket alone.
	r = c.get(views.PathReportsLoad + "?period=today&department=" + strconv.FormatInt(w.sales, 10)).wantStatus(http.StatusOK)
	if got := loadCards(r); got["Tickets created"] != "1" || got["Largest queue"] != "1" {
		t.Errorf("Sales: %v", got)
	}
}

func TestReportLoad_AgentSeesTheirOwnAndNotAnothers(t *testing.T) {
	w := newReportWorld(t)
	ann := w.as("ann@example.com")
	r := ann.get(views.PathReportsLoad + "?period=today").wantStatus(http.StatusOK)
	if r.doc().Find("#f-agent").Length() != 0 {
		t.Error("an Agent is offered the Agent filter")
	}
	// Her own: she logged no ticket, none was assigned to her, and she is
	// signed in.
	if got := loadCards(r); got["Tickets created"] != "0" || got["Largest queue"] != "0" || got["Most agents signed in"] != "1" {
		t.Errorf("Ann's load %v", got)
	}
	bob := strconv.FormatInt(w.bob.ID, 10)
	for _, path := range []string{views.PathReportsLoad, views.PathReportsLoadCSV} {
		ann.get(path + "?period=today&agent=" + bob).wantStatus(http.StatusNotFound)
		ann.get(path + "?period=never").wantStatus(http.StatusUnprocessableEntity)
	}
	// An Administrator may choose Bob.
	w.as("adam@example.com").get(views.PathReportsLoad + "?period=today&agent=" + bob).wantStatus(http.StatusOK)
}
