package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"helpline/views"
)

func isHTMX(c echo.Context) bool { return c.Request().Header.Get("HX-Request") == "true" }

// render writes a page, or with HX-Request the fragment the page is built
// from. Pending flash messages go into the page, or out of band with the
// fragment.
func (s *Server) render(c echo.Context, status int, page, fragment templ.Component) error {
	h := c.Response().Header()
	h.Add("Vary", "HX-Request")
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	st := state(c)
	var flashes []views.Flash
	if st.cookie != nil {
		flashes = st.cookie.takeFlashes()
	}
	comp := page
	if isHTMX(c) && fragment != nil {
		comp = fragment
	} else if st.env != nil {
		st.env.Flashes = flashes
		flashes = nil
	}
	// The page is rendered whole before anything is sent: one write with
	// its length instead of a chunk every 4 KB (a tenth of a kept queue
	// page's cost went to write calls), and a page that fails half way
	// is answered with an error page rather than cut off.
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	ctx := c.Request().Context()
	if err := comp.Render(ctx, buf); err != nil {
		return err
	}
	if len(flashes) > 0 {
		if err := views.Flashes(flashes).Render(ctx, buf); err != nil {
			return err
		}
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	c.Response().WriteHeader(status)
	_, err := c.Response().Write(buf.Bytes())
	return err
}

var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putPageBuffer keeps buffers of ordinary pages for reuse; one grown by a
// rare huge page is left to the garbage collector.
func putPageBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return
	}
	b.Reset()
	pageBuffers.Put(b)
}

// redirect answers a successful action: 303 for a plain form post, or an
// HX-Redirect for htmx so the whole page changes.
// removed answers a removal done from a list: the confirmation is flashed,
// then a plain form goes back to the list, and htmx gets an empty answer,
// which swapped over the row removes it in place.
func (s *Server) removed(c echo.Context, message, list string) error {
	flash(c, views.FlashSuccess, message)
	if !isHTMX(c) {
		return s.redirect(c, list)
	}
	return s.render(c, http.StatusOK, nil, templ.NopComponent)
}

func (s *Server) redirect(c echo.Context, to string) error {
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", to)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// safeNext accepts only a local path as the place to return to after sign-in.
// Browsers drop tabs and newlines inside a URL and read a backslash as a
// slash, so "/\t/evil.example" would leave the site: any control character
// or backslash sends the user home instead.
func safeNext(next string) string {
	if next == "" || len(next) > 2000 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return views.PathHome
	}
	for i := 0; i < len(next); i++ {
		if b := next[i]; b < 0x20 || b == 0x7f || b == '\\' {
			return views.PathHome
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.HasPrefix(u.Path, "//") {
		return views.PathHome
	}
	return next
}
