package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"helpline/authz"
)

// TestReportTags_Definitions tags the report desk's tickets (A: refund and
// vip; B: vip; C: none) and reads the Tags of 11 January in Warsaw, when
// all three were created: A had two replies, the first after 60 min, and
// was resolved; B, Bea's call now in Sales, one reply after 30 min.
func TestReportTags_Definitions(t *testing.T) {
	d := newReportDesk(t)
	s, ctx := d.s, context.Background()
	var codes []string
	rows, err := s.r.Query(`SELECT code FROM tickets ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, c)
	}
	rows.Close()
	for _, tag := range []struct{ code, tag string }{{codes[0], "refund"}, {codes[0], "vip"}, {codes[1], "vip"}} {
		if err := s.AddTag(ctx, d.adminV, tag.code, tag.tag); err != nil {
			t.Fatal(err)
		}
	}
	with := func(fn func(*ReportFilter)) ReportFilter { f := d.jan11; fn(&f); return f }
	min := func(n int64) int64 { return n * 60000 }
	for _, tc := range []struct {
		name string
		v    authz.Viewer
		f    ReportFilter
		want []TagRow
	}{
		{"the whole desk, most tickets first", d.adminV, d.jan11, []TagRow{
			{Tag: "vip", Tickets: 2, Answers: 3, Replied: 2, ReplyMs: min(90), Resolved: 1},
			{Tag: "refund", Tickets: 1, Answers: 2, Replied: 1, ReplyMs: min(60), Resolved: 1}}},
		{"a department now: B moved to Sales", d.adminV, with(func(f *ReportFilter) { f.DepartmentID = d.support }), nil},
		{"calls", d.adminV, with(func(f *ReportFilter) { f.Channel = ChannelCall }), []TagRow{
			{Tag: "vip", Tickets: 1, Answers: 1, Replied: 1, ReplyMs: min(30)}}},
		{"an Agent: the tickets assigned to them", d.annV, d.jan11, []TagRow{
			{Tag: "refund", Tickets: 1, Answers: 2, Replied: 1, ReplyMs: min(60), Resolved: 1},
			{Tag: "vip", Tickets: 1, Answers: 2, Replied: 1, ReplyMs: min(60), Resolved: 1}}},
		{"the day before in Warsaw", d.adminV, with(func(f *ReportFilter) { f.From, f.To = f.From.AddDate(0, 0, -1), f.From }), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ReportTags(ctx, tc.v, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("tags %+v, want %+v", got, tc.want)
			}
		})
	}
	if got, _ := s.ReportTags(ctx, d.adminV, d.jan11); len(got) > 0 && got[0].AvgReply() != 45*time.Minute {
		t.Errorf("vip's average first answer %v, want 45 min", got[0].AvgReply())
	}
	if _, err := s.ReportTags(ctx, d.annV, with(func(f *ReportFilter) { f.AgentID = d.bob.ID })); !errors.Is(err, ErrNotFound) {
		t.Errorf("an Agent asking for Bob's tags: %v, want not found", err)
	}
	// Marked Spam, A leaves the Tags.
	if err := s.SetStatus(ctx, d.adminV, codes[0], TicketSpam); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ReportTags(ctx, d.adminV, d.jan11); len(got) != 1 || got[0].Tag != "vip" || got[0].Tickets != 1 {
		t.Errorf("after A is spam: %+v", got)
	}
}
