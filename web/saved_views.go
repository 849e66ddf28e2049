package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// Saved views: the queue's filters kept under a name, listed beside the
// queue with their counts, and their own page to rename, reorder and
// remove them.

// viewFilter reads a saved view's query as the queue reads its URL, the
// field filters checked against the fields.
func (s *Server) viewFilter(ctx context.Context, query string) (views.QueueFilterValues, store.QueueFilter, error) {
	q, err := url.ParseQuery(query)
	if err != nil {
		q = url.Values{}
	}
	fv, f := queueFilterFrom(q)
	if _, err := s.queueFieldFilters(ctx, &fv, &f); err != nil {
		return fv, f, err
	}
	return fv, f, nil
}

// savedViewItems lists the views v sees, each with its count, marking the
// one whose filters are current ("" none). With lazy, a count the kept
// counts do not know is left for the page to ask for (savedViewCount).
func (s *Server) savedViewItems(ctx context.Context, v authz.Viewer, current string, lazy bool) ([]views.SavedViewItem, error) {
	saved, err := s.st.SavedViews(ctx, v)
	if err != nil {
		return nil, err
	}
	items := make([]views.SavedViewItem, len(saved))
	for i, w := range saved {
		_, f, err := s.viewFilter(ctx, w.Query)
		if err != nil {
			return nil, err
		}
		items[i] = views.SavedViewItem{View: w, Current: current != "" && w.Query == current, CanChange: store.MayChangeView(v, w)}
		known := false
		if lazy {
			if items[i].Count, known, err = s.st.KeptViewCount(ctx, v, f); err != nil {
				return nil, err
			}
			items[i].Lazy = !known
		} else if items[i].Count, err = s.st.CountView(ctx, v, f); err != nil {
			return nil, err
		}
	}
	return items, nil
}

// savedViewsProps are the saved views beside the queue showing fv, and the
// Save view form for fv.
func (s *Server) savedViewsProps(ctx context.Context, v authz.Viewer, fv views.QueueFilterValues) (views.SavedViewsProps, error) {
	query := fv.Query().Encode()
	items, err := s.savedViewItems(ctx, v, query, true)
	if err != nil {
		return views.SavedViewsProps{}, err
	}
	return views.SavedViewsProps{Views: items, CanShare: v.Can(authz.TicketFiltersManage), Values: views.SavedViewValues{Query: query},
		Errors: views.FieldErrors{}}, nil
}

func viewNameTaken(f *form, err error) bool {
	var ce store.ErrConflict
	if errors.As(err, &ce) && ce.Field == "name" {
		f.fail("view_name", "ErrViewNameTaken", nil)
		return true
	}
	return false
}

// savedViewCreate keeps the filters the queue showed under a name. The
// query is read as the queue reads it and written back, so a view keeps
// only filters the queue knows, never paging.
func (s *Server) savedViewCreate(c echo.Context) error {
	ctx := c.Request().Context()
	v := viewer(c)
	f := newForm(c)
	name := f.text("view_name", true, maxName)
	scope := f.choice("scope", false, "personal", "shared")
	fv, _, err := s.viewFilter(ctx, c.FormValue("query"))
	if err != nil {
		return err
	}
	p := views.SavedViewsProps{CanShare: v.Can(authz.TicketFiltersManage), Values: views.SavedViewValues{Name: name, Shared: scope == "shared",
		Query: fv.Query().Encode()}, Errors: f.errs}
	invalid := func() error { return s.render(c, http.StatusUnprocessableEntity, views.SaveViewPage(p), nil) }
	if !f.ok() {
		return invalid()
	}
	_, err = s.st.CreateSavedView(ctx, v, store.SavedViewInput{Name: name, Query: p.Values.Query, Shared: p.Values.Shared})
	if viewNameTaken(f, err) {
		return invalid()
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "ViewSaved", map[string]any{"Name": name}))
	return s.redirect(c, fv.QueueURL())
}

func (s *Server) savedViewsPage(c echo.Context, status int, errs map[int64]views.FieldErrors, names map[int64]string) error {
	items, err := s.savedViewItems(c.Request().Context(), viewer(c), "", false)
	if err != nil {
		return err
	}
	return s.render(c, status, views.SavedViewsPage(items, errs, names), nil)
}

func (s *Server) savedViewsShow(c echo.Context) error {
	return s.savedViewsPage(c, http.StatusOK, nil, nil)
}

func (s *Server) savedViewFromPath(c echo.Context) (store.SavedView, error) {
	id, err := pathID(c)
	if err != nil {
		return store.SavedView{}, err
	}
	return s.st.SavedView(c.Request().Context(), viewer(c), id)
}

// savedViewRename renames a view; a name that cannot be kept shows the
// page again with the message next to the view's name.
func (s *Server) savedViewRename(c echo.Context) error {
	w, err := s.savedViewFromPath(c)
	if err != nil {
		return err
	}
	f := newForm(c)
	name := f.text("view_name", true, maxName)
	if f.ok() {
		err = s.st.RenameSavedView(c.Request().Context(), viewer(c), w.ID, name)
		if !viewNameTaken(f, err) && err != nil {
			return err
		}
	}
	if !f.ok() {
		return s.savedViewsPage(c, http.StatusUnprocessableEntity, map[int64]views.FieldErrors{w.ID: f.errs}, map[int64]string{w.ID: name})
	}
	flash(c, views.FlashSuccess, tf(c, "ViewRenamed", map[string]any{"Name": name}))
	return s.redirect(c, views.PathSavedViews)
}

func (s *Server) savedViewMove(c echo.Context) error {
	w, err := s.savedViewFromPath(c)
	if err != nil {
		return err
	}
	dir := c.FormValue("dir")
	if dir != "up" && dir != "down" {
		return echo.ErrBadRequest
	}
	if err := s.st.MoveSavedView(c.Request().Context(), viewer(c), w.ID, dir == "up"); err != nil {
		return err
	}
	return s.redirect(c, views.PathSavedViews)
}

func (s *Server) savedViewRemoveConfirm(c echo.Context) error {
	w, err := s.savedViewFromPath(c)
	if err != nil {
		return err
	}
	if !store.MayChangeView(viewer(c), w) {
		return echo.ErrForbidden
	}
	return s.render(c, http.StatusOK, views.ConfirmPage(views.ConfirmProps{
		Title:  tf(c, "RemoveViewTitle", map[string]any{"Name": w.Name}),
		Body:   t(c, "RemoveViewBody"),
		Action: views.WithID(views.PathSavedViewRemove, w.ID),
		Back:   views.PathSavedViews,
	}), nil)
}

func (s *Server) savedViewRemove(c echo.Context) error {
	w, err := s.savedViewFromPath(c)
	if err != nil {
		return err
	}
	if err := s.st.RemoveSavedView(c.Request().Context(), viewer(c), w.ID); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "ViewRemoved", map[string]any{"Name": w.Name}))
	return s.redirect(c, views.PathSavedViews)
}

// savedViewCount answers the count of one saved view that the kept counts
// do not know, for the list beside the queue: read at most a bounded
// number of tickets (store.CountView), and kept for the viewer until the
// next change like the queue's pages.
func (s *Server) savedViewCount(c echo.Context) error {
	w, err := s.savedViewFromPath(c)
	if err != nil {
		return err
	}
	v := viewer(c)
	ctx := c.Request().Context()
	key := viewCountKey(ctx, v, w.ID, w.Query)
	body, err := s.fragments.get(ctx, key, func(ctx context.Context) (piece, error) {
		topics, err := s.st.ScopeTopics(ctx, v)
		if err != nil {
			return piece{}, err
		}
		_, f, err := s.viewFilter(ctx, w.Query)
		if err != nil {
			return piece{}, err
		}
		n, err := s.st.CountView(ctx, v, f)
		if err != nil {
			return piece{}, err
		}
		return piece{Body: views.ViewCountBadge(n), Topics: topics}, nil
	})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, body.Body, body.Body)
}
