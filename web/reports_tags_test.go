package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpline/views"
)

// tagLines reads the Tags table: per tag its cells.
func tagLines(r *response) map[string][]string {
	out := map[string][]string{}
	r.doc().Find("#tags-table tbody tr").Each(func(_ int, s *goquery.Selection) {
		var cells []string
		s.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, strings.TrimSpace(td.Text())) })
		out[strings.TrimSpace(s.Find("th").Text())] = cells
	})
	return out
}

// Today: the Sales ticket (vip) had Ann's two answers; the Support ticket
// (vip, refund) Bob's one, and he resolved it.
func newTagsReportWorld(t *testing.T) *ticketWorld {
	t.Helper()
	w := newReportWorld(t)
	ctx, admin := context.Background(), w.adam.Viewer()
	for _, tag := range []struct{ code, tag string }{{w.salesCode, "vip"}, {w.supportCode, "vip"}, {w.supportCode, "refund"}} {
		if err := w.app.st.AddTag(ctx, admin, tag.code, tag.tag); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func TestReportTags_PerTagWithDrillDownAndCSV(t *testing.T) {
	w := newTagsReportWorld(t)
	c := w.as("adam@example.com")
	r := c.get(views.PathReportsTags + "?period=today").wantStatus(http.StatusOK)
	lines := tagLines(r)
	want := map[string]string{"vip": "2 3 1", "refund": "1 1 1"}
	for tag, cells := range want {
		if got := strings.Join(lines[tag][:3], " "); got != cells {
			t.Errorf("%s: tickets, answers, resolved %q, want %q", tag, got, cells)
		}
	}
	if first := strings.TrimSpace(r.doc().Find("#tags-table tbody th").First().Text()); first != "vip" {
		t.Errorf("first line %q, want the tag with most tickets", first)
	}
	href, ok := r.doc().Find("#tags-table tbody tr").First().Find(".fig-tickets a").Attr("href")
	if !ok {
		t.Fatal("vip's tickets link nowhere")
	}
	if n := c.get(href).wantStatus(http.StatusOK).doc().Find("tr.queue-row").Length(); n != 2 {
		t.Errorf("vip's tickets: the queue lists %d, want 2", n)
	}
	rows := readCSV(t, c.get(views.PathReportsTagsCSV+"?period=today").wantStatus(http.StatusOK))
	if len(rows) != 3 || rows[0][0] != "Tag" || strings.Join(rows[1][:4], " ") != "vip 2 3 1" {
		t.Errorf("tags CSV %q", rows)
	}
	// Under Support: its ticket alone.
	r = c.get(views.PathReportsTags + "?period=today&department=" + strconv.FormatInt(w.support, 10)).wantStatus(http.StatusOK)
	if got := tagLines(r); len(got) != 2 || got["vip"][0] != "1" {
		t.Errorf("Support's tags %v", got)
	}
}

func TestReportTags_AgentSeesTheirOwnAndNotAnothers(t *testing.T) {
	w := newTagsReportWorld(t)
	if err := w.app.st.Assign(context.Background(), w.adam.Viewer(), w.salesCode, w.ann.ID); err != nil {
		t.Fatal(err)
	}
	ann := w.as("ann@example.com")
	r := ann.get(views.PathReportsTags + "?period=today").wantStatus(http.StatusOK)
	lines := tagLines(r)
	if len(lines) != 1 || strings.Join(lines["vip"][:3], " ") != "1 2 0" {
		t.Errorf("Ann's tags %v, want vip: her one ticket", lines)
	}
	href, ok := r.doc().Find("#tags-table .fig-tickets a").Attr("href")
	if !ok {
		t.Fatal("Ann's vip tickets link nowhere")
	}
	if n := ann.get(href).wantStatus(http.StatusOK).doc().Find("tr.queue-row").Length(); n != 1 {
		t.Errorf("Ann's vip tickets: the queue lists %d, want 1", n)
	}
	bob := strconv.FormatInt(w.bob.ID, 10)
	for _, path := range []string{views.PathReportsTags, views.PathReportsTagsCSV} {
		ann.get(path + "?period=today&agent=" + bob).wantStatus(http.StatusNotFound)
		ann.get(path + "?period=never").wantStatus(http.StatusUnprocessableEntity)
	}
}
