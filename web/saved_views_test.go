package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/store"
	"helpline/views"
)

func (w *fieldWorld) savedViews(t *testing.T, as store.Agent) []store.SavedView {
	t.Helper()
	vs, err := w.app.st.SavedViews(context.Background(), as.Viewer())
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

func TestSavedViews_SaveFromTheQueueAndListWithCounts(t *testing.T) {
	w := newFieldWorld(t)
	ann := w.as("ann@example.com")
	ann.post(views.TicketActionPath(views.PathTicketFieldValues, w.salesCode), url.Values{"field.product": {"Widget"}}).wantStatus(http.StatusSeeOther)
	w.app.ticket(w.sales, "Another")
	queue := ann.get(views.PathTickets + "?field.product=Widget&status=new").wantStatus(200).doc()
	query, _ := queue.Find(`#save-view-form input[name="query"]`).Attr("value")
	if query != "field.product=Widget&status=new" {
		t.Fatalf("the Save view form keeps %q", query)
	}
	if queue.Find(`#save-view-form input[name="scope"]`).Length() != 0 {
		t.Fatal("an Agent is offered to share a view")
	}
	for _, c := range []struct {
		name       string
		form       url.Values
		wantStatus int
		wantError  string
	}{
		{"no name", url.Values{"view_name": {" "}, "query": {query}}, http.StatusUnprocessableEntity, "Please fill this in."},
		{"shared by an Agent", url.Values{"view_name": {"Team widgets"}, "query": {query}, "scope": {"shared"}}, http.StatusForbidden, ""},
		{"saved", url.Values{"view_name": {"Widgets"}, "query": {query + "&after=5.5"}}, http.StatusSeeOther, ""},
		{"the name again in another letter case", url.Values{"view_name": {"WIDGETS"}, "query": {""}}, http.StatusUnprocessableEntity, "You already have a view with this name."},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := len(w.savedViews(t, w.ann))
			r := ann.post(views.PathSavedViews, c.form)
			if r.status != c.wantStatus {
				t.Fatalf("status %d, want %d\n%.1500s", r.status, c.wantStatus, r.body)
			}
			if c.wantError != "" && r.text("#f-view_name-error") != c.wantError {
				t.Fatalf("message %q, want %q", r.text("#f-view_name-error"), c.wantError)
			}
			if after := len(w.savedViews(t, w.ann)); c.wantStatus != http.StatusSeeOther && after != before {
				t.Fatal("a refused view was stored")
			}
		})
	}
	saved := w.savedViews(t, w.ann)
	if len(saved) != 1 || saved[0].Query != "field.product=Widget&status=new" || saved[0].Shared() {
		t.Fatalf("saved views %+v (paging must not be kept)", saved)
	}
	side := ann.get(views.PathTickets).wantStatus(200)
	link := side.doc().Find("#saved-view-link-" + idString(saved[0].ID))
	if got := strings.Join(strings.Fields(link.Text()), " "); got != "Widgets …" {
		t.Fatalf("beside the queue: %q, want the view with its count to come", got)
	}
	// The kept counts do not know a field's value: the page asks for the
	// count after it is shown.
	countURL, _ := link.Find("[hx-get]").Attr("hx-get")
	if countURL != views.WithID(views.PathSavedViewCount, saved[0].ID) {
		t.Fatalf("the count is asked of %q", countURL)
	}
	if got := ann.do(http.MethodGet, countURL, nil, true).wantStatus(200).text(".queue-view-n"); got != "1" {
		t.Fatalf("the view's count is %q, want 1", got)
	}
	w.app.ticket(w.sales, "Widget again")
	code := w.app.ticket(w.sales, "Widget once more")
	ann.post(views.TicketActionPath(views.PathTicketFieldValues, code), url.Values{"field.product": {"Widget"}}).wantStatus(http.StatusSeeOther)
	if got := ann.do(http.MethodGet, countURL, nil, true).text(".queue-view-n"); got != "2" {
		t.Fatalf("after another Widget the count is %q, want 2", got)
	}
	w.as("bob@example.com").get(countURL).wantStatus(http.StatusNotFound)
	// A view by status alone reads the kept counts at once.
	ann.post(views.PathSavedViews, url.Values{"view_name": {"New"}, "query": {"status=new"}}).wantStatus(http.StatusSeeOther)
	side = ann.get(views.PathTickets).wantStatus(200)
	if got := strings.Join(strings.Fields(side.doc().Find(".saved-views li").Eq(1).Text()), " "); got != "New 4" {
		t.Fatalf("a status view beside the queue reads %q, want its kept count", got)
	}
	if err := w.app.st.RemoveSavedView(context.Background(), w.ann.Viewer(), w.savedViews(t, w.ann)[1].ID); err != nil {
		t.Fatal(err)
	}
	if href, _ := link.Attr("href"); href != views.PathTickets+"?field.product=Widget&status=new" {
		t.Fatalf("the view links to %q", href)
	}
	// Bob neither sees nor changes Ann's view.
	bob := w.as("bob@example.com")
	if strings.Contains(bob.get(views.PathTickets).text("#saved-views"), "Widgets") {
		t.Fatal("Bob sees Ann's personal view")
	}
	bob.post(views.WithID(views.PathSavedView, saved[0].ID), url.Values{"view_name": {"Mine"}}).wantStatus(http.StatusNotFound)
	bob.post(views.WithID(views.PathSavedViewRemove, saved[0].ID), nil).wantStatus(http.StatusNotFound)
	bob.get(views.WithID(views.PathSavedViewRemove, saved[0].ID)).wantStatus(http.StatusNotFound)
	if vs := w.savedViews(t, w.ann); len(vs) != 1 || vs[0].Name != "Widgets" {
		t.Fatalf("Bob changed Ann's view: %+v", vs)
	}
}

func TestSavedViews_SharedRenameMoveRemove(t *testing.T) {
	w := newFieldWorld(t)
	adam, ann := w.as("adam@example.com"), w.as("ann@example.com")
	if adam.get(views.PathTickets).doc().Find(`#save-view-form input[name="scope"]`).Length() != 2 {
		t.Fatal("an Administrator is not offered to share a view")
	}
	adam.post(views.PathSavedViews, url.Values{"view_name": {"Open widgets"}, "query": {"status=all-open&field.product=Widget"}, "scope": {"shared"}}).
		wantStatus(http.StatusSeeOther)
	adam.post(views.PathSavedViews, url.Values{"view_name": {"Sales"}, "query": {"department=" + idString(w.sales)}, "scope": {"shared"}}).
		wantStatus(http.StatusSeeOther)
	ann.post(views.PathSavedViews, url.Values{"view_name": {"Open widgets"}, "query": {"status=new"}}).wantStatus(http.StatusSeeOther)
	shared := w.savedViews(t, w.adam)
	if len(shared) != 2 || !shared[0].Shared() {
		t.Fatalf("shared views %+v", shared)
	}
	list := ann.get(views.PathSavedViews).wantStatus(200)
	if got := list.text("table.saved-views-table tbody"); !strings.Contains(got, "Open widgets") || !strings.Contains(got, "Sales") {
		t.Fatalf("Ann's list %q lacks the shared views", got)
	}
	if list.doc().Find(`form[action="`+views.WithID(views.PathSavedView, shared[0].ID)+`"]`).Length() != 0 {
		t.Fatal("an Agent is offered to rename a shared view")
	}
	for _, c := range []struct {
		name       string
		c          *client
		path       string
		form       url.Values
		wantStatus int
	}{
		{"an Agent renames a shared view", ann, views.WithID(views.PathSavedView, shared[0].ID), url.Values{"view_name": {"Mine"}}, http.StatusForbidden},
		{"an Agent moves a shared view", ann, views.WithID(views.PathSavedViewMove, shared[1].ID), url.Values{"dir": {"up"}}, http.StatusForbidden},
		{"an Agent removes a shared view", ann, views.WithID(views.PathSavedViewRemove, shared[0].ID), nil, http.StatusForbidden},
		{"a shared name taken in another letter case", adam, views.WithID(views.PathSavedView, shared[1].ID), url.Values{"view_name": {"OPEN WIDGETS"}}, http.StatusUnprocessableEntity},
		{"an empty name", adam, views.WithID(views.PathSavedView, shared[1].ID), url.Values{"view_name": {""}}, http.StatusUnprocessableEntity},
		{"an Administrator renames", adam, views.WithID(views.PathSavedView, shared[1].ID), url.Values{"view_name": {"Sales desk"}}, http.StatusSeeOther},
		{"an Administrator moves", adam, views.WithID(views.PathSavedViewMove, shared[1].ID), url.Values{"dir": {"up"}}, http.StatusSeeOther},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := c.c.post(c.path, c.form)
			if r.status != c.wantStatus {
				t.Fatalf("status %d, want %d\n%.1000s", r.status, c.wantStatus, r.body)
			}
			if r.status == http.StatusUnprocessableEntity && r.text("#"+views.RenameViewInputID(shared[1].ID)+"-error") == "" {
				t.Fatal("no message next to the view's name")
			}
		})
	}
	got := w.savedViews(t, w.ann)
	if len(got) != 3 || got[0].Name != "Sales desk" || got[1].Name != "Open widgets" || got[2].Shared() {
		t.Fatalf("Ann's views %+v", got)
	}
	adam.get(views.WithID(views.PathSavedViewRemove, got[1].ID)).wantStatus(200)
	adam.post(views.WithID(views.PathSavedViewRemove, got[1].ID), nil).wantRedirect(views.PathSavedViews)
	ann.post(views.WithID(views.PathSavedViewRemove, got[2].ID), nil).wantRedirect(views.PathSavedViews)
	if got := w.savedViews(t, w.ann); len(got) != 1 || got[0].Name != "Sales desk" {
		t.Fatalf("after removals Ann sees %+v", got)
	}
	log := adam.get(views.PathAudit).text("table")
	for _, want := range []string{"Saved a view of the queue", "Renamed a saved view", "Moved a saved view", "Removed a saved view"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}
