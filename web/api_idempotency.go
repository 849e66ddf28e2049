package web

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"helpline/store"
)

const idempotencyHeader = "Idempotency-Key"

// apiIdempotent handles a write's Idempotency-Key: the first request with a
// key claims it and runs; the same request again within 24 hours gets the
// first answer (replayed), without a second change. The same key with
// another body is 422: the client reused a key by mistake, which no retry
// can fix. While the first request still runs it is 409, which a retry
// does fix.
func (s *Server) apiIdempotent(c echo.Context, ac *apiCall, op apiOp) (replayed bool, err error) {
	key := c.Request().Header.Get(idempotencyHeader)
	if key == "" {
		return false, nil
	}
	if len(key) > 255 {
		return false, apiBadRequest("the Idempotency-Key is longer than 255 characters")
	}
	h := sha256.New()
	h.Write([]byte(op.method + " " + c.Request().URL.Path + "\n"))
	h.Write(ac.body)
	ans, claimed, err := s.st.ClaimIdempotencyKey(c.Request().Context(), ac.token.ID, key, h.Sum(nil))
	switch {
	case errors.Is(err, store.ErrIdempotencyMismatch):
		return false, newProblem(http.StatusUnprocessableEntity, "this Idempotency-Key was used with a different request; use a new key for a new request")
	case errors.Is(err, store.ErrIdempotencyInFlight):
		return false, newProblem(http.StatusConflict, "a request with this Idempotency-Key is still running; try again in a moment")
	case err != nil:
		return false, err
	case claimed:
		ac.idemKey = key
		return false, nil
	}
	c.Response().Header().Set("Idempotent-Replayed", "true")
	return true, c.Blob(ans.Status, ans.ContentType, ans.Body)
}

// apiRemember keeps the answer to a claimed key; a server error lets go of
// the key instead, so a retry runs again.
func (s *Server) apiRemember(c echo.Context, ac *apiCall, op apiOp, status int, contentType string, body any) {
	if ac.idemKey == "" {
		return
	}
	ctx := c.Request().Context()
	if status >= 500 {
		if err := s.st.ReleaseIdempotencyKey(ctx, ac.token.ID, ac.idemKey); err != nil {
			s.log.Error("release idempotency key", "err", err)
		}
		return
	}
	b, err := json.Marshal(body)
	if err == nil {
		err = s.st.SaveIdempotentAnswer(ctx, ac.token.ID, ac.idemKey, store.IdempotentAnswer{Status: status, Body: b, ContentType: contentType})
	}
	if err != nil {
		s.log.Error("keep idempotent answer", "err", err)
	}
}
