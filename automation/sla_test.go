package automation

import (
	"slices"
	"testing"
)

func TestCreatedInHours_YesAndNo(t *testing.T) {
	in, out := Ticket{CreatedInHours: true}, Ticket{}
	yes := Condition{Subject: OnCreatedInHours, Op: Is, Value: "yes"}
	no := Condition{Subject: OnCreatedInHours, Op: Is, Value: "no"}
	if !yes.Holds(in) || yes.Holds(out) || no.Holds(in) || !no.Holds(out) {
		t.Fatal("created within business hours answers wrongly")
	}
}

func TestCheck_SLALevelActionAndHoursCondition(t *testing.T) {
	d := Definition{
		Groups: []Group{{[]Condition{{Subject: OnCreatedInHours, Op: Is, Value: "yes"}, {Subject: OnCreatedInHours, Op: Is, Value: "maybe"},
			{Subject: OnCreatedInHours, Op: IsNot, Value: "no"}}}},
		Actions: []Action{{Kind: ChangeSLALevel, Value: "3"}, {Kind: ChangeSLALevel, Value: ""}, {Kind: ChangeSLALevel, Value: "gold"}},
	}
	var got []string
	for _, p := range Check("SLA", TicketCreated, d) {
		got = append(got, p.Where+" "+p.Why)
	}
	want := []string{"groups.0.conditions.1 invalid", "groups.0.conditions.2 invalid", "actions.1 required", "actions.2 invalid"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}
