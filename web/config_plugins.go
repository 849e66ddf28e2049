package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"helpline/security"
	"helpline/store"
	"helpline/views"
)

// Configuration → Plugins: the list, and Search & Replace with its rules
// and Test box.

func (s *Server) pluginsList(c echo.Context) error {
	list, err := s.st.Plugins(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.PluginsPage(views.PluginsProps{Plugins: list}), nil)
}

// searchReplacePage renders the page around p (its form and Test box as
// given) with the plugin's state and rules.
func (s *Server) searchReplacePage(c echo.Context, status int, p views.SearchReplaceProps) error {
	ctx := c.Request().Context()
	list, err := s.st.Plugins(ctx)
	if err != nil {
		return err
	}
	for _, pl := range list {
		if pl.Name == store.PluginSearchReplace {
			p.Active = pl.Active
		}
	}
	if p.Rules, err = s.st.SearchReplaceRules(ctx); err != nil {
		return err
	}
	if p.Errors == nil {
		p.Errors = views.FieldErrors{}
	}
	if p.Values.Kind == "" {
		p.Values.Kind = security.MaskCard
	}
	return s.renderConfig(c, status, views.SearchReplacePage(p), nil)
}

func (s *Server) searchReplaceShow(c echo.Context) error {
	return s.searchReplacePage(c, http.StatusOK, views.SearchReplaceProps{})
}

func (s *Server) searchReplaceActive(c echo.Context) error {
	f := newForm(c)
	err := s.st.SetPluginActive(c.Request().Context(), currentAgent(c).ID, store.PluginSearchReplace, f.checked("active"), c.RealIP())
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "SearchReplaceSwitched"))
	return s.redirect(c, views.PathSearchReplace)
}

func (s *Server) searchReplaceAdd(c echo.Context) error {
	f := newForm(c)
	v := views.SearchReplaceValues{
		Kind:        f.choice("kind", true, security.MaskCard, security.MaskIBAN, security.MaskRegex),
		Replacement: f.text("replacement", true, security.MaxMaskReplacement),
	}
	// A pattern is taken as typed: spaces in it mean something.
	v.Pattern = c.FormValue("pattern")
	if v.Kind == security.MaskRegex {
		if _, err := security.CompileMaskPattern(v.Pattern); err != nil {
			f.fail("pattern", "ErrMaskPattern", nil)
		}
	} else {
		v.Pattern = ""
	}
	if !f.ok() {
		return s.searchReplacePage(c, http.StatusUnprocessableEntity, views.SearchReplaceProps{Values: v, Errors: f.errs})
	}
	err := s.st.AddSearchReplaceRule(c.Request().Context(), currentAgent(c).ID,
		security.MaskRule{Kind: v.Kind, Pattern: v.Pattern, Replacement: v.Replacement}, c.RealIP())
	if errors.Is(err, security.ErrMaskPattern) {
		f.fail("pattern", "ErrMaskPattern", nil)
		return s.searchReplacePage(c, http.StatusUnprocessableEntity, views.SearchReplaceProps{Values: v, Errors: f.errs})
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "SearchReplaceRuleAdded"))
	return s.redirect(c, views.PathSearchReplace)
}

func (s *Server) searchReplaceRemove(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	err = s.st.RemoveSearchReplaceRule(c.Request().Context(), currentAgent(c).ID, id, c.RealIP())
	if errors.Is(err, store.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "SearchReplaceRuleRemoved"))
	return s.redirect(c, views.PathSearchReplace)
}

// searchReplaceTest shows what the rules make of a sample; nothing is stored.
func (s *Server) searchReplaceTest(c echo.Context) error {
	sample := c.FormValue("sample")
	if len(sample) > 5000 {
		sample = sample[:5000]
	}
	result, err := s.st.MaskText(c.Request().Context(), sample)
	if err != nil {
		return err
	}
	return s.searchReplacePage(c, http.StatusOK, views.SearchReplaceProps{Sample: sample, Result: result, Tested: true})
}
