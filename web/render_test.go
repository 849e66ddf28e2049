package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

// A page is sent whole with its length; one that fails half way is answered
// with the error page, never as the half that was rendered.
func TestRender_SendsWholePagesOnly(t *testing.T) {
	app := newTestApp(t)
	page := strings.Repeat("<p>row</p>", 5000)
	serve := func(comp templ.Component) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		rec := httptest.NewRecorder()
		c := app.srv.e.NewContext(req, rec)
		if err := app.srv.render(c, http.StatusOK, comp, nil); err != nil {
			app.srv.handleError(err, c)
		}
		return rec
	}

	rec := serve(templ.Raw(page))
	if rec.Code != http.StatusOK || rec.Body.String() != page || rec.Header().Get("Content-Length") != strconv.Itoa(len(page)) {
		t.Fatalf("status %d, %d bytes, Content-Length %q; want the %d-byte page", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"), len(page))
	}

	failing := templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		if _, err := io.WriteString(w, page); err != nil {
			return err
		}
		return errors.New("the database went away")
	})
	rec = serve(failing)
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "<p>row</p>") {
		t.Fatalf("a page failing half way answered %d with %d bytes of it", rec.Code, strings.Count(rec.Body.String(), "<p>row</p>"))
	}
}
