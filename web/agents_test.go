package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpline/views"
)

func TestAgentsPage_OwnerSeesTableWithPickerAndActions(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	c := app.signedIn(tm.creator)
	r := c.get(views.PathAgents).wantStatus(http.StatusOK)
	d := r.doc()
	if got := r.text("h1"); got != "Agents" {
		t.Fatalf("heading %q", got)
	}
	if d.Find(`a[href="/config/agents/new"]`).Text() != "Create agent" {
		t.Fatal("no Create agent button")
	}
	for _, col := range []string{"Name", "Email", "Role", "Departments", "Status", "Last sign-in"} {
		if !strings.Contains(d.Find("thead").Text(), col) {
			t.Errorf("column %s missing", col)
		}
	}
	row := d.Find("#" + views.AgentRowID(tm.admin.ID))
	var opts []string
	row.Find("select[name=role] option").Each(func(_ int, s *goquery.Selection) { opts = append(opts, s.Text()) })
	if strings.Join(opts, ",") != "Agent,Administrator,Owner" {
		t.Fatalf("owner's picker offers %v", opts)
	}
	if row.Find(`button[aria-label="Remove Adam Admin"]`).Length() != 1 {
		t.Fatal("no Remove Adam Admin button")
	}
	// Own row and the creator's row: role as text, no remove.
	own := d.Find("#" + views.AgentRowID(tm.creator.ID))
	if own.Find("select").Length() != 0 || own.Find("button[aria-label^=Remove]").Length() != 0 {
		t.Fatal("own row offers role picker or removal")
	}
}

func TestAgentsPage_AdminSeesNoOwnerOptionAndNoRemoveOnOwnerRow(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	d := app.signedIn(tm.admin).get(views.PathAgents).wantStatus(http.StatusOK).doc()
	if d.Find(`option[value="owner"]`).Length() != 0 {
		t.Fatal("an Administrator is offered the Owner role")
	}
	if d.Find("#"+views.AgentRowID(tm.agent.ID)+" select[name=role]").Length() != 1 {
		t.Fatal("no picker on an Agent's row")
	}
	ownerRow := d.Find("#" + views.AgentRowID(tm.owner.ID))
	if ownerRow.Find("button, select, a").Length() != 0 {
		t.Fatalf("Owner's row has actions for an Administrator: %s", ownerRow.Text())
	}
	if !strings.Contains(ownerRow.Text(), "Owner") {
		t.Fatal("Owner's role not shown as text")
	}
}

func TestAgentsSearch_HTMXGetsTheTableAndPlainGetTheWholePage(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	c := app.signedIn(tm.admin)
	r := c.do(http.MethodGet, views.PathAgents+"?q=ALICE", nil, true).wantStatus(http.StatusOK)
	if strings.Contains(r.body, "<html") || !strings.HasPrefix(strings.TrimSpace(r.body), `<div id="agents-table">`) {
		t.Fatalf("htmx search answered more than the table:\n%.500s", r.body)
	}
	d := r.doc()
	if d.Find("tbody tr").Length() != 1 || d.Find("#"+views.AgentRowID(tm.agent.ID)).Length() != 1 {
		t.Fatalf("search for ALICE found %d rows", d.Find("tbody tr").Length())
	}
	page := c.get(views.PathAgents + "?q=example.com").wantStatus(http.StatusOK)
	if page.doc().Find("tbody tr").Length() != 4 || page.doc().Find(`input[name=q]`).AttrOr("value", "") != "example.com" {
		t.Fatal("plain search page lacks rows or keeps no query")
	}
	if r.header.Get("Vary") != "HX-Request" {
		t.Fatalf("Vary %q", r.header.Get("Vary"))
	}
}
