package web

import (
	"context"
	"net/url"
	"reflect"
	"testing"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// Every input of a kept page is in its key: varying any one of them (the
// language, the viewer, their permissions, each filter of the queue, where
// a page starts, the density, the unread marks, the ticket, the saved view,
// the agents list's search and start) gives a different key, and every
// field of pageKey is one some page varies.
func TestPageKey_EveryInputIsInTheKey(t *testing.T) {
	en := views.WithEnv(context.Background(), &views.Env{Lang: "en"})
	pl := views.WithEnv(context.Background(), &views.Env{Lang: "pl"})
	agent := authz.Viewer{ID: 7, Perms: authz.BuiltinPerms(authz.RoleAgent)}
	admin := authz.Viewer{ID: 7, Perms: authz.BuiltinPerms(authz.RoleAdmin)}
	other := authz.Viewer{ID: 8, Perms: agent.Perms}
	seen := map[pageKey]string{}
	add := func(name string, k pageKey) {
		t.Helper()
		if prev, ok := seen[k]; ok {
			t.Errorf("%s and %s share the key %#v", prev, name, k)
		}
		seen[k] = name
	}
	queue := func(ctx context.Context, v authz.Viewer, query string, d store.Density, whole bool, u store.UnreadState) pageKey {
		q, err := url.ParseQuery(query)
		if err != nil {
			t.Fatal(err)
		}
		fv, f := queueFilterFrom(q)
		return queueKey(ctx, v, fv, f, d, whole, u)
	}
	none := store.UnreadState{}
	add("queue", queue(en, agent, "", "", true, none))
	add("queue in Polish", queue(pl, agent, "", "", true, none))
	add("queue of another viewer", queue(en, other, "", "", true, none))
	add("queue with other permissions", queue(en, admin, "", "", true, none))
	add("queue's results", queue(en, agent, "", "", false, none))
	add("compact queue", queue(en, agent, "", store.DensityCompact, true, none))
	add("queue with an unread notification", queue(en, agent, "", "", true, store.UnreadState{Count: 1, Newest: 3}))
	add("queue with a newer unread notification", queue(en, agent, "", "", true, store.UnreadState{Count: 1, Newest: 4}))
	for _, query := range []string{
		"status=open", "status=all-open", "status=resolved", "department=2", "department=3",
		"assignee=me", "assignee=unassigned", "channel=email", "tag=vip", "tag=login",
		"q=invoice", "q=refund", "sort=updated", "sort=due", "overdue=1",
		"after=100.5", "after=100.6", "before=100.5", "after=100.5&from=51", "after=100.5&from=101",
		"created_from=2026-01-01T00:00:00Z&created_to=2026-02-01T00:00:00Z",
		"field.plan=gold", "field.plan=silver",
	} {
		add("queue "+query, queue(en, agent, query, "", true, none))
	}
	fv, _ := queueFilterFrom(url.Values{"status": {"open"}})
	add("ticket", ticketKey(en, agent, "ABC-1", views.QueueFilterValues{}))
	add("ticket in Polish", ticketKey(pl, agent, "ABC-1", views.QueueFilterValues{}))
	add("ticket of another viewer", ticketKey(en, other, "ABC-1", views.QueueFilterValues{}))
	add("ticket with other permissions", ticketKey(en, admin, "ABC-1", views.QueueFilterValues{}))
	add("another ticket", ticketKey(en, agent, "ABC-2", views.QueueFilterValues{}))
	add("ticket from a filtered queue", ticketKey(en, agent, "ABC-1", fv))
	add("agents", agentsKey(en, admin, "", 0))
	add("agents in Polish", agentsKey(pl, admin, "", 0))
	add("agents of another viewer", agentsKey(en, authz.Viewer{ID: 9, Perms: admin.Perms}, "", 0))
	add("agents with other permissions", agentsKey(en, authz.Viewer{ID: 7, Perms: authz.BuiltinPerms(authz.RoleOwner)}, "", 0))
	add("agents found", agentsKey(en, admin, "ann", 0))
	add("agents further on", agentsKey(en, admin, "", 40))
	add("view count", viewCountKey(en, agent, 1, "status=open"))
	add("view count in Polish", viewCountKey(pl, agent, 1, "status=open"))
	add("view count of another viewer", viewCountKey(en, other, 1, "status=open"))
	add("view count with other permissions", viewCountKey(en, admin, 1, "status=open"))
	add("another view's count", viewCountKey(en, agent, 2, "status=open"))
	add("a changed view's count", viewCountKey(en, agent, 1, "status=new"))

	keys := make([]reflect.Value, 0, len(seen))
	for k := range seen {
		keys = append(keys, reflect.ValueOf(k))
	}
	typ := reflect.TypeFor[pageKey]()
	for i := range typ.NumField() {
		varied := false
		for _, k := range keys[1:] {
			if !k.Field(i).Equal(keys[0].Field(i)) {
				varied = true
				break
			}
		}
		if !varied {
			t.Errorf("pageKey.%s is never varied: no page's input, or missing from this test", typ.Field(i).Name)
		}
	}
}
