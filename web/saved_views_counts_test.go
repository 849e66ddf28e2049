package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpline/views"
)

// TestSavedViews_PagesSayHowCountsAreMade: beside the queue, a view the
// kept counts do not know is counted after the page, and the queue says
// so; the Saved views page explains every kind of count, and a view that
// searches words shows ? with why.
func TestSavedViews_PagesSayHowCountsAreMade(t *testing.T) {
	w := newFieldWorld(t)
	ann := w.as("ann@example.com")
	ann.post(views.PathSavedViews, url.Values{"view_name": {"New"}, "query": {"status=new"}}).wantStatus(http.StatusSeeOther)
	if ann.get(views.PathTickets).wantStatus(200).doc().Find("#saved-views-counting").Length() != 0 {
		t.Fatal("the queue says counts come later when every count is kept")
	}
	ann.post(views.PathSavedViews, url.Values{"view_name": {"Widgets"}, "query": {"field.product=Widget"}}).wantStatus(http.StatusSeeOther)
	ann.post(views.PathSavedViews, url.Values{"view_name": {"Parcels"}, "query": {"q=parcel"}}).wantStatus(http.StatusSeeOther)
	if got := ann.get(views.PathTickets).text("#saved-views-counting"); got != "Counts shown as … are made after the page, among each view's newest 1,000 candidate tickets." {
		t.Fatalf("beside the queue: %q", got)
	}
	page := ann.get(views.PathSavedViews).wantStatus(200)
	if got := page.text("#saved-views-counts-how"); !strings.HasPrefix(got, "How the counts are made: views by status, department and assignee read counts kept up to date") ||
		!strings.Contains(got, "newest 1,000 candidate tickets") {
		t.Fatalf("the Saved views page explains the counts as %q", got)
	}
	doc := page.doc()
	var parcels string
	doc.Find("table.saved-views-table tbody tr").EachWithBreak(func(_ int, tr *goquery.Selection) bool {
		if strings.Contains(tr.Find("td").First().Text(), "Parcels") || tr.Find(`input[value="Parcels"]`).Length() == 1 {
			cell := tr.Find("td").Eq(2)
			parcels = strings.TrimSpace(cell.Text()) + "|" + cell.AttrOr("title", "")
			return false
		}
		return true
	})
	if parcels != "?|Searched words are not counted here: open the view to see its tickets." {
		t.Fatalf("the searching view's count reads %q", parcels)
	}
}
