package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"helpline/static"
)

// health answers 200 "ok" once the database answers.
func (s *Server) health(c echo.Context) error {
	if err := s.st.Ping(c.Request().Context()); err != nil {
		return c.String(http.StatusServiceUnavailable, "database unavailable")
	}
	return c.String(http.StatusOK, "ok")
}

// staticFile serves an embedded file. Under its current hash it may be
// cached for a year; an old hash still gets the file, without caching.
func (s *Server) staticFile(c echo.Context) error {
	f, current := static.Lookup(strings.TrimPrefix(c.Request().URL.Path, static.Prefix))
	if f == nil {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	if current {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	return c.Blob(http.StatusOK, f.ContentType, f.Body)
}
