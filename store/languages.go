package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"helpline/authz"
	"helpline/desk"
)

// ActionLanguagesUpdate is a save of Configuration → System → Languages.
const ActionLanguagesUpdate AuditAction = "languages.update"

// ErrInvalidLanguages reports a choice offering no language, an unknown
// one, or a default the desk does not offer.
var ErrInvalidLanguages = errors.New("store: the desk must offer at least one known language, its default among them")

// Languages returns the languages the desk offers and its default; before
// sign-up, all of them with English. Every page asks, so it is kept until
// the next commit.
func (s *Store) Languages(ctx context.Context) (desk.Languages, error) {
	return remember(&s.mem, memoKey{What: memoLanguages}, func() (desk.Languages, error) {
		var offered string
		var l desk.Languages
		err := s.rd.QueryRowContext(ctx, `SELECT offered_languages, default_language FROM account WHERE id = 1`).Scan(&offered, &l.Default)
		if errors.Is(err, sql.ErrNoRows) {
			return desk.AllLanguages(), nil
		}
		if err != nil {
			return desk.Languages{}, fmt.Errorf("store: languages: %w", err)
		}
		l.Offered = parseLanguages(offered)
		if !l.Valid() {
			return desk.AllLanguages(), nil
		}
		return l, nil
	})
}

// parseLanguages reads the stored list, keeping the order of
// desk.LanguageCodes.
func parseLanguages(stored string) []string {
	var out []string
	parts := strings.Split(stored, ",")
	for _, c := range desk.LanguageCodes {
		if slices.Contains(parts, c) {
			out = append(out, c)
		}
	}
	return out
}

// SaveLanguages stores which languages the desk offers and its default.
// Agents whose language is withdrawn keep their choice, and see the
// default while it is not offered (desk.Languages.For).
func (s *Store) SaveLanguages(ctx context.Context, actorID int64, in desk.Languages, ip string) error {
	in.Offered = parseLanguages(strings.Join(in.Offered, ","))
	if !in.Valid() {
		return ErrInvalidLanguages
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.LanguagesManage); err != nil {
			return err
		}
		var oldOffered, oldDefault string
		err := tx.QueryRowContext(ctx, `SELECT offered_languages, default_language FROM account WHERE id = 1`).Scan(&oldOffered, &oldDefault)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		offered := strings.Join(in.Offered, ",")
		if _, err := tx.ExecContext(ctx, `UPDATE account SET offered_languages = ?, default_language = ? WHERE id = 1`, offered, in.Default); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionLanguagesUpdate, TargetType: "account", TargetID: 1,
			Details: fmt.Sprintf("offered: %s → %s; default: %s → %s", oldOffered, offered, oldDefault, in.Default), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: save languages: %w", err)
	}
	return nil
}
