package views

import "context"

// NoticeEmailProps is one of an agent's notifications as an email, in the
// agent's language.
type NoticeEmailProps struct {
	Kind    string // store.NotificationKind: assigned, customer_reply, mention
	Name    string // the agent told
	Actor   string // who assigned or mentioned; the customer for an answer ("" for a rule)
	Code    string
	Subject string
	Link    string // the ticket page in the console
}

func (p NoticeEmailProps) data() map[string]any {
	return map[string]any{"Name": p.Name, "Actor": p.Actor, "Code": p.Code, "Subject": p.Subject}
}

// NoticeEmailSubject is "[XKB-4F2QD-9TR] Assigned to you: Parcel lost".
func NoticeEmailSubject(ctx context.Context, p NoticeEmailProps) string {
	id := "NoticeMailSubjectAssigned"
	switch p.Kind {
	case "customer_reply":
		id = "NoticeMailSubjectCustomerReply"
	case "mention":
		id = "NoticeMailSubjectMention"
	}
	return Tf(ctx, id, p.data())
}

// NoticeEmailText is the email's plain text: what happened, the ticket
// and its link, and why the agent gets it.
func NoticeEmailText(ctx context.Context, p NoticeEmailProps) string {
	id := "NoticeMailAssignedBy"
	switch {
	case p.Kind == "customer_reply":
		id = "NoticeMailCustomerReply"
	case p.Kind == "mention":
		id = "NoticeMailMention"
	case p.Actor == "":
		id = "NoticeMailAssigned"
	}
	return Tf(ctx, "NoticeMailHello", p.data()) + "\n\n" +
		Tf(ctx, id, p.data()) + "\n\n" +
		T(ctx, "NoticeMailOpen") + "\n" + p.Link + "\n\n-- \n" +
		T(ctx, "NoticeMailWhy") + "\n"
}
