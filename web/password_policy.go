package web

import (
	"helpline/security"
	"helpline/store"
)

// checkNewPassword applies the desk's password policy to a new password in
// field, wherever one is set: sign-up, a set-password link (new agents,
// resets, Forgot password?, an expired password) and Profile. The form's
// own check of the field comes first; a field it refused stays refused.
func (s *Server) checkNewPassword(f *form, field, pw string) error {
	if f.errs[field] != "" {
		return nil
	}
	st, err := s.st.SecuritySettings(f.c.Request().Context())
	if err != nil {
		return err
	}
	s.applyPolicy(f, field, pw, st.Policy)
	return nil
}

func (s *Server) applyPolicy(f *form, field, pw string, p security.PasswordPolicy) {
	switch problem := p.Check(pw); problem {
	case security.PasswordOK:
	case security.PasswordTooShort:
		f.fail(field, string(problem), map[string]any{"Min": max(p.MinLength, security.MinPasswordFloor)})
	case security.PasswordTooLong:
		f.fail(field, string(problem), map[string]any{"Max": min(p.MaxLength, security.MaxPasswordCeiling)})
	default:
		f.fail(field, string(problem), nil)
	}
}

// checkNotSamePassword refuses, for a password replacing one the agent had,
// the very same password: after an expiry it would be no change at all.
func checkNotSamePassword(f *form, field, pw, oldHash string) {
	if f.errs[field] == "" && oldHash != "" && store.CheckPassword(oldHash, pw) {
		f.fail(field, "ErrPasswordSame", nil)
	}
}
