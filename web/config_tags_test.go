package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"helpline/store"
	"helpline/views"
)

func tagByName(t *testing.T, app *testApp, name string) store.Tag {
	t.Helper()
	tags, err := app.st.Tags(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range tags {
		if tg.Name == name {
			return tg
		}
	}
	t.Fatalf("no tag %q", name)
	return store.Tag{}
}

func tagTheTicket(t *testing.T, w *ticketWorld, code, tag string) {
	t.Helper()
	if err := w.app.st.AddTag(context.Background(), w.adam.Viewer(), code, tag); err != nil {
		t.Fatal(err)
	}
}

func TestTags_ListCountsRenameMergeRemoveAndAudit(t *testing.T) {
	w := newTicketWorld(t)
	tagTheTicket(t, w, w.salesCode, "urgnet")
	tagTheTicket(t, w, w.supportCode, "urgnet")
	tagTheTicket(t, w, w.supportCode, "refund")
	adam := w.as("adam@example.com")

	page := adam.get(views.PathTags).wantStatus(200).doc()
	row := page.Find("#" + views.TagRowID(tagByName(t, w.app, "urgnet").ID))
	if got := strings.TrimSpace(row.Find("td").Eq(1).Text()); got != "2 tickets" {
		t.Fatalf("urgnet's count shows %q", got)
	}

	// Rename: every ticket follows.
	urg := tagByName(t, w.app, "urgnet")
	adam.post(views.WithID(views.PathTag, urg.ID), url.Values{"name": {"Urgent"}, "colour": {"#DC2626"}}).wantRedirect(views.PathTags)
	for _, code := range []string{w.salesCode, w.supportCode} {
		if tags := w.app.ticketAs(code).Tags; !slices.Contains(tags, "urgent") || slices.Contains(tags, "urgnet") {
			t.Errorf("ticket %s carries %v after the rename", code, tags)
		}
	}
	if got := tagByName(t, w.app, "urgent"); got.ID != urg.ID || got.Colour != "#dc2626" || got.Tickets != 2 {
		t.Fatalf("renamed tag %+v", got)
	}
	row = adam.get(views.PathTags).doc().Find("#" + views.TagRowID(urg.ID))
	if name, colour := strings.TrimSpace(row.Find("td").Eq(0).Text()), strings.TrimSpace(row.Find("td").Eq(2).Text()); name != "urgent" || colour != "#dc2626" {
		t.Fatalf("the list shows the renamed tag as %q in %q", name, colour)
	}

	// Merge refund into urgent: the support ticket carried both.
	refund := tagByName(t, w.app, "refund")
	adam.get(views.WithID(views.PathTagMerge, refund.ID)).wantStatus(200)
	adam.post(views.WithID(views.PathTagMerge, refund.ID), url.Values{"into": {fmt.Sprint(urg.ID)}}).wantRedirect(views.PathTags)
	if got := adam.get(views.PathTags).text(".flash"); got != "The tag “refund” was merged into “urgent”." {
		t.Fatalf("flash %q", got)
	}
	if tags := w.app.ticketAs(w.supportCode).Tags; !slices.Equal(tags, []string{"urgent"}) {
		t.Fatalf("after the merge the support ticket carries %v", tags)
	}

	// Remove asks first, naming how many tickets carry it.
	confirm := adam.get(views.WithID(views.PathTagRemove, urg.ID)).wantStatus(200)
	if got := confirm.text(".confirm-card p"); got != "2 tickets carry it; the tag will be taken off them." {
		t.Fatalf("the confirmation says %q", got)
	}
	adam.post(views.WithID(views.PathTagRemove, urg.ID), nil).wantRedirect(views.PathTags)
	for _, code := range []string{w.salesCode, w.supportCode} {
		if tags := w.app.ticketAs(code).Tags; len(tags) != 0 {
			t.Errorf("ticket %s carries %v after the removal", code, tags)
		}
	}
	log, _ := w.app.st.AuditLog(context.Background(), 0, 3)
	var actions []store.AuditAction
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	if !slices.Equal(actions, []store.AuditAction{store.ActionTagRemove, store.ActionTagMerge, store.ActionTagUpdate}) {
		t.Fatalf("audit %v", actions)
	}
}

func TestTags_BadInputIs422AndStoresNothing(t *testing.T) {
	w := newTicketWorld(t)
	tagTheTicket(t, w, w.salesCode, "vip")
	tagTheTicket(t, w, w.salesCode, "billing")
	adam := w.as("adam@example.com")
	vip := tagByName(t, w.app, "vip")
	cases := []struct {
		name, path string
		form       url.Values
		field, msg string
	}{
		{"create without a name", views.PathTags, url.Values{"name": {"  "}, "colour": {"#ff0000"}}, "name", "Please fill this in."},
		{"create a taken name in capitals", views.PathTags, url.Values{"name": {"VIP"}, "colour": {"#ff0000"}}, "name", "A tag with this name exists already."},
		{"create with a bad colour", views.PathTags, url.Values{"name": {"new"}, "colour": {"red"}}, "colour", "Choose a colour."},
		{"rename to a taken name", views.WithID(views.PathTag, vip.ID), url.Values{"name": {"Billing"}, "colour": {"#ff0000"}}, "name", "A tag with this name exists already."},
		{"merge into nothing", views.WithID(views.PathTagMerge, vip.ID), url.Values{"into": {""}}, "into", "Please fill this in."},
		{"merge into itself", views.WithID(views.PathTagMerge, vip.ID), url.Values{"into": {fmt.Sprint(vip.ID)}}, "into", "Please choose one of the offered options."},
		{"merge into a missing tag", views.WithID(views.PathTagMerge, vip.ID), url.Values{"into": {"999999"}}, "into", "Please choose one of the offered options."},
	}
	before, _ := w.app.st.Tags(context.Background())
	for _, tc := range cases {
		r := adam.post(tc.path, tc.form).wantStatus(http.StatusUnprocessableEntity)
		if msg := r.text("#f-" + tc.field + "-error"); msg != tc.msg {
			t.Errorf("%s: message next to %s is %q, want %q", tc.name, tc.field, msg, tc.msg)
		}
	}
	if after, _ := w.app.st.Tags(context.Background()); !slices.Equal(after, before) {
		t.Fatalf("refused input changed the tags: %+v -> %+v", before, after)
	}
}

func TestTags_OnlyThoseWhoManageTagsGetIn(t *testing.T) {
	w := newTicketWorld(t)
	tagTheTicket(t, w, w.salesCode, "vip")
	vip := tagByName(t, w.app, "vip")
	ann := w.as("ann@example.com")
	for _, tc := range []struct{ method, path string }{
		{"GET", views.PathTags}, {"GET", views.PathTagNew}, {"POST", views.PathTags},
		{"GET", views.WithID(views.PathTag, vip.ID)}, {"POST", views.WithID(views.PathTag, vip.ID)},
		{"GET", views.WithID(views.PathTagMerge, vip.ID)}, {"POST", views.WithID(views.PathTagMerge, vip.ID)},
		{"GET", views.WithID(views.PathTagRemove, vip.ID)}, {"POST", views.WithID(views.PathTagRemove, vip.ID)},
	} {
		var r *response
		if tc.method == "GET" {
			r = ann.get(tc.path)
		} else {
			r = ann.post(tc.path, url.Values{"name": {"x"}, "colour": {"#000000"}, "into": {"1"}})
		}
		if r.status != http.StatusForbidden {
			t.Errorf("an Agent's %s %s: %d, want 403", tc.method, tc.path, r.status)
		}
	}
	if got := tagByName(t, w.app, "vip"); got != vip {
		t.Fatalf("refused requests changed the tag: %+v", got)
	}
	w.as("adam@example.com").get(views.WithID(views.PathTag, 999999)).wantStatus(http.StatusNotFound)
}

// The chips of the queue and the ticket page take the tag's colour from
// the tags' style sheet, with a text colour readable on it.
func TestTags_ChipsWearTheirColourWithReadableText(t *testing.T) {
	w := newTicketWorld(t)
	tagTheTicket(t, w, w.salesCode, "vip")
	tagTheTicket(t, w, w.salesCode, `odd "name"`)
	adam := w.as("adam@example.com")
	adam.post(views.WithID(views.PathTag, tagByName(t, w.app, "vip").ID), url.Values{"name": {"vip"}, "colour": {"#fde047"}}).wantRedirect(views.PathTags)
	adam.post(views.WithID(views.PathTag, tagByName(t, w.app, `odd "name"`).ID), url.Values{"name": {`odd "name"`}, "colour": {"#1e3a8a"}}).wantRedirect(views.PathTags)
	ann := w.as("ann@example.com")
	queue := ann.get(views.PathTickets).wantStatus(200).doc()
	if queue.Find(`.tag[data-tag="vip"]`).Length() == 0 || queue.Find(`link[href="`+views.PathTagColours+`"]`).Length() != 1 {
		t.Fatal("the queue's chips do not name their tag, or the page lacks the tags' style sheet")
	}
	if ann.get(views.TicketPath(w.salesCode)).doc().Find(`#tags .tag[data-tag="vip"]`).Length() != 1 {
		t.Fatal("the ticket page's chip does not name its tag")
	}
	css := ann.get(views.PathTagColours).wantStatus(200)
	if ct := css.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Fatalf("style sheet served as %q", ct)
	}
	for _, want := range []string{
		`.tag[data-tag="vip"]{background:#fde047;color:#000000;`,
		`.tag[data-tag="odd \22 name\22 "]{background:#1e3a8a;color:#ffffff;`,
	} {
		if !strings.Contains(css.body, want) {
			t.Errorf("style sheet lacks %q:\n%s", want, css.body)
		}
	}
	w.app.client().get(views.PathTagColours).wantStatus(http.StatusSeeOther)
}

func TestTagTextColour_PicksTheBetterContrast(t *testing.T) {
	for bg, want := range map[string]string{
		"#ffffff": "#000000", "#000000": "#ffffff", "#fde047": "#000000", "#1e3a8a": "#ffffff",
		"#dc2626": "#ffffff", "#2563eb": "#ffffff", "#808080": "#000000", "bad": "",
	} {
		if got := views.TagTextColour(bg); got != want {
			t.Errorf("TagTextColour(%s) = %s, want %s", bg, got, want)
		}
	}
}
