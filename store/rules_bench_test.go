package store

import (
	"context"
	"fmt"
	"testing"

	"helpline/automation"
	"helpline/store/storetest"
)

// BenchmarkRules_TicketCreation times creating a ticket with no rules and
// with 50 active Ticket created rules whose conditions are tested but do not
// hold (each: two groups, three conditions). The difference between the
// two is what rules add to a creation; the target is at most 1 ms.
func BenchmarkRules_TicketCreation(b *testing.B) {
	for _, n := range []int{0, 50} {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			ctx := context.Background()
			s, err := Open(storetest.DSN(b))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			if err := s.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			owner, err := s.SignUp(ctx, SignUpInput{Company: "Acme", Name: "Olivia Owner", Email: "owner@example.com", PasswordHash: testHash})
			if err != nil {
				b.Fatal(err)
			}
			var dept int64
			if err := s.r.QueryRow(`SELECT min(id) FROM departments`).Scan(&dept); err != nil {
				b.Fatal(err)
			}
			for i := range n {
				_, err := s.CreateRule(ctx, owner.ID, RuleInput{Active: true, Name: fmt.Sprintf("Rule %d", i),
					Trigger: automation.TicketCreated, Definition: automation.Definition{
						Groups: []automation.Group{
							{Conditions: []automation.Condition{cond(automation.OnRequesterEmail, automation.EndsWith, "@vip.example"),
								cond(automation.OnPriority, automation.Is, "urgent"), cond(automation.OnTag, automation.Has, "vip")}},
							{Conditions: []automation.Condition{cond(automation.OnSubject, automation.Contains, fmt.Sprintf("word%d", i)),
								cond(automation.OnChannel, automation.Is, "email"), cond(automation.OnDepartment, automation.IsNot, id(dept))}},
						},
						Actions: []automation.Action{act(automation.AddTag, "vip"), act(automation.ChangePriority, "urgent")},
					}}, "")
				if err != nil {
					b.Fatal(err)
				}
			}
			in := NewTicketInput{Subject: "Printer on fire", Body: "Please help", Channel: ChannelContactForm,
				Priority: PriorityNormal, DepartmentID: dept, ContactName: "Carla", ContactEmail: "carla@example.com"}
			b.ResetTimer()
			for range b.N {
				if _, err := s.CreateTicket(ctx, nil, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
