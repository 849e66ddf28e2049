package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"helpline/authz"
	"helpline/views"
)

func browserSignIn(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	run(t, ctx, "sign in as "+email,
		chromedp.Navigate(base+views.PathSignIn),
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), password),
		chromedp.Click(chromedp.CSS(`form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".usermenu")),
	)
}

// TestAgentsBrowser_CreateSignInChangeRoleRemove is the flow of an Owner
// managing an Administrator, with the Administrator in a second browser.
func TestAgentsBrowser_CreateSignInChangeRoleRemove(t *testing.T) {
	ownerCtx := newBrowser(t)
	adminCtx := newBrowser(t)
	app := newTestApp(t)
	creator := app.owner()
	base := app.ts.URL

	// The Owner creates an Administrator through Create agent.
	browserSignIn(t, ownerCtx, base, creator.Email, testPassword)
	run(t, ownerCtx, "create agent",
		chromedp.Navigate(base+views.PathAgents),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/config/agents/new"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/config/agents/new"]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-name")),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Ada Admin"),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "ada@example.com"),
		chromedp.Click(chromedp.CSS(`input[name="role"][value="admin"]`)),
		chromedp.Click(chromedp.CSS(`#agent-form button.btn-primary`)),
		chromedp.WaitVisible(chromedp.CSS("#f-link")),
	)
	link := read(t, ownerCtx, "read link", chromedp.Value(chromedp.CSS("#f-link")))
	if !strings.Contains(link, "/set-password/") {
		t.Fatalf("set-password link %q", link)
	}
	ada, err := app.st.AgentByEmail(context.Background(), "ada@example.com")
	if err != nil || ada.Role != authz.RoleAdmin {
		t.Fatalf("created agent %+v, %v", ada, err)
	}
	row := "#" + views.AgentRowID(ada.ID)

	// The Administrator opens the link in another browser and is signed in.
	run(t, adminCtx, "use set-password link",
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS("#f-password")),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "ada's own password"),
		chromedp.Click(chromedp.CSS(`form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.usermenu`)),
		chromedp.Navigate(base+views.PathAgents),
		chromedp.WaitVisible(chromedp.CSS(row)),
	)
	// An Administrator is offered no Owner role and no removal of an Owner.
	ownerOptions := read(t, adminCtx, "count Owner options",
		chromedp.Evaluate[int](`document.querySelectorAll('select[name="role"] option[value="owner"]').length`))
	ownerRowButtons := read(t, adminCtx, "count buttons on the Owner's row",
		chromedp.Evaluate[int](`document.querySelectorAll('#`+views.AgentRowID(creator.ID)+` button').length`))
	if ownerOptions != 0 || ownerRowButtons != 0 {
		t.Fatalf("Administrator sees %d Owner options and %d buttons on the Owner's row", ownerOptions, ownerRowButtons)
	}

	// The Owner changes the Administrator's role to Agent with the picker.
	run(t, ownerCtx, "change role with the picker",
		chromedp.Navigate(base+views.PathAgents),
		chromedp.WaitVisible(chromedp.CSS(row+" select")),
		chromedp.SetValue(chromedp.CSS(row+" select"), "agent"),
		chromedp.Evaluate[chromedp.Void](`void document.querySelector('`+row+` select').dispatchEvent(new Event('change', {bubbles: true}))`),
		chromedp.WaitVisible(chromedp.Search(`//div[@id="flash"]/p[contains(., "Ada Admin is now Agent")]`)),
	)
	saveHidden := read(t, ownerCtx, "save button hidden with scripts",
		chromedp.Evaluate[bool](`getComputedStyle(document.querySelector('`+row+` .nojs-only')).display === 'none'`))
	if !saveHidden {
		t.Error("the picker's Save button shows although scripts run")
	}
	if got, _ := app.st.AgentByID(context.Background(), ada.ID); got.Role != authz.RoleAgent {
		t.Fatalf("role after picker: %s", got.Role)
	}

	// The Administrator's next click lands on sign-in with the message.
	run(t, adminCtx, "next click after role change",
		chromedp.Click(chromedp.CSS(`.subnav a[href="/config/roles"]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
	)
	flashText := read(t, adminCtx, "read sign-in message", chromedp.Text(chromedp.CSS("#flash")))
	if !strings.Contains(flashText, "Your role was changed; please sign in again") {
		t.Fatalf("sign-in page says %q", flashText)
	}

	// The Owner removes the agent with the trash can after confirming.
	dialog := "#" + views.AgentRowID(ada.ID) + "-remove"
	run(t, ownerCtx, "remove with the trash can",
		chromedp.Click(chromedp.CSS(row+` button[aria-label="Remove Ada Admin"]`)),
		chromedp.WaitVisible(chromedp.CSS(dialog)),
		chromedp.Click(chromedp.CSS(dialog+" button.btn-danger")),
		chromedp.WaitNotPresent(chromedp.CSS(row)),
		chromedp.WaitVisible(chromedp.Search(`//div[@id="flash"]/p[contains(., "Ada Admin was removed.")]`)),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("#agents-table")),
	)
	rows := read(t, ownerCtx, "count rows after reload", chromedp.Evaluate[int](`document.querySelectorAll('`+row+`').length`))
	if rows != 0 {
		t.Fatal("removed agent's row is back after a reload")
	}
	if got, _ := app.st.AgentByID(context.Background(), ada.ID); !got.Removed {
		t.Fatal("agent not removed")
	}
}

// A role change the desk refuses (here: the agent was removed behind the
// page) shows why and puts the picker back to the role the agent has.
func TestAgentsBrowser_RefusedRoleChangeResetsThePicker(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t)
	creator := app.owner()
	vic := app.addAgent(creator.ID, "Vic Viewer", authz.RoleAgent)
	row := "#" + views.AgentRowID(vic.ID)
	browserSignIn(t, ctx, app.ts.URL, creator.Email, testPassword)
	run(t, ctx, "open the agents list",
		chromedp.Navigate(app.ts.URL+views.PathAgents),
		chromedp.WaitVisible(chromedp.CSS(row+" select")),
	)
	if err := app.st.RemoveAgent(context.Background(), creator.ID, vic.ID, ""); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "change the removed agent's role",
		chromedp.SetValue(chromedp.CSS(row+" select"), "admin"),
		chromedp.Evaluate[chromedp.Void](`void document.querySelector('`+row+` select').dispatchEvent(new Event('change', {bubbles: true}))`),
		chromedp.WaitVisible(chromedp.Search(`//div[@id="flash"]/p[contains(., "There is nothing here")]`)),
	)
	if got := read(t, ctx, "read the picker", chromedp.Value(chromedp.CSS(row+" select"))); got != "agent" {
		t.Fatalf("picker shows %q after the refusal, want agent", got)
	}
}

// Granting Owner with the picker asks first, naming what it gives: saying
// no leaves the agent and the picker as they were, yes makes them Owner.
func TestAgentsBrowser_OwnerGrantAsksFirst(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t)
	creator := app.owner()
	vic := app.addAgent(creator.ID, "Vic Viewer", authz.RoleAgent)
	row := "#" + views.AgentRowID(vic.ID)
	// Each question is answered from answers, off the listener (which must
	// not block), and its text goes to asked.
	answers := make(chan bool, 2)
	asked := make(chan string, 2)
	if err := chromedp.Listen(ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			asked <- d.Message
			go func() {
				accept := <-answers
				_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept})
			}()
		}
	}); err != nil {
		t.Fatal(err)
	}
	browserSignIn(t, ctx, app.ts.URL, creator.Email, testPassword)
	choose := `void (function(){ var s = document.querySelector('` + row + ` select'); s.value = 'owner'; s.dispatchEvent(new Event('change', {bubbles: true})); })()`
	run(t, ctx, "open the agents list", chromedp.Navigate(app.ts.URL+views.PathAgents), chromedp.WaitVisible(chromedp.CSS(row+" select")))

	answers <- false
	run(t, ctx, "choose Owner and say no", chromedp.Evaluate[chromedp.Void](choose))
	question := func() string {
		select {
		case m := <-asked:
			return m
		case <-ctx.Done():
			t.Fatal("choosing Owner asked nothing")
			return ""
		}
	}
	if msg := question(); !strings.Contains(msg, "Vic Viewer will manage the account") {
		t.Fatalf("the question was %q", msg)
	}
	run(t, ctx, "wait for the picker to go back", chromedp.Poll[chromedp.Void](`document.querySelector('`+row+` select').value === 'agent'`))
	if got, _ := app.st.AgentByID(context.Background(), vic.ID); got.Role != authz.RoleAgent {
		t.Fatalf("saying no made them %s", got.Role)
	}

	answers <- true
	run(t, ctx, "choose Owner and say yes",
		chromedp.Evaluate[chromedp.Void](choose),
		chromedp.WaitVisible(chromedp.Search(`//div[@id="flash"]/p[contains(., "Vic Viewer is now Owner")]`)),
	)
	question()
	if got, _ := app.st.AgentByID(context.Background(), vic.ID); got.Role != authz.RoleOwner {
		t.Fatalf("saying yes left them %s", got.Role)
	}
}
