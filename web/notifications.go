package web

import (
	"context"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// Notifications: the top bar's count, the list, Mark all as read, and the
// queue's unread tickets in bold.

// notificationsShown is how many of the newest the list shows.
const notificationsShown = 50

// unreadCounter counts the agent's unread notifications once, when the top
// bar asks (fragments and redirects never do).
func (s *Server) unreadCounter(ctx context.Context, a store.Agent) func() int {
	if a.ID == 0 || !a.Perms.Has(authz.TicketsRead) {
		return func() int { return 0 }
	}
	return sync.OnceValue(func() int {
		u, err := s.st.Unread(ctx, a.Viewer())
		if err != nil {
			s.log.Warn("unread notifications", "err", err)
			return 0
		}
		return u.Count
	})
}

// markUnread sets Unread on the tickets the viewer has unread
// notifications about.
func (s *Server) markUnread(ctx context.Context, v authz.Viewer, tickets []store.Ticket) error {
	unread, err := s.st.UnreadTickets(ctx, v)
	if err != nil || len(unread) == 0 {
		return err
	}
	for i := range tickets {
		tickets[i].Unread = unread[tickets[i].ID]
	}
	return nil
}

func (s *Server) notificationsShow(c echo.Context) error {
	list, err := s.st.Notifications(c.Request().Context(), viewer(c), notificationsShown)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.NotificationsPage(views.NotificationsProps{List: list}), nil)
}

func (s *Server) notificationsReadAll(c echo.Context) error {
	if err := s.st.ReadAllNotifications(c.Request().Context(), viewer(c)); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "NotificationsAllRead"))
	return s.redirect(c, views.PathNotifications)
}
