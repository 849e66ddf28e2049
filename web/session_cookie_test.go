package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

func TestCookieSerializer_KeepsEveryValueAndRefusesUnknownOnes(t *testing.T) {
	in := map[any]any{keyToken: "tok", keyNonce: "nonce", keyRemember: true, keyFlashes: []any{"success\x00Saved.", "info\x00Hi"}}
	b, err := cookieSerializer{}.Serialize(in)
	if err != nil {
		t.Fatal(err)
	}
	var out map[any]any
	if err := (cookieSerializer{}).Deserialize(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("round trip: %v, want %v", out, in)
	}
	for _, bad := range []map[any]any{{"other": "x"}, {keyRemember: "yes"}, {keyFlashes: []any{1}}} {
		if _, err := (cookieSerializer{}).Serialize(bad); err == nil {
			t.Errorf("%v serialized; a value the cookie cannot carry must be refused", bad)
		}
	}
}

// A script posting the contact form without ever opening a page must not
// grow its cookie until the browser refuses it: only the newest messages wait.
func TestFlashes_OnlyTheNewestWaitForTheNextPage(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	dept := app.department("Sales")
	c := app.client()
	c.get(views.PathContact)
	for i := range 8 {
		c.post(views.PathContact, url.Values{"name": {"Carla"}, "email": {"carla@example.com"}, "department": {strconv.FormatInt(dept, 10)},
			"subject": {fmt.Sprintf("Question %d", i)}, "message": {"Hello"}}).wantStatus(http.StatusSeeOther)
	}
	r := c.get(views.PathContactSent).wantStatus(http.StatusOK)
	if n := r.doc().Find("#flash p").Length(); n != maxFlashes {
		t.Fatalf("%d messages shown after 8 posts, want the newest %d", n, maxFlashes)
	}
	codes := make([]string, 0, 8)
	rows, err := app.st.Queue(context.Background(), authz.Viewer{ID: app.ownerID(), Perms: authz.BuiltinPerms(authz.RoleOwner)}, store.QueueFilter{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range rows.Tickets {
		codes = append(codes, tk.Code)
	}
	if len(codes) != 8 {
		t.Fatalf("%d tickets stored, want 8", len(codes))
	}
	// The queue lists New tickets oldest first.
	shown := r.doc().Find("#flash").Text()
	if !strings.Contains(shown, codes[7]) || strings.Contains(shown, codes[0]) {
		t.Fatalf("messages shown %q: want the newest ticket's (%s), not the oldest's (%s)", shown, codes[7], codes[0])
	}
}
