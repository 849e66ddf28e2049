package store

import (
	"context"
	"errors"
	"testing"

	"helpline/authz"
)

func TestSettings_NewDeskIsInUTCUnderItsSignUpName(t *testing.T) {
	s := newTestStore(t)
	signUpOwner(t, s)
	got, err := s.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.TimeZone != "UTC" || got.CompanyName == "" {
		t.Fatalf("settings of a new desk: %+v", got)
	}
}

func TestSaveSettings_StoresShowsAtOnceAndAuditsWhatChanged(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	before, _ := s.Settings(ctx)
	if err := s.SaveSettings(ctx, o.ID, Settings{CompanyName: "Acme Europe", TimeZone: "Europe/Warsaw"}, "192.0.2.7"); err != nil {
		t.Fatal(err)
	}
	acc, err := s.Account(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if acc.CompanyName != "Acme Europe" || acc.TimeZone != "Europe/Warsaw" {
		t.Fatalf("kept account after the save: %+v", acc)
	}
	e := lastAudit(t, s)
	want := "company: " + before.CompanyName + " → Acme Europe; time zone: UTC → Europe/Warsaw"
	if e.Action != ActionSettingsUpdate || e.ActorID != o.ID || e.Details != want || e.IP != "192.0.2.7" {
		t.Fatalf("audit %+v, want details %q", e, want)
	}
	if err := s.SaveSettings(ctx, o.ID, Settings{CompanyName: "Acme Europe", TimeZone: "America/New_York"}, ""); err != nil {
		t.Fatal(err)
	}
	if e := lastAudit(t, s); e.Details != "time zone: Europe/Warsaw → America/New_York" {
		t.Fatalf("audit of a zone change alone: %q", e.Details)
	}
}

func TestSaveSettings_RefusesBadValuesAndStoresNothing(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	before, _ := s.Settings(ctx)
	for _, tc := range []struct {
		in   Settings
		want error
	}{
		{Settings{CompanyName: "Acme", TimeZone: "Mars/Olympus"}, ErrInvalidTimeZone},
		{Settings{CompanyName: "Acme", TimeZone: ""}, ErrInvalidTimeZone},
		{Settings{CompanyName: "Acme", TimeZone: "Local"}, ErrInvalidTimeZone},
		{Settings{CompanyName: "  ", TimeZone: "UTC"}, ErrInvalidCompany},
	} {
		if err := s.SaveSettings(ctx, o.ID, tc.in, ""); !errors.Is(err, tc.want) {
			t.Errorf("save %+v: %v, want %v", tc.in, err, tc.want)
		}
	}
	if after, _ := s.Settings(ctx); after != before {
		t.Fatalf("settings changed by refused saves: %+v -> %+v", before, after)
	}
	if e := lastAudit(t, s); e.Action == ActionSettingsUpdate {
		t.Fatalf("a refused save was audited: %+v", e)
	}
}

// The store refuses the settings to anyone without settings:manage, whatever
// screen let the request through.
func TestSaveSettings_OnlyThoseWhoManageSettingsChangeThem(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	agent := addAgent(t, s, o.ID, "alice", authz.RoleAgent)
	before, _ := s.Settings(ctx)
	err := s.SaveSettings(ctx, agent.ID, Settings{CompanyName: "Hijacked", TimeZone: "Asia/Tokyo"}, "")
	if !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an Agent saving the settings: %v, want not permitted", err)
	}
	if after, _ := s.Settings(ctx); after != before {
		t.Fatalf("settings after a refused save: %+v, want %+v", after, before)
	}
	admin := addAgent(t, s, o.ID, "adam", authz.RoleAdmin)
	if err := s.SaveSettings(ctx, admin.ID, Settings{CompanyName: "Acme", TimeZone: "Asia/Tokyo"}, ""); err != nil {
		t.Fatalf("an Administrator saving the settings: %v", err)
	}
}
