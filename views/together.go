package views

import (
	"context"
	"time"

	"helpline/desk"
	"helpline/store"
)

// Paths of Edit ticket and Merge into….
const (
	PathTicketEdit  = "/tickets/:code/edit"
	PathTicketMerge = "/tickets/:code/merge"
	// PathTicketPresence is polled by an open ticket page; PathTicketLeave
	// is called as it closes.
	PathTicketPresence = "/tickets/:code/presence"
	PathTicketLeave    = "/tickets/:code/leave"
)

// TicketTogether is what the ticket page shows of editing and merging.
type TicketTogether struct {
	CanEdit    bool
	CanMerge   bool
	MergedInto string // the code of the ticket this one was merged into
	// Seen is the newest message the page shows; Collision, when set, is a
	// reply another agent sent since, which the editor asks about.
	Seen      int64
	Collision *store.LatestReply
	// Mentionable are the agents a note can mention (@alias or @Name).
	Mentionable []store.Mentionable
	// Requester are the requester's other recent tickets.
	Requester RequesterTicketsProps
}

// ReplyAgo says how long ago another agent replied, in seconds under a
// minute ("30 seconds ago"): the question before sending is about moments.
func ReplyAgo(ctx context.Context, at time.Time) string {
	if d := time.Since(at); d < time.Minute {
		return Tn(ctx, "SecondsAgo", int(max(d, 0)/time.Second), nil)
	}
	return TimeAgo(ctx, at)
}

// TicketEditValues are the Edit ticket form's fields as typed.
type TicketEditValues struct {
	Subject   string
	Priority  string
	Requester string // the requester's email
}

// TicketEditProps is the Edit ticket page.
type TicketEditProps struct {
	Ticket store.Ticket
	Queue  QueueFilterValues
	Values TicketEditValues
	Errors FieldErrors
}

// TicketMergeProps is the Merge into… page.
type TicketMergeProps struct {
	Ticket store.Ticket
	Queue  QueueFilterValues
	Into   string
	Errors FieldErrors
}

// togetherEventText describes the history's entries of editing and
// merging tickets.
func togetherEventText(ctx context.Context, m store.Message, data map[string]any) (string, bool) {
	switch m.Event {
	case store.EventSubjectChanged:
		return Tf(ctx, "EventSubjectChanged", data), true
	case store.EventPriorityChanged:
		data["From"], data["To"] = PriorityLabel(ctx, desk.ParsePriority(m.Details.From)), PriorityLabel(ctx, desk.ParsePriority(m.Details.To))
		return Tf(ctx, "EventPriorityChanged", data), true
	case store.EventRequesterChanged:
		return Tf(ctx, "EventRequesterChanged", data), true
	case store.EventMergedInto:
		return Tf(ctx, "EventMergedInto", data), true
	case store.EventMergedFrom:
		return Tf(ctx, "EventMergedFrom", data), true
	}
	return "", false
}

// Paths of notifications.
const (
	PathNotifications     = "/notifications"
	PathNotificationsRead = "/notifications/read"
)

// NotificationsProps is the list of notifications.
type NotificationsProps struct {
	List []store.Notification
}

// HasUnread reports whether Mark all as read has anything to do.
func (p NotificationsProps) HasUnread() bool {
	for _, n := range p.List {
		if !n.Read {
			return true
		}
	}
	return false
}

// unreadCount is the top bar's count of unread notifications.
func unreadCount(ctx context.Context) int {
	if f := envOf(ctx).Unread; f != nil {
		return f()
	}
	return 0
}

// NotificationText says why the agent is told.
func NotificationText(ctx context.Context, n store.Notification) string {
	data := map[string]any{"Name": n.ActorName, "Contact": n.Contact}
	switch n.Kind {
	case store.NotifyAssigned:
		return Tf(ctx, "NotifyAssigned", data)
	case store.NotifyCustomerReply:
		return Tf(ctx, "NotifyCustomerReply", data)
	}
	return Tf(ctx, "NotifyMention", data)
}
