package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"

	"helpline/authz"
)

// Audit actions of Configuration → Tags.
const (
	ActionTagCreate AuditAction = "tag.create"
	ActionTagUpdate AuditAction = "tag.update"
	ActionTagMerge  AuditAction = "tag.merge"
	ActionTagRemove AuditAction = "tag.remove"
)

// ErrInvalidTag reports an empty tag name or a colour that is not #rrggbb.
var ErrInvalidTag = errors.New("store: a tag needs a name and a #rrggbb colour")

// Tag is a tag with its colour and the number of tickets carrying it, kept
// by the triggers of ticket_tags.
type Tag struct {
	ID      int64
	Name    string
	Colour  string // #rrggbb, or "" for the default look
	Tickets int
}

// TagInput is the tag form: a name (stored as NormalizeTag makes it) and a
// colour.
type TagInput struct {
	Name   string
	Colour string
}

var colourPattern = regexp.MustCompile(`^#[0-9a-f]{6}$`)

// ValidColour reports whether c is a colour a tag may have: "" or #rrggbb.
func ValidColour(c string) bool { return c == "" || colourPattern.MatchString(c) }

func (in TagInput) normalized() (TagInput, error) {
	in.Name = NormalizeTag(in.Name)
	if in.Name == "" || !ValidColour(in.Colour) {
		return in, ErrInvalidTag
	}
	return in, nil
}

// Tags lists every tag by name.
func (s *Store) Tags(ctx context.Context) ([]Tag, error) {
	return remember(&s.mem, memoKey{What: memoTags}, func() ([]Tag, error) {
		rows, err := s.rd.QueryContext(ctx, `SELECT id, name, colour, ticket_count FROM tags ORDER BY name`)
		if err != nil {
			return nil, fmt.Errorf("store: tags: %w", err)
		}
		defer rows.Close()
		var out []Tag
		for rows.Next() {
			var t Tag
			if err := rows.Scan(&t.ID, &t.Name, &t.Colour, &t.Tickets); err != nil {
				return nil, fmt.Errorf("store: tags: %w", err)
			}
			out = append(out, t)
		}
		return out, rows.Err()
	})
}

// TagColours maps each tag with a colour to it, for the chips of the queue
// and the ticket page.
func (s *Store) TagColours(ctx context.Context) (map[string]string, error) {
	return remember(&s.mem, memoKey{What: memoTagColours}, func() (map[string]string, error) {
		tags, err := s.Tags(ctx)
		if err != nil {
			return nil, err
		}
		out := make(map[string]string, len(tags))
		for _, t := range tags {
			if t.Colour != "" {
				out[t.Name] = t.Colour
			}
		}
		return out, nil
	})
}

// TagByID returns one tag.
func (s *Store) TagByID(ctx context.Context, id int64) (Tag, error) {
	return tagByID(ctx, s.rd, id)
}

func tagByID(ctx context.Context, q querier, id int64) (Tag, error) {
	var t Tag
	err := q.QueryRowContext(ctx, `SELECT id, name, colour, ticket_count FROM tags WHERE id = ?`, id).Scan(&t.ID, &t.Name, &t.Colour, &t.Tickets)
	if errors.Is(err, sql.ErrNoRows) {
		return Tag{}, ErrNotFound
	}
	if err != nil {
		return Tag{}, fmt.Errorf("store: tag %d: %w", id, err)
	}
	return t, nil
}

// CreateTag adds a tag no ticket carries yet. A name taken in any letter
// case answers ErrConflict{"name"}.
func (s *Store) CreateTag(ctx context.Context, actorID int64, in TagInput, ip string) (int64, error) {
	in, err := in.normalized()
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.TagsManage); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO tags (name, colour) VALUES (?, ?) RETURNING id`, in.Name, in.Colour).Scan(&id); err != nil {
			return uniqueViolation(err, "name")
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionTagCreate, TargetType: "tag", TargetID: id, Details: in.Name, IP: ip})
	})
	if err != nil {
		return 0, fmt.Errorf("store: create tag: %w", err)
	}
	return id, nil
}

// UpdateTag renames a tag and sets its colour. Every ticket carrying the
// tag follows the new name in the same transaction; the count stays, as
// the moved rows are the same tickets.
func (s *Store) UpdateTag(ctx context.Context, actorID, id int64, in TagInput, ip string) error {
	in, err := in.normalized()
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.TagsManage); err != nil {
			return err
		}
		old, err := tagByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tags SET name = ?, colour = ? WHERE id = ?`, in.Name, in.Colour, id); err != nil {
			return uniqueViolation(err, "name")
		}
		details := in.Name
		if old.Name != in.Name {
			if _, err := tx.ExecContext(ctx, `UPDATE ticket_tags SET tag = ? WHERE tag = ?`, in.Name, old.Name); err != nil {
				return err
			}
			if err := renameTagInRules(ctx, tx, old.Name, in.Name); err != nil {
				return err
			}
			details = fmt.Sprintf("%s → %s (%d tickets)", old.Name, in.Name, old.Tickets)
		}
		if old.Colour != in.Colour {
			details += fmt.Sprintf("; colour: %s → %s", old.Colour, in.Colour)
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionTagUpdate, TargetType: "tag", TargetID: id, Details: details, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: update tag %d: %w", id, err)
	}
	return nil
}

// MergeTag moves every ticket of tag id to tag into and removes id: a
// ticket carrying both keeps one. The count of into is counted afresh from
// its index, once.
func (s *Store) MergeTag(ctx context.Context, actorID, id, into int64, ip string) error {
	if id == into {
		return ErrInvalidTag
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.TagsManage); err != nil {
			return err
		}
		from, err := tagByID(ctx, tx, id)
		if err != nil {
			return err
		}
		to, err := tagByID(ctx, tx, into)
		if err != nil {
			return err
		}
		// The tag goes first, so the trigger of the deletes below has no
		// row to count down.
		if _, err := tx.ExecContext(ctx, `DELETE FROM tags WHERE id = ?`, from.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ticket_tags WHERE tag = ?
			AND ticket_id IN (SELECT ticket_id FROM ticket_tags WHERE tag = ?)`, from.Name, to.Name); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ticket_tags SET tag = ? WHERE tag = ?`, to.Name, from.Name); err != nil {
			return err
		}
		if err := renameTagInRules(ctx, tx, from.Name, to.Name); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tags SET ticket_count = (SELECT count(*) FROM ticket_tags WHERE tag = ?) WHERE id = ?`, to.Name, to.ID); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionTagMerge, TargetType: "tag", TargetID: to.ID,
			Details: fmt.Sprintf("%s → %s (%d tickets)", from.Name, to.Name, from.Tickets), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: merge tag %d into %d: %w", id, into, err)
	}
	return nil
}

// RemoveTagEverywhere removes a tag from the desk and from every ticket carrying it.
func (s *Store) RemoveTagEverywhere(ctx context.Context, actorID, id int64, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.TagsManage); err != nil {
			return err
		}
		t, err := tagByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM tags WHERE id = ?`, t.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ticket_tags WHERE tag = ?`, t.Name); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionTagRemove, TargetType: "tag", TargetID: t.ID,
			Details: fmt.Sprintf("%s (%d tickets)", t.Name, t.Tickets), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: remove tag %d: %w", id, err)
	}
	return nil
}
