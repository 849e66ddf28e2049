package web

import (
	"errors"
	"net"
	"net/http"
	"os"
	"slices"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"helpline/views"
)

// Answers to requests made by hand rather than by a browser's form.

var (
	// errBodyTimeout: the client did not send its body in time. The answer
	// is 408 and the connection closes; it is never a 200 with nothing in it.
	errBodyTimeout = errors.New("request body read timed out")
	// errInvalidText: a posted field is not UTF-8. Browsers always encode
	// what people type, so only a crafted request meets this.
	errInvalidText = echo.NewHTTPError(http.StatusUnprocessableEntity, "invalid UTF-8")
)

// bodyTimedOut reports whether reading the body failed on the server's
// read deadline.
func bodyTimedOut(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// textFields are, per form where people write free text (messages,
// replies, notes, new tickets, the contact form), the fields its handler
// checks itself: one of them that is not UTF-8 gets its message next to it
// on the re-rendered form. Any other field, and every field of every other
// route, is refused outright before a handler runs, so nothing a handler
// reads raw can store the bytes.
var textFields = map[string][]string{
	views.PathTicketMessages: {"body"},
	views.PathCustomerTicket: {"body"},
	views.PathContact:        {"name", "email", "subject", "message"},
	views.PathTicketNew:      {"name", "email", "subject", "message"},
}

// refuseInvalidText stops posted fields that are not valid UTF-8 (names
// and values alike) from reaching any store: 422, nothing stored.
func refuseInvalidText(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		checked := textFields[c.Path()]
		for _, name := range invalidFields(c.Request()) {
			if !slices.Contains(checked, name) {
				return errInvalidText
			}
		}
		return next(c)
	}
}

// invalidFields names the posted fields whose name or value is not UTF-8.
func invalidFields(req *http.Request) []string {
	var bad []string
	for name, values := range req.PostForm {
		ok := utf8.ValidString(name)
		for _, v := range values {
			ok = ok && utf8.ValidString(v)
		}
		if !ok {
			bad = append(bad, name)
		}
	}
	return bad
}
