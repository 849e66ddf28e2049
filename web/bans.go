package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

const bansPerPage = 50

// bansShow is Configuration → Banned IPs: the ban form (filled from a
// ticket's Ban sender's IP) and the ban history.
func (s *Server) bansShow(c echo.Context) error {
	p := views.BansProps{Values: views.BanValues{Address: c.QueryParam("address"), Ticket: c.QueryParam("ticket")}, Errors: views.FieldErrors{}}
	return s.renderBans(c, http.StatusOK, p)
}

func (s *Server) renderBans(c echo.Context, status int, p views.BansProps) error {
	p.Before = queryID(c, "before")
	bans, err := s.st.BanHistory(c.Request().Context(), p.Before, bansPerPage+1)
	if err != nil {
		return err
	}
	if len(bans) > bansPerPage {
		bans = bans[:bansPerPage]
		p.Next = bans[bansPerPage-1].ID
	}
	p.History, p.Now = bans, time.Now()
	return s.renderConfig(c, status, views.BansPage(p), nil)
}

// banCreate bans an address or range; one named from a ticket marks the
// ticket Spam too.
func (s *Server) banCreate(c echo.Context) error {
	f := newForm(c)
	vals := views.BanValues{
		Address:    f.text("address", true, 50),
		ValidUntil: f.text("valid_until", true, 30),
		Reason:     f.text("reason", false, 200),
		Ticket:     f.text("ticket", false, 20),
	}
	in := store.BanInput{Reason: vals.Reason}
	if f.errs["address"] == "" {
		network, ok := store.ParseNetwork(vals.Address)
		if !ok {
			f.fail("address", "ErrBanAddress", nil)
		}
		in.Network = network
	}
	if f.errs["valid_until"] == "" {
		until, msgID := parseValidUntil(vals.ValidUntil, time.Now(), views.Zone(c.Request().Context()))
		if msgID != "" {
			f.fail("valid_until", msgID, nil)
		}
		in.ValidUntil = until
	}
	if vals.Ticket != "" && f.errs["ticket"] == "" {
		code, ok := store.NormalizeCode(vals.Ticket)
		if !ok {
			f.fail("ticket", "ErrBanTicket", nil)
		}
		in.TicketCode = code
	}
	invalid := func() error {
		return s.renderBans(c, http.StatusUnprocessableEntity, views.BansProps{Values: vals, Errors: f.errs})
	}
	if !f.ok() {
		return invalid()
	}
	_, err := s.st.AddBan(c.Request().Context(), currentAgent(c).ID, in)
	var overlap store.ErrBanOverlap
	switch {
	case errors.As(err, &overlap):
		f.fail("address", "ErrBanOverlap", map[string]any{"With": overlap.With.String()})
		return invalid()
	case store.IsRule(err, store.RuleBanInPast):
		f.fail("valid_until", "ErrBanInPast", nil)
		return invalid()
	case store.IsRule(err, store.RuleBanNoTicket):
		f.fail("ticket", "ErrBanTicket", nil)
		return invalid()
	case err != nil:
		return err
	}
	msg := tf(c, "BanAdded", map[string]any{"Address": in.Network.String()})
	if in.TicketCode != "" {
		msg = tf(c, "BanAddedFromTicket", map[string]any{"Address": in.Network.String(), "Code": in.TicketCode})
	}
	flash(c, views.FlashSuccess, msg)
	return s.redirect(c, views.PathBans)
}

// banLift lifts a ban that holds.
func (s *Server) banLift(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.st.Unban(c.Request().Context(), currentAgent(c).ID, id); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "BanLiftedFlash"))
	return s.redirect(c, views.PathBans)
}

// bannedSender reports whether a ban holds for the request's client. A
// failure to read the list lets the message through: a customer's message
// is not lost to a database hiccup, and the ban is checked again next time.
func (s *Server) bannedSender(c echo.Context) bool {
	banned, err := s.st.IsBanned(c.Request().Context(), c.RealIP())
	if err != nil {
		s.log.Warn("ban list", "err", err)
		return false
	}
	return banned
}

// senderIP is the client's address as a ticket keeps it.
func senderIP(c echo.Context) string { return strings.TrimSpace(c.RealIP()) }
