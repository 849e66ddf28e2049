package store

import (
	"context"
	"testing"
	"time"

	"helpline/automation"
)

// An ended desk is read-only for its time rules too: a ticket whose moment
// passes after the end is left as it was.
func TestTimeRules_AnEndedDeskIsLeftAlone(t *testing.T) {
	w := newTimeWorld(t)
	w.at(0)
	w.timeRule("Old ones", automation.OlderThan, time.Hour, nil, act(automation.AddTag, "old"))
	code := contactTicket(t, w.s, w.sales, "Parcel lost", "Hello")
	ends, err := w.s.StopAccount(context.Background(), w.owner.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	w.now = ends.Add(time.Hour)
	r, err := w.s.RunTimeRules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.Applied != 0 || len(w.byRule(code)) != 0 {
		t.Fatalf("an ended desk's time rules acted: %+v, history %q", r, w.byRule(code))
	}
	// The same run before the end acts.
	w.now = ends.Add(-time.Hour)
	if n := w.run(int(ends.Add(-time.Hour).Sub(w.t0) / time.Minute)); n != 1 {
		t.Fatalf("before the end the rule acted on %d tickets, want 1", n)
	}
}
