package web

import (
	"fmt"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"helpline/views"
)

// TestTagsBrowser_RenameMergeAndRemoveAskingWithTheCount: an Administrator
// opens Configuration → Tags, sees each tag's tickets, renames one and
// gives it a colour (both tickets follow), merges another into it, and
// removes it through the dialog, which names how many tickets carry it.
func TestTagsBrowser_RenameMergeAndRemoveAskingWithTheCount(t *testing.T) {
	ctx := newBrowser(t)
	w := newTicketWorld(t)
	base := w.app.ts.URL
	tagTheTicket(t, w, w.salesCode, "urgnet")
	tagTheTicket(t, w, w.supportCode, "urgnet")
	tagTheTicket(t, w, w.supportCode, "refund")
	urg, refund := tagByName(t, w.app, "urgnet"), tagByName(t, w.app, "refund")
	row := "#" + views.TagRowID(urg.ID)

	browserSignIn(t, ctx, base, "adam@example.com", testPassword)
	run(t, ctx, "open Tags from the Configuration",
		chromedp.Click(css(`.mainnav a[href="`+views.PathConfig+`"]`)),
		chromedp.Click(css(`.subnav a[href="`+views.PathTags+`"]`)),
		chromedp.WaitVisible(css(row)),
	)
	if got := text(t, ctx, row+" td:nth-child(2)"); got != "2 tickets" {
		t.Fatalf("urgnet's count reads %q", got)
	}
	run(t, ctx, "rename urgnet and colour it",
		chromedp.Click(css(row+` a[href="`+views.WithID(views.PathTag, urg.ID)+`"]`)),
		chromedp.WaitVisible(css("#tag-form #f-name")),
		chromedp.Evaluate[chromedp.Void](`void (document.getElementById('f-name').value = '')`),
		chromedp.SendKeys(css("#f-name"), "Urgent"),
		// A colour picker is a system dialog; its value is set as the picker would.
		chromedp.Evaluate[chromedp.Void](`void (document.getElementById('f-colour').value = '#dc2626')`),
		chromedp.Click(css(`#tag-form button[type="submit"]`)),
		chromedp.WaitVisible(css(row)),
	)
	if got := text(t, ctx, row+" td:first-child"); got != "urgent" {
		t.Fatalf("the renamed tag reads %q", got)
	}
	if got := tagByName(t, w.app, "urgent"); got.ID != urg.ID || got.Colour != "#dc2626" || got.Tickets != 2 {
		t.Fatalf("the renamed tag is %+v", got)
	}
	for _, code := range []string{w.salesCode, w.supportCode} {
		if tags := w.app.ticketAs(code).Tags; !slices.Contains(tags, "urgent") {
			t.Fatalf("ticket %s carries %v after the rename", code, tags)
		}
	}
	run(t, ctx, "merge refund into urgent",
		chromedp.Click(css(`#`+views.TagRowID(refund.ID)+` a[href="`+views.WithID(views.PathTagMerge, refund.ID)+`"]`)),
		chromedp.WaitVisible(css("#merge-form #f-into")),
		chromedp.SetValue(css("#f-into"), fmt.Sprint(urg.ID)),
		chromedp.Click(css(`#merge-form button[type="submit"]`)),
		chromedp.WaitVisible(css(".flash-success")),
		chromedp.WaitNotPresent(css("#"+views.TagRowID(refund.ID))),
	)
	if got := text(t, ctx, ".flash-success"); got != "The tag “refund” was merged into “urgent”." {
		t.Fatalf("after the merge the page says %q", got)
	}
	dialog := row + "-remove"
	run(t, ctx, "ask to remove urgent",
		chromedp.Click(css(row+` button[aria-label="Remove urgent"]`)),
		chromedp.WaitVisible(css(dialog)),
	)
	if got := text(t, ctx, dialog+" p"); got != "2 tickets carry it; the tag will be taken off them." {
		t.Fatalf("the dialog asks %q", got)
	}
	run(t, ctx, "remove it",
		chromedp.Click(css(dialog+" button.btn-danger")),
		chromedp.WaitNotPresent(css(row)),
	)
	for _, code := range []string{w.salesCode, w.supportCode} {
		if tags := w.app.ticketAs(code).Tags; len(tags) != 0 {
			t.Fatalf("ticket %s carries %v after the removal", code, tags)
		}
	}
}
