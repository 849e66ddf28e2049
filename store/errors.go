package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrNotFound answers a look-up of something that does not exist or that the
// caller may not see: both look the same from outside.
var ErrNotFound = errors.New("not found")

// ErrSignUpClosed answers a second sign-up: the account exists already.
var ErrSignUpClosed = errors.New("sign-up is closed")

// ErrUnknownRole answers a role that is neither built in nor an existing
// custom role.
var ErrUnknownRole = errors.New("unknown role")

// ErrConflict reports a value that must be unique and is taken.
type ErrConflict struct{ Field string }

func (e ErrConflict) Error() string { return "conflict on " + e.Field }

// RuleError is a refusal by one of the rules that must always hold.
type RuleError struct{ Rule Rule }

func (e RuleError) Error() string { return "refused: " + string(e.Rule) }

// Rule names one rule of the product; the web layer turns it into a message.
type Rule string

const (
	RuleLastOwner       Rule = "last_owner"        // at least one active Owner must remain
	RuleAccountCreator  Rule = "account_creator"   // the account creator cannot be demoted, disabled or removed
	RuleOwnerOnly       Rule = "owner_only"        // only an Owner grants Owner or manages an Owner
	RuleSelfChange      Rule = "self_change"       // nobody changes their own role or removes/disables themselves
	RuleNotPermitted    Rule = "not_permitted"     // the actor's role does not allow this
	RuleWrongPassword   Rule = "wrong_password"    // the current password did not match
	RuleDepartmentInUse Rule = "department_in_use" // a department with tickets cannot be removed
	RuleRoleInUse       Rule = "role_in_use"       // a custom role an agent holds cannot be removed
)

// IsRule reports whether err is a refusal by rule r.
func IsRule(err error, r Rule) bool {
	var re RuleError
	return errors.As(err, &re) && re.Rule == r
}

// uniqueViolation maps a UNIQUE constraint failure to ErrConflict on field.
func uniqueViolation(err error, field string) error {
	var se *sqlite.Error
	if errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		return ErrConflict{Field: field}
	}
	if pgCode(err) == "23505" { // unique_violation
		return ErrConflict{Field: field}
	}
	return err
}

// pgCode is PostgreSQL's SQLSTATE of err, or "" when err is not from it.
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}
