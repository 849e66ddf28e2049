package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"helpline/authz"
	"helpline/desk"
)

// ActionSettingsUpdate is a save of Configuration → General.
const ActionSettingsUpdate AuditAction = "settings.update"

// ErrInvalidTimeZone reports a time zone that is not one of desk.TimeZones.
var ErrInvalidTimeZone = errors.New("store: not a time zone the desk offers")

// ErrInvalidCompany reports an empty company name.
var ErrInvalidCompany = errors.New("store: the company name is empty")

// Settings are the desk's general settings: the company name given at
// sign-up and the time zone times are shown in.
type Settings struct {
	CompanyName string
	TimeZone    string
}

// Settings reads the general settings from the kept account.
func (s *Store) Settings(ctx context.Context) (Settings, error) {
	a, err := s.Account(ctx)
	if err != nil {
		return Settings{}, err
	}
	return Settings{CompanyName: a.CompanyName, TimeZone: a.TimeZone}, nil
}

// SaveSettings stores the general settings and records in the audit log
// what changed. A save is a commit like any other, so every kept page
// (which shows times in the zone) is dropped with it. The web form checks
// the fields first; the checks here keep bad values out whoever calls.
func (s *Store) SaveSettings(ctx context.Context, actorID int64, in Settings, ip string) error {
	switch {
	case strings.TrimSpace(in.CompanyName) == "":
		return ErrInvalidCompany
	case !desk.ValidTimeZone(in.TimeZone):
		return ErrInvalidTimeZone
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.SettingsManage); err != nil {
			return err
		}
		var old Settings
		err := tx.QueryRowContext(ctx, `SELECT company_name, time_zone FROM account WHERE id = 1`).Scan(&old.CompanyName, &old.TimeZone)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE account SET company_name = ?, time_zone = ? WHERE id = 1`, in.CompanyName, in.TimeZone); err != nil {
			return err
		}
		var changes []string
		if old.CompanyName != in.CompanyName {
			changes = append(changes, fmt.Sprintf("company: %s → %s", old.CompanyName, in.CompanyName))
		}
		if old.TimeZone != in.TimeZone {
			changes = append(changes, fmt.Sprintf("time zone: %s → %s", old.TimeZone, in.TimeZone))
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionSettingsUpdate, TargetType: "account", TargetID: 1,
			Details: strings.Join(changes, "; "), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: save settings: %w", err)
	}
	// Reports cut days in the desk's zone: their day rollups follow it
	// before the save returns. Not in the save's transaction: on a big desk
	// the count takes longer than an ordinary write may, and until it
	// commits the reports read the days in the zone they are cut in
	// (report_zone_name), which stays consistent.
	if err := s.keepReportZone(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("store: save settings: %w", err)
	}
	return nil
}
