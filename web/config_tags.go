package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

// Configuration → Tags: tags with the number of tickets carrying each (kept
// by the store, never counted per view), their colour, rename, merge and
// remove. Agents still make new tags by tagging a ticket.

// maxTagName bounds a tag's name as the ticket page's tag field does.
const maxTagName = 40

func init() {
	auditActionLabels[store.ActionTagCreate] = "AuditTagCreate"
	auditActionLabels[store.ActionTagUpdate] = "AuditTagUpdate"
	auditActionLabels[store.ActionTagMerge] = "AuditTagMerge"
	auditActionLabels[store.ActionTagRemove] = "AuditTagRemove"
}

func (s *Server) tagsList(c echo.Context) error {
	tags, err := s.st.Tags(c.Request().Context())
	if err != nil {
		return err
	}
	rules, err := s.st.RulesByTag(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.TagsPage(views.TagListProps{Rows: tags, Rules: rules}), nil)
}

func readTagForm(c echo.Context) (views.TagValues, *form) {
	f := newForm(c)
	v := views.TagValues{
		Name:   store.NormalizeTag(f.text("name", true, maxTagName)),
		Colour: strings.ToLower(strings.TrimSpace(c.FormValue("colour"))),
	}
	if v.Colour == "" || !store.ValidColour(v.Colour) {
		f.fail("colour", "ErrColour", nil)
	}
	return v, f
}

func tagNameTaken(f *form, err error) bool {
	var ce store.ErrConflict
	if errors.As(err, &ce) && ce.Field == "name" {
		f.fail("name", "ErrTagTaken", nil)
		return true
	}
	return false
}

func (s *Server) tagFormPage(c echo.Context, status int, p views.TagFormProps) error {
	if p.Errors == nil {
		p.Errors = views.FieldErrors{}
	}
	return s.renderConfig(c, status, views.TagFormPage(p), nil)
}

func (s *Server) tagNew(c echo.Context) error {
	return s.tagFormPage(c, http.StatusOK, views.TagFormProps{Values: views.TagValues{Colour: views.DefaultTagColour}})
}

func (s *Server) tagCreate(c echo.Context) error {
	v, f := readTagForm(c)
	invalid := func() error {
		return s.tagFormPage(c, http.StatusUnprocessableEntity, views.TagFormProps{Values: v, Errors: f.errs})
	}
	if !f.ok() {
		return invalid()
	}
	_, err := s.st.CreateTag(c.Request().Context(), currentAgent(c).ID, store.TagInput{Name: v.Name, Colour: v.Colour}, c.RealIP())
	if tagNameTaken(f, err) {
		return invalid()
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "TagCreated", map[string]any{"Name": v.Name}))
	return s.redirect(c, views.PathTags)
}

func (s *Server) tagFromPath(c echo.Context) (store.Tag, error) {
	id, err := pathID(c)
	if err != nil {
		return store.Tag{}, err
	}
	return s.st.TagByID(c.Request().Context(), id)
}

func (s *Server) tagEdit(c echo.Context) error {
	tg, err := s.tagFromPath(c)
	if err != nil {
		return err
	}
	return s.tagFormPage(c, http.StatusOK, views.TagFormProps{ID: tg.ID, Tickets: tg.Tickets, Values: views.TagValues{Name: tg.Name, Colour: tg.Colour}})
}

// tagUpdate renames the tag (every ticket carrying it follows) and sets
// its colour.
func (s *Server) tagUpdate(c echo.Context) error {
	tg, err := s.tagFromPath(c)
	if err != nil {
		return err
	}
	v, f := readTagForm(c)
	invalid := func() error {
		return s.tagFormPage(c, http.StatusUnprocessableEntity, views.TagFormProps{ID: tg.ID, Tickets: tg.Tickets, Values: v, Errors: f.errs})
	}
	if !f.ok() {
		return invalid()
	}
	err = s.st.UpdateTag(c.Request().Context(), currentAgent(c).ID, tg.ID, store.TagInput{Name: v.Name, Colour: v.Colour}, c.RealIP())
	if tagNameTaken(f, err) {
		return invalid()
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "TagSaved", map[string]any{"Name": v.Name}))
	return s.redirect(c, views.PathTags)
}

func (s *Server) tagMergePage(c echo.Context, status int, tg store.Tag, into int64, errs views.FieldErrors) error {
	all, err := s.st.Tags(c.Request().Context())
	if err != nil {
		return err
	}
	p := views.TagMergeProps{Tag: tg, Into: into, Errors: errs}
	if p.Errors == nil {
		p.Errors = views.FieldErrors{}
	}
	for _, o := range all {
		if o.ID != tg.ID {
			p.Targets = append(p.Targets, o)
		}
	}
	return s.renderConfig(c, status, views.TagMergePage(p), nil)
}

func (s *Server) tagMergeForm(c echo.Context) error {
	tg, err := s.tagFromPath(c)
	if err != nil {
		return err
	}
	return s.tagMergePage(c, http.StatusOK, tg, 0, nil)
}

// tagMerge moves every ticket of the tag to the chosen one and removes it.
func (s *Server) tagMerge(c echo.Context) error {
	ctx := c.Request().Context()
	tg, err := s.tagFromPath(c)
	if err != nil {
		return err
	}
	f := newForm(c)
	into, perr := strconv.ParseInt(c.FormValue("into"), 10, 64)
	var target store.Tag
	switch {
	case c.FormValue("into") == "":
		f.fail("into", "ErrRequired", nil)
	case perr != nil || into == tg.ID:
		f.fail("into", "ErrInvalidChoice", nil)
	default:
		if target, err = s.st.TagByID(ctx, into); err != nil {
			f.fail("into", "ErrInvalidChoice", nil)
		}
	}
	if !f.ok() {
		return s.tagMergePage(c, http.StatusUnprocessableEntity, tg, into, f.errs)
	}
	if err := s.st.MergeTag(ctx, currentAgent(c).ID, tg.ID, target.ID, c.RealIP()); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "TagMerged", map[string]any{"Name": tg.Name, "Into": target.Name}))
	return s.redirect(c, views.PathTags)
}

func (s *Server) tagRemoveConfirm(c echo.Context) error {
	tg, err := s.tagFromPath(c)
	if err != nil {
		return err
	}
	return s.tagRemoveQuestion(c, http.StatusOK, tg)
}

func (s *Server) tagRemove(c echo.Context) error {
	tg, err := s.tagFromPath(c)
	if err != nil {
		return err
	}
	if used, asked := s.tagRulesOf(c, tg); used != nil && !asked {
		return s.tagRemoveQuestion(c, http.StatusConflict, tg)
	}
	if err := s.st.RemoveTagEverywhere(c.Request().Context(), currentAgent(c).ID, tg.ID, c.RealIP()); err != nil {
		return err
	}
	return s.removed(c, tf(c, "TagRemovedEverywhere", map[string]any{"Name": tg.Name}), views.PathTags)
}

// tagColours serves the style sheet of the tags' colours. It changes only
// when a tag's colour or name does, so browsers keep it and ask again
// with its ETag.
func (s *Server) tagColours(c echo.Context) error {
	tags, err := s.st.Tags(c.Request().Context())
	if err != nil {
		return err
	}
	css := views.TagColoursCSS(tags)
	sum := sha256.Sum256([]byte(css))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	h := c.Response().Header()
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", etag)
	if c.Request().Header.Get("If-None-Match") == etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, "text/css; charset=utf-8", []byte(css))
}
