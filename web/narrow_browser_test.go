package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// everyPageDesk is a desk with something on every page an Owner can open:
// a department with members, a custom role and its agent, tickets with a
// reply and a note, and a set-password link.
type everyPageDesk struct {
	app     *testApp
	creator store.Agent
	// fill puts the desk's ids, code and token into a route's path.
	fill func(path string) string
}

func newEveryPageDesk(t *testing.T) everyPageDesk {
	t.Helper()
	app := newTestApp(t)
	tm := app.team()
	bg := context.Background()
	dep, err := app.st.CreateDepartment(bg, tm.creator.ID, store.DepartmentInput{Name: "Sales and long-named customer care"})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.st.SetDepartmentMembers(bg, tm.creator.ID, dep, map[int64]store.Channels{tm.creator.ID: {Tickets: true}, tm.agent.ID: {Tickets: true, Calls: true}}); err != nil {
		t.Fatal(err)
	}
	// A webhook before the tickets, so its deliveries list has rows.
	hook, err := app.st.CreateWebhook(bg, tm.creator.ID, store.WebhookInput{URL: "https://hooks.example.com/integrations/helpline/a-rather-long-receiver-path",
		Events: store.WebhookEvents, Active: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	role := app.customRole(tm.creator.ID, "Team lead", authz.TicketsReadAll, authz.AgentsManage, authz.AgentsRole)
	target := app.addAgent(tm.creator.ID, "Lena Leadbetter-Longname", role)
	code := app.ticket(dep, "The printer in the second-floor meeting room prints everything twice")
	app.ticket(dep, "Invoice 2024-117 is missing the VAT number")
	owner := authz.Viewer{ID: tm.creator.ID, Perms: authz.BuiltinPerms(authz.RoleOwner)}
	if err := app.st.Reply(bg, owner, code, "Which tray does it print from?"); err != nil {
		t.Fatal(err)
	}
	if err := app.st.AddNote(bg, owner, code, "Same model as last month's ticket."); err != nil {
		t.Fatal(err)
	}
	token, err := app.st.ResetPassword(bg, tm.creator.ID, tm.agent.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	answer, err := app.st.CreateAnswer(bg, tm.creator.ID, store.AnswerInput{Title: "Printer troubleshooting for the second floor",
		Body: "Dear {{customer.name}}, please check the tray.", DepartmentID: dep, Shared: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.st.AddTag(bg, owner, code, "hardware"); err != nil {
		t.Fatal(err)
	}
	// The queue's and the ticket's chip in a dark colour, for the contrast checks.
	if err := app.st.UpdateTag(bg, tm.creator.ID, tagByName(t, app, "hardware").ID, store.TagInput{Name: "hardware", Colour: "#1e3a8a"}, ""); err != nil {
		t.Fatal(err)
	}
	tag, err := app.st.CreateTag(bg, tm.creator.ID, store.TagInput{Name: "printers", Colour: "#fde047"}, "")
	if err != nil {
		t.Fatal(err)
	}
	fill := func(p string) string {
		switch {
		case strings.HasPrefix(p, "/config/departments/"):
			p = strings.Replace(p, ":id", strconv.FormatInt(dep, 10), 1)
		case strings.HasPrefix(p, views.PathAnswers+"/"):
			p = strings.Replace(p, ":id", strconv.FormatInt(answer, 10), 1)
		case strings.HasPrefix(p, views.PathTags+"/"):
			p = strings.Replace(p, ":id", strconv.FormatInt(tag, 10), 1)
		case strings.HasPrefix(p, views.PathWebhooks+"/"):
			p = strings.Replace(p, ":id", strconv.FormatInt(hook, 10), 1)
		case strings.HasPrefix(p, "/config/roles/"):
			p = strings.Replace(p, ":id", strconv.FormatInt(role.CustomID(), 10), 1)
		}
		p = strings.Replace(p, ":id", strconv.FormatInt(target.ID, 10), 1)
		p = strings.Replace(p, ":code", code, 1)
		return strings.Replace(p, ":token", token, 1)
	}
	return everyPageDesk{app: app, creator: tm.creator, fill: fill}
}

// pages lists the path of every GET page of the route table, filled in.
func (d everyPageDesk) pages() []string {
	var out []string
	for _, rt := range d.app.srv.routes() {
		if rt.method != http.MethodGet || rt.path == staticRoute || rt.path == views.PathHealth || rt.path == views.PathTagColours {
			continue
		}
		if strings.HasSuffix(rt.path, ".csv") { // downloads, not pages
			continue
		}
		out = append(out, d.fill(rt.path))
	}
	return out
}

// TestBrowser_NoPageScrollsSidewaysOnAPhone walks every GET route of the
// table as an Owner on a 390×844 screen: wide tables scroll inside their
// frame, never the page.
func TestBrowser_NoPageScrollsSidewaysOnAPhone(t *testing.T) {
	ctx := newBrowser(t)
	desk := newEveryPageDesk(t)
	base := desk.app.ts.URL
	browserSignIn(t, ctx, base, desk.creator.Email, testPassword)
	run(t, ctx, "phone screen", chromedp.EmulateViewport(390, 844))
	walked := 0
	for _, path := range desk.pages() {
		run(t, ctx, "open "+path, chromedp.Navigate(base+path))
		widths := read(t, ctx, "measure "+path, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
		if widths[0] > widths[1] {
			t.Errorf("%s is %d px wide on a %d px screen", path, widths[0], widths[1])
		}
		walked++
	}
	if walked < 15 {
		t.Fatalf("only %d pages walked", walked)
	}
}
