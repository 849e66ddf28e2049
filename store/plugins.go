package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"helpline/authz"
	"helpline/security"
)

// PluginSearchReplace masks card numbers, IBANs and patterns of the desk's
// own in what customers and agents write, before it is stored.
const PluginSearchReplace = "search_replace"

// pluginsMigration is the migration that made the plugins tables.
const pluginsMigration = 18

// Plugins the desk knows, in the order of the list.
var knownPlugins = []string{PluginSearchReplace}

// Audit actions of Configuration → Plugins.
const (
	ActionPluginActive      AuditAction = "plugin.active"
	ActionSearchReplaceAdd  AuditAction = "plugin.search_replace_add"
	ActionSearchReplaceDrop AuditAction = "plugin.search_replace_remove"
)

// Plugin is one line of the plugins list.
type Plugin struct {
	Name   string
	Active bool
}

// Plugins lists every known plugin; one never switched on is inactive.
func (s *Store) Plugins(ctx context.Context) ([]Plugin, error) {
	var out []Plugin
	for _, name := range knownPlugins {
		var active int
		err := s.rd.QueryRowContext(ctx, `SELECT active FROM plugins WHERE name = ?`, name).Scan(&active)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store: plugin %s: %w", name, err)
		}
		out = append(out, Plugin{Name: name, Active: active != 0})
	}
	return out, nil
}

// bumpPlugin moves a plugin's version on (inserting its row when new), so
// every instance compiles its rules afresh at its next write.
func bumpPlugin(ctx context.Context, tx *sql.Tx, name string, active *bool, nowMs int64) error {
	var version int64
	var on int
	err := tx.QueryRowContext(ctx, `SELECT active, updated_at FROM plugins WHERE name = ?`, name).Scan(&on, &version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if active != nil {
		on = boolInt(*active)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO plugins (name, active, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET active = excluded.active, updated_at = excluded.updated_at`, name, on, max(nowMs, version+1))
	return err
}

// SetPluginActive switches a plugin on or off.
func (s *Store) SetPluginActive(ctx context.Context, actorID int64, name string, active bool, ip string) error {
	known := false
	for _, k := range knownPlugins {
		known = known || k == name
	}
	if !known {
		return ErrNotFound
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.PluginsManage); err != nil {
			return err
		}
		now := s.nowMs()
		if err := bumpPlugin(ctx, tx, name, &active, now); err != nil {
			return err
		}
		details := name + ": off"
		if active {
			details = name + ": on"
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionPluginActive, TargetType: "plugin", Details: details, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: switch plugin %s: %w", name, err)
	}
	return nil
}

// SearchReplaceRules lists the rules in the order they apply.
func (s *Store) SearchReplaceRules(ctx context.Context) ([]security.MaskRule, error) {
	out, err := searchReplaceRules(ctx, s.rd)
	if err != nil {
		return nil, fmt.Errorf("store: search and replace rules: %w", err)
	}
	return out, nil
}

func searchReplaceRules(ctx context.Context, q querier) ([]security.MaskRule, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, kind, pattern, replacement FROM search_replace_rules ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []security.MaskRule
	for rows.Next() {
		var r security.MaskRule
		if err := rows.Scan(&r.ID, &r.Kind, &r.Pattern, &r.Replacement); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddSearchReplaceRule adds a rule at the end; security.ErrMaskPattern for
// a pattern that does not compile.
func (s *Store) AddSearchReplaceRule(ctx context.Context, actorID int64, r security.MaskRule, ip string) error {
	if r.Kind != security.MaskRegex {
		r.Pattern = ""
	}
	if _, err := security.NewMasker([]security.MaskRule{r}); err != nil {
		return err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.PluginsManage); err != nil {
			return err
		}
		now := s.nowMs()
		if _, err := tx.ExecContext(ctx, `INSERT INTO search_replace_rules (kind, pattern, replacement, created_at) VALUES (?, ?, ?, ?)`,
			r.Kind, r.Pattern, r.Replacement, now); err != nil {
			return err
		}
		if err := bumpPlugin(ctx, tx, PluginSearchReplace, nil, now); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionSearchReplaceAdd, TargetType: "plugin",
			Details: fmt.Sprintf("%s %s → %s", r.Kind, r.Pattern, r.Replacement), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: add a search and replace rule: %w", err)
	}
	return nil
}

// RemoveSearchReplaceRule removes rule id.
func (s *Store) RemoveSearchReplaceRule(ctx context.Context, actorID, id int64, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.PluginsManage); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM search_replace_rules WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		now := s.nowMs()
		if err := bumpPlugin(ctx, tx, PluginSearchReplace, nil, now); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionSearchReplaceDrop, TargetType: "plugin", TargetID: id, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: remove search and replace rule %d: %w", id, err)
	}
	return nil
}

// maskers keeps compiled rule lists by their text, so a write compiles
// nothing when the rules are as before. Rules are read in the write's own
// transaction, so a save on any instance applies to the next write anywhere.
var maskers = struct {
	sync.Mutex
	m map[string]*security.Masker
}{m: map[string]*security.Masker{}}

// maskerIn returns what Search & Replace makes of text written in q (a
// write's transaction, or the reader just before one); nil when it is off.
func (s *Store) maskerIn(ctx context.Context, q querier) (*security.Masker, error) {
	if s.beforePlugins.Load() {
		return nil, nil
	}
	var active int
	err := q.QueryRowContext(ctx, `SELECT active FROM plugins WHERE name = ?`, PluginSearchReplace).Scan(&active)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && active == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("search and replace: %w", err)
	}
	rules, err := searchReplaceRules(ctx, q)
	if err != nil || len(rules) == 0 {
		return nil, err
	}
	var key strings.Builder
	for _, r := range rules {
		key.WriteString(r.Kind + "\x00" + r.Pattern + "\x00" + r.Replacement + "\x00")
	}
	maskers.Lock()
	defer maskers.Unlock()
	if m, ok := maskers.m[key.String()]; ok {
		return m, nil
	}
	m, err := security.NewMasker(rules)
	if err != nil {
		return nil, fmt.Errorf("search and replace: %w", err)
	}
	if len(maskers.m) >= 16 { // old rule lists: start afresh
		clear(maskers.m)
	}
	maskers.m[key.String()] = m
	return m, nil
}

// maskTicket is a new ticket's input with Search & Replace applied to its
// subject and first message, which the intake batch writes with its own
// statements rather than through addMessage.
func maskTicket(m *security.Masker, in NewTicketInput) NewTicketInput {
	if m != nil {
		in.Subject, in.Body = m.Mask(in.Subject), m.Mask(in.Body)
	}
	return in
}

// maskText applies Search & Replace, if on, to text written in q. Every
// Store method that writes what a person typed into a thread calls it:
// customer messages (contact form and new tickets through the intake batch,
// the customer's page, email), agents' replies and notes, and the subjects
// of new tickets.
func (s *Store) maskText(ctx context.Context, q querier, texts ...*string) error {
	m, err := s.maskerIn(ctx, q)
	if err != nil || m == nil {
		return err
	}
	for _, t := range texts {
		*t = m.Mask(*t)
	}
	return nil
}

// MaskText is what Search & Replace makes of text now (the Test box).
func (s *Store) MaskText(ctx context.Context, text string) (string, error) {
	rules, err := s.SearchReplaceRules(ctx)
	if err != nil {
		return "", err
	}
	m, err := security.NewMasker(rules)
	if err != nil {
		return "", err
	}
	return m.Mask(text), nil
}
