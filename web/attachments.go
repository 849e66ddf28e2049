package web

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"helpline/store"
)

// Attachments: files come with the contact form, the customer's page and
// the agent's reply box; each download checks who may see the ticket.

// attachmentLimit is the largest file taken.
func (s *Server) attachmentLimit() int64 {
	if s.cfg.AttachmentLimit > 0 {
		return s.cfg.AttachmentLimit
	}
	return store.DefaultAttachmentLimit
}

// uploadBodyLimit bounds a form with files: every file at the limit, and
// room for the fields.
func (s *Server) uploadBodyLimit() int64 {
	return s.attachmentLimit()*store.MaxAttachments + 2<<20
}

// files reads the form's files of field; too many or too large a file is
// the field's message.
func (s *Server) files(c echo.Context, f *form, field string) []store.NewAttachment {
	mf := c.Request().MultipartForm
	if mf == nil {
		return nil
	}
	var out []store.NewAttachment
	headers := mf.File[field]
	if len(headers) > store.MaxAttachments {
		f.fail(field, "ErrTooManyFiles", map[string]any{"Max": store.MaxAttachments})
		return nil
	}
	for _, h := range headers {
		if h.Size == 0 && h.Filename == "" {
			continue // the empty file input of a browser
		}
		if h.Size > s.attachmentLimit() {
			f.fail(field, "ErrFileTooBig", map[string]any{"Name": h.Filename, "Max": strconv.FormatInt(s.attachmentLimit()>>20, 10)})
			return nil
		}
		r, err := h.Open()
		if err != nil {
			f.fail(field, "ErrFileUnreadable", map[string]any{"Name": h.Filename})
			return nil
		}
		data, err := io.ReadAll(io.LimitReader(r, s.attachmentLimit()+1))
		r.Close()
		if err != nil || int64(len(data)) > s.attachmentLimit() {
			f.fail(field, "ErrFileUnreadable", map[string]any{"Name": h.Filename})
			return nil
		}
		out = append(out, store.NewAttachment{Filename: h.Filename, Data: data})
	}
	return out
}

// ticketFile downloads a file of a ticket the agent may see.
func (s *Server) ticketFile(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	f, err := s.st.TicketAttachment(c.Request().Context(), viewer(c), ticketCode(c), id)
	if err != nil {
		return err
	}
	return sendFile(c, f)
}

// customerFile downloads a file of the public thread a customer link opens.
func (s *Server) customerFile(c echo.Context) error {
	noReferrer(c)
	id, err := pathID(c)
	if err != nil {
		return err
	}
	f, err := s.st.CustomerAttachment(c.Request().Context(), c.Param("token"), id)
	if err != nil {
		return err
	}
	return sendFile(c, f)
}

// sendFile answers with a file to save, never to show: Content-Disposition
// attachment, the content type sniffed and checked at upload, and a
// sandbox should a browser render it anyway.
func sendFile(c echo.Context, f store.AttachmentFile) error {
	h := c.Response().Header()
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Filename}))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	return c.Blob(http.StatusOK, f.ContentType, f.Data)
}

// isUpload tells a form that may carry files.
func isUpload(c echo.Context) bool {
	return strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm)
}
