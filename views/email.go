package views

import (
	"context"
	"strings"
)

// Emails to customers and the test email, in the customer's language:
// subjects and plain text here, the HTML part in email.templ.

// EmailContext is a context that speaks lang (an interface language, else
// English) for rendering an email outside any request.
func EmailContext(ctx context.Context, lang string) context.Context {
	if !IsLanguage(lang) {
		lang = "en"
	}
	return WithEnv(ctx, &Env{Lang: lang, Localizer: Localizer(lang), Asset: emptyEnv.Asset})
}

// EmailReplyProps is an agent's reply as an email.
type EmailReplyProps struct {
	Subject   string
	Code      string
	Body      string
	AgentName string
	Link      string // the customer's page of the ticket
}

// EmailSubject is "Re: Parcel lost [XKB-4F2QD-9TR]".
func EmailSubject(ctx context.Context, p EmailReplyProps) string {
	return Tf(ctx, "EmailReplySubject", map[string]any{"Subject": p.Subject, "Code": p.Code})
}

// EmailReplyText is the plain-text part of a reply.
func EmailReplyText(ctx context.Context, p EmailReplyProps) string {
	var b strings.Builder
	b.WriteString(p.Body)
	b.WriteString("\n\n-- \n")
	b.WriteString(p.AgentName)
	b.WriteString("\n\n")
	b.WriteString(Tf(ctx, "EmailTicketLine", map[string]any{"Code": p.Code}))
	b.WriteString("\n")
	b.WriteString(T(ctx, "EmailOpenTicket"))
	b.WriteString("\n")
	b.WriteString(p.Link)
	b.WriteString("\n")
	return b.String()
}

// EmailTestSubject and EmailTestText are the test email of Channels → Email.
func EmailTestSubject(ctx context.Context) string { return T(ctx, "EmailTestSubject") }

func EmailTestText(ctx context.Context) string { return T(ctx, "EmailTestBody") + "\n" }

// PasswordEmailProps is an email with a one-time link to choose a password.
type PasswordEmailProps struct {
	Name   string
	Link   string
	Forgot bool // asked for on Forgot password? (valid 1 hour), else a new or reset account
}

// PasswordEmailSubject and PasswordEmailText are that email.
func PasswordEmailSubject(ctx context.Context, p PasswordEmailProps) string {
	if p.Forgot {
		return T(ctx, "EmailForgotSubject")
	}
	return T(ctx, "EmailSetPasswordSubject")
}

func PasswordEmailText(ctx context.Context, p PasswordEmailProps) string {
	id := "EmailSetPasswordBody"
	if p.Forgot {
		id = "EmailForgotBody"
	}
	return Tf(ctx, id, map[string]any{"Name": p.Name}) + "\n\n" + p.Link + "\n"
}
