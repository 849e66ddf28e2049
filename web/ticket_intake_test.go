package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/views"
)

// Customers and agents are held to the same intake rules (package desk):
// the same bad input gets the same message next to the same field on the
// contact form and on the New ticket form, and stores nothing.
func TestTicketIntake_ContactFormAndNewTicketFormRefuseAlike(t *testing.T) {
	w := newTicketWorld(t)
	total := func() (n int) {
		t.Helper()
		counts, err := w.app.st.StatusCounts(t.Context(), authz.Viewer{Perms: authz.BuiltinPerms(authz.RoleOwner)}, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range counts {
			n += c
		}
		return n
	}
	// Sales is offered on both forms (Ann works there); the contact form
	// ignores channel and priority.
	good := url.Values{"name": {"Dan Caller"}, "email": {"dan@example.com"}, "department": {idString(w.sales)},
		"subject": {"Prices"}, "message": {"Please send the price list."}, "channel": {"call"}, "priority": {"1"}}
	const (
		required = "Please fill this in."
		choose   = "Please choose one of the offered options."
		email    = "Please enter an email address like name@example.com."
	)
	long := func(n int) string { return strings.Repeat("ż", n) }
	cases := []struct {
		name, field, value, want string
	}{
		{"blank name", "name", "  ", required},
		{"name too long", "name", long(101), "This is too long (at most 100 characters)."},
		{"name turned around", "name", "Eve \u202egpj.exe", choose},
		{"name with an escape", "name", "Eve\x1b[31m", choose},
		{"email with a display name", "email", "Dan <dan@example.com>", email},
		{"email without a dot", "email", "dan@localhost", email},
		{"email too long", "email", strings.Repeat("d", 250) + "@example.com", "This is too long (at most 254 characters)."},
		{"no department", "department", "", required},
		{"no such department", "department", "999", choose},
		{"department not a number", "department", "sales", choose},
		{"blank subject", "subject", "\t", required},
		{"subject too long", "subject", long(201), "This is too long (at most 200 characters)."},
		{"subject with a tab", "subject", "Pri\tces", choose},
		{"blank message", "message", "\r\n \r\n", required},
		{"message too long", "message", long(10001), "This is too long (at most 10000 characters)."},
		{"message with NUL", "message", "Hello\x00", choose},
	}
	cust := w.app.client()
	ann := w.as("ann@example.com")
	before := total()
	for _, tc := range cases {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		form.Set(tc.field, tc.value)
		for _, target := range []struct {
			path string
			c    *client
		}{{views.PathContact, cust}, {views.PathTicketNew, ann}} {
			r := target.c.post(target.path, form)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s on %s: status %d, want 422", tc.name, target.path, r.status)
				continue
			}
			if got := r.text("#f-" + tc.field + "-error"); got != tc.want {
				t.Errorf("%s on %s: message next to %s is %q, want %q", tc.name, target.path, tc.field, got, tc.want)
			}
			if n := r.doc().Find(".field-error").Length(); n != 1 {
				t.Errorf("%s on %s: %d field messages, want 1:\n%s", tc.name, target.path, n, r.text("form"))
			}
		}
	}
	if n := total(); n != before {
		t.Fatalf("refused input stored %d tickets", n-before)
	}
	cust.post(views.PathContact, good).wantRedirect(views.PathContactSent)
	ann.post(views.PathTicketNew, good).wantRedirect("/tickets/")
	if n := total(); n != before+2 {
		t.Fatalf("the good input stored %d tickets, want one from each form", n-before)
	}
}
