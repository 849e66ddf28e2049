package automation

import (
	"slices"
	"testing"
)

func TestConditions_EachSubjectHoldsOrNot(t *testing.T) {
	tk := Ticket{Status: "open", Priority: "high", DepartmentID: 7, Channel: "email", AssigneeID: 3,
		Tags: []string{"vip", "billing"}, Subject: "Invoice missing", Message: "Where is my REFUND?",
		RequesterEmail: "Boss@VIP.example", Fields: map[int64]string{4: "Gold"}}
	for _, tc := range []struct {
		c    Condition
		want bool
	}{
		{Condition{Subject: OnStatus, Op: Is, Value: "open"}, true},
		{Condition{Subject: OnStatus, Op: Is, Value: "new"}, false},
		{Condition{Subject: OnStatus, Op: IsNot, Value: "new"}, true},
		{Condition{Subject: OnPriority, Op: Is, Value: "high"}, true},
		{Condition{Subject: OnPriority, Op: IsNot, Value: "high"}, false},
		{Condition{Subject: OnDepartment, Op: Is, Value: "7"}, true},
		{Condition{Subject: OnDepartment, Op: Is, Value: "8"}, false},
		{Condition{Subject: OnChannel, Op: Is, Value: "email"}, true},
		{Condition{Subject: OnChannel, Op: IsNot, Value: "email"}, false},
		{Condition{Subject: OnAssignee, Op: Is, Value: "3"}, true},
		{Condition{Subject: OnAssignee, Op: Is, Value: "0"}, false},
		{Condition{Subject: OnTag, Op: Has, Value: " VIP "}, true},
		{Condition{Subject: OnTag, Op: Has, Value: "spam"}, false},
		{Condition{Subject: OnTag, Op: HasNot, Value: "spam"}, true},
		{Condition{Subject: OnTag, Op: HasNot, Value: "vip"}, false},
		{Condition{Subject: OnSubject, Op: Contains, Value: "invoice"}, true},
		{Condition{Subject: OnSubject, Op: NotContains, Value: "invoice"}, false},
		{Condition{Subject: OnMessage, Op: Contains, Value: "refund"}, true},
		{Condition{Subject: OnMessage, Op: Contains, Value: "cancel"}, false},
		{Condition{Subject: OnRequesterEmail, Op: EndsWith, Value: "@vip.example"}, true},
		{Condition{Subject: OnRequesterEmail, Op: EndsWith, Value: "@example.com"}, false},
		{Condition{Subject: OnRequesterEmail, Op: Is, Value: "boss@vip.example"}, true},
		{Condition{Subject: OnField, Op: Is, FieldID: 4, Value: "gold"}, true},
		{Condition{Subject: OnField, Op: Is, FieldID: 5, Value: "gold"}, false},
		{Condition{Subject: OnField, Op: IsNot, FieldID: 5, Value: "gold"}, true},
	} {
		if got := tc.c.Holds(tk); got != tc.want {
			t.Errorf("%+v holds = %v, want %v", tc.c, got, tc.want)
		}
	}
}

func TestGroups_AllInsideOneGroupAnyGroupEnough(t *testing.T) {
	open := Condition{Subject: OnStatus, Op: Is, Value: "open"}
	urgent := Condition{Subject: OnPriority, Op: Is, Value: "urgent"}
	vip := Condition{Subject: OnTag, Op: Has, Value: "vip"}
	tk := Ticket{Status: "open", Priority: "normal", Tags: []string{"vip"}}
	for _, tc := range []struct {
		name   string
		groups []Group
		want   bool
	}{
		{"no groups: every ticket", nil, true},
		{"AND, all hold", []Group{{[]Condition{open, vip}}}, true},
		{"AND, one fails", []Group{{[]Condition{open, urgent}}}, false},
		{"OR, second group holds", []Group{{[]Condition{urgent}}, {[]Condition{vip}}}, true},
		{"OR, no group holds", []Group{{[]Condition{urgent}}, {[]Condition{open, urgent}}}, false},
	} {
		if got := (Definition{Groups: tc.groups}).Matches(tk); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCheck_NamesEachBadPlace(t *testing.T) {
	d := Definition{
		Groups: []Group{{[]Condition{{Subject: OnStatus, Op: Is, Value: "open"}, {Subject: OnPriority, Op: Is, Value: "huge"}}},
			{[]Condition{{Subject: OnTag, Op: Contains, Value: "x"}}}},
		Actions: []Action{{Kind: AddTag, Value: " "}, {Kind: ChangeStatus, Value: "answered"}, {Kind: SendHTTP, Value: "ftp://x"}, {Kind: StopOthers}},
	}
	var got []string
	for _, p := range Check(" ", "sometimes", d) {
		got = append(got, p.Where+" "+p.Why)
	}
	want := []string{"name required", "trigger required", "groups.0.conditions.1 invalid", "groups.1.conditions.0 invalid",
		"actions.0 required", "actions.1 invalid", "actions.2 invalid"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if p := Check("ok", TicketCreated, Definition{}); len(p) != 1 || p[0].Where != "actions" {
		t.Fatalf("a rule without actions: %+v", p)
	}
}

func TestTags_ListedAndRenamed(t *testing.T) {
	d := Definition{Groups: []Group{{[]Condition{{Subject: OnTag, Op: Has, Value: "vip"}}}},
		Actions: []Action{{Kind: AddTag, Value: "gold"}, {Kind: RemoveTag, Value: "vip"}}}
	if got := d.Tags(); !slices.Equal(got, []string{"vip", "gold"}) {
		t.Fatalf("tags %v", got)
	}
	if !d.RenameTag("VIP", "very important") || d.RenameTag("none", "x") {
		t.Fatal("rename reported wrongly")
	}
	if got := d.Tags(); !slices.Equal(got, []string{"very important", "gold"}) {
		t.Fatalf("after rename %v", got)
	}
}
