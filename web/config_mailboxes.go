package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"helpline/mail"
	"helpline/store"
	"helpline/views"
)

// Configuration → Email, Mailboxes: the IMAP mailboxes read into
// departments, each with Check now and the last check's time and result.

// mailboxProps adds the mailboxes and the departments to the page.
func (s *Server) mailboxProps(ctx context.Context, p *views.EmailProps) error {
	var err error
	if p.Mailboxes, err = s.st.Mailboxes(ctx); err != nil {
		return err
	}
	if p.Departments, err = s.st.Departments(ctx); err != nil {
		return err
	}
	if p.MailboxErrs == nil {
		p.MailboxErrs = views.FieldErrors{}
	}
	if p.Mailbox.Port == "" {
		p.Mailbox = views.MailboxValues{Port: "993", Security: string(store.SecurityTLS), Folder: "INBOX"}
	}
	return nil
}

func (s *Server) mailboxAdd(c echo.Context) error {
	ctx := c.Request().Context()
	f := newForm(c)
	v := views.MailboxValues{
		Host:     f.text("mb_host", true, 255),
		Port:     strings.TrimSpace(c.FormValue("mb_port")),
		Security: f.choice("mb_security", true, string(store.SecurityNone), string(store.SecurityStartTLS), string(store.SecurityTLS)),
		Username: f.text("mb_username", true, 255),
		Folder:   f.text("mb_folder", true, 255),
	}
	v.Department, _ = strconv.ParseInt(c.FormValue("mb_department"), 10, 64)
	if v.Host != "" && strings.ContainsAny(v.Host, " /:@") {
		f.fail("mb_host", "ErrMailHost", nil)
	}
	port, err := strconv.Atoi(v.Port)
	if err != nil || port < 1 || port > 65535 {
		f.fail("mb_port", "ErrMailPort", nil)
	}
	password := c.FormValue("mb_password")
	if password == "" {
		f.fail("mb_password", "ErrRequired", nil)
	}
	depts, err := s.st.Departments(ctx)
	if err != nil {
		return err
	}
	if !contains(idsOf(depts), v.Department) {
		f.fail("mb_department", "ErrInvalidChoice", nil)
	}
	if f.ok() {
		_, err = s.st.AddMailbox(ctx, currentAgent(c).ID, store.Mailbox{DepartmentID: v.Department, Host: v.Host, Port: port,
			Security: store.MailSecurity(v.Security), Username: v.Username, Password: password, Folder: v.Folder}, c.RealIP())
		if errors.Is(err, store.ErrNotFound) { // the department went meanwhile
			f.fail("mb_department", "ErrInvalidChoice", nil)
		} else if err != nil {
			return err
		}
	}
	if !f.ok() {
		p, err := s.emailProps(c)
		if err != nil {
			return err
		}
		p.Mailbox, p.MailboxErrs = v, f.errs
		if err := s.mailboxProps(ctx, &p); err != nil {
			return err
		}
		return s.renderConfig(c, http.StatusUnprocessableEntity, views.EmailPage(p), nil)
	}
	flash(c, views.FlashSuccess, t(c, "MailboxAdded"))
	return s.redirect(c, views.PathEmail+"#mailboxes")
}

// mailboxCheck reads a mailbox now and says how it went; trouble with the
// server is said in plain words, never a server error.
func (s *Server) mailboxCheck(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	mb, err := s.st.Mailbox(ctx, id)
	if err != nil {
		return err
	}
	boxes, err := s.st.Mailboxes(ctx)
	if err != nil {
		return err
	}
	res, err := mail.CheckAndRecord(ctx, s.st, mb, mail.OwnAddresses(ctx, s.st, boxes), s.attachmentLimit())
	if err != nil {
		flash(c, views.FlashError, tf(c, "MailboxCheckFailed", map[string]any{"Name": mb.Username})+" "+t(c, string(mail.CheckProblem(err))))
	} else {
		flash(c, views.FlashSuccess, tf(c, "MailboxCheckOK", map[string]any{"New": strconv.Itoa(res.New), "Added": strconv.Itoa(res.Added), "Ignored": strconv.Itoa(res.Ignored)}))
	}
	return s.redirect(c, views.PathEmail+"#mailboxes")
}

func (s *Server) mailboxRemove(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.st.RemoveMailbox(c.Request().Context(), currentAgent(c).ID, id, c.RealIP()); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "MailboxRemoved"))
	return s.redirect(c, views.PathEmail+"#mailboxes")
}

func contains(ids []int64, id int64) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}
