package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

// Removing an SLA level asks first and says what happens to its tickets;
// the default level and a level rules choose are refused with the reason
// (store/sla_remove.go).

func init() {
	auditActionLabels[store.ActionSLALevelRemove] = "AuditSLALevelRemove"
}

func (s *Server) slaLevelRemovePage(c echo.Context, status int, l store.SLALevel) error {
	use, err := s.st.SLALevelUses(c.Request().Context(), l.ID)
	if err != nil {
		return err
	}
	return s.renderConfig(c, status, views.SLALevelRemovePage(views.SLALevelRemoveProps{Level: l, Use: use}), nil)
}

func (s *Server) slaLevelRemoveConfirm(c echo.Context) error {
	l, err := s.slaLevelFromPath(c)
	if err != nil {
		return err
	}
	return s.slaLevelRemovePage(c, http.StatusOK, l)
}

func (s *Server) slaLevelRemove(c echo.Context) error {
	l, err := s.slaLevelFromPath(c)
	if err != nil {
		return err
	}
	err = s.st.RemoveSLALevel(c.Request().Context(), currentAgent(c).ID, l.ID, c.RealIP())
	var inUse store.SLALevelInUse
	switch {
	case errors.As(err, &inUse):
		return s.slaLevelRemovePage(c, http.StatusConflict, l)
	case errors.Is(err, store.ErrNotFound):
		return echo.ErrNotFound
	case err != nil:
		return err
	}
	return s.removed(c, tf(c, "SLALevelRemoved", map[string]any{"Name": l.Name}), views.PathSLALevels)
}
