package store

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestCustomerLink_OpensOnlyThePublicThreadUntilReset(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	in := contactInput(w.sales, 1)
	in.Lang = "pl" // the contact form's language, kept with the link
	code, err := w.s.CreateTicket(ctx, nil, in)
	if err != nil {
		t.Fatal(err)
	}
	token, err := w.s.CustomerLink(ctx, code, "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(token) < 40 {
		t.Fatalf("token %q is short", token)
	}
	if again, _ := w.s.CustomerLink(ctx, code, "ro"); again != token {
		t.Fatal("asking again made another token")
	}
	if err := w.s.Reply(ctx, w.annV, code, "public answer"); err != nil {
		t.Fatal(err)
	}
	if err := w.s.AddNote(ctx, w.annV, code, "internal only"); err != nil {
		t.Fatal(err)
	}
	ct, err := w.s.CustomerTicketByToken(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if ct.Code != code || ct.Lang != "pl" || len(ct.Thread) != 2 {
		t.Fatalf("customer ticket %+v", ct)
	}
	for _, m := range ct.Thread {
		if strings.Contains(m.Body, "internal") {
			t.Fatal("the public thread holds a note")
		}
	}
	if _, err := w.s.CustomerReplyByToken(ctx, token, "thanks, but", "ro", nil); err != nil {
		t.Fatal(err)
	}
	if ct, _ = w.s.CustomerTicketByToken(ctx, token); ct.Status != TicketOpen || ct.Lang != "ro" {
		t.Fatalf("after the customer's reply: %s, %s", ct.Status, ct.Lang)
	}
	// Bob (Support) may not reset a Sales ticket's link.
	if err := w.s.ResetCustomerLink(ctx, w.bobV, code); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Bob reset a Sales link: %v", err)
	}
	if err := w.s.ResetCustomerLink(ctx, w.annV, code); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.CustomerTicketByToken(ctx, token); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the old token still opens the ticket: %v", err)
	}
	if _, err := w.s.CustomerTicketByToken(ctx, ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an empty token: %v", err)
	}
}
