package mail

import (
	"bytes"
	"context"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"helpline/store"
	"helpline/views"
)

// newMsg starts an email from the desk to one person.
func newMsg(cfg store.MailSettings, toName, toEmail string) (*gomail.Msg, error) {
	m := gomail.NewMsg()
	if err := m.FromFormat(cfg.FromName, cfg.FromAddress); err != nil {
		return nil, err
	}
	if err := m.AddToFormat(toName, toEmail); err != nil {
		return nil, err
	}
	m.SetDate()
	return m, nil
}

// Reply is the email that carries an agent's reply to the customer, in the
// customer's language, threaded on the ticket's earlier emails. baseURL is
// where customers open the desk (no trailing slash).
func Reply(cfg store.MailSettings, out store.OutgoingMail, files []store.AttachmentFile, baseURL string) (*gomail.Msg, error) {
	if out.FromAddress != "" {
		cfg.FromAddress = out.FromAddress // the department's mailbox
	}
	m, err := newMsg(cfg, out.ToName, out.ToEmail)
	if err != nil {
		return nil, err
	}
	ctx := views.EmailContext(context.Background(), out.Lang)
	p := views.EmailReplyProps{Subject: out.Subject, Code: out.Code, Body: out.Body, AgentName: out.AgentName,
		Link: strings.TrimRight(baseURL, "/") + views.CustomerTicketPath(out.Token)}
	// The agent's alias shows as the sender, at the desk's address.
	if out.AgentName != "" {
		name := out.AgentName
		if cfg.FromName != "" {
			name += " (" + cfg.FromName + ")"
		}
		if err := m.FromFormat(name, cfg.FromAddress); err != nil {
			return nil, err
		}
	}
	m.Subject(views.EmailSubject(ctx, p))
	m.SetMessageIDWithValue(out.HeaderID)
	if n := len(out.References); n > 0 {
		refs := make([]string, n)
		for i, r := range out.References {
			refs[i] = "<" + r + ">"
		}
		m.SetGenHeader(gomail.HeaderInReplyTo, refs[n-1])
		m.SetGenHeader(gomail.HeaderReferences, strings.Join(refs, " "))
	}
	m.SetBodyString(gomail.TypeTextPlain, views.EmailReplyText(ctx, p))
	var html bytes.Buffer
	if err := views.EmailReplyHTML(p).Render(ctx, &html); err != nil {
		return nil, err
	}
	m.AddAlternativeString(gomail.TypeTextHTML, html.String())
	for _, f := range files {
		if err := m.AttachReader(f.Filename, bytes.NewReader(f.Data), gomail.WithFileContentType(gomail.ContentType(f.ContentType))); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Test is the test email of Channels → Email, in lang.
func Test(cfg store.MailSettings, to, lang string) (*gomail.Msg, error) {
	m, err := newMsg(cfg, "", to)
	if err != nil {
		return nil, err
	}
	ctx := views.EmailContext(context.Background(), lang)
	m.Subject(views.EmailTestSubject(ctx))
	m.SetBodyString(gomail.TypeTextPlain, views.EmailTestText(ctx))
	return m, nil
}

// PasswordLink is the email with a one-time link to choose a password.
func PasswordLink(cfg store.MailSettings, name, to, lang string, p views.PasswordEmailProps) (*gomail.Msg, error) {
	m, err := newMsg(cfg, name, to)
	if err != nil {
		return nil, err
	}
	ctx := views.EmailContext(context.Background(), lang)
	m.Subject(views.PasswordEmailSubject(ctx, p))
	m.SetBodyString(gomail.TypeTextPlain, views.PasswordEmailText(ctx, p))
	return m, nil
}

// Notice is the email of an agent's notification, in the agent's language,
// linking to the ticket page in the console. baseURL is where the desk is
// opened (no trailing slash). It is marked automatic, so an out-of-office
// answer does not come back to the desk.
func Notice(cfg store.MailSettings, n store.NoticeMail, baseURL string) (*gomail.Msg, error) {
	m, err := newMsg(cfg, n.ToName, n.ToEmail)
	if err != nil {
		return nil, err
	}
	ctx := views.EmailContext(context.Background(), n.Lang)
	p := views.NoticeEmailProps{Kind: string(n.Kind), Name: n.ToName, Actor: n.Actor, Code: n.Code, Subject: n.Subject,
		Link: strings.TrimRight(baseURL, "/") + views.TicketPath(n.Code)}
	m.Subject(views.NoticeEmailSubject(ctx, p))
	m.SetMessageIDWithValue(n.HeaderID)
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetBodyString(gomail.TypeTextPlain, views.NoticeEmailText(ctx, p))
	return m, nil
}
