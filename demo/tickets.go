package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"helpline/store"
)

// chunkSize contacts or tickets are handed to the bulk loader at a time.
const chunkSize = 1000

// addTickets adds the contacts, then the tickets spread over the past year.
func (d *desk) addTickets(ctx context.Context, b *store.Bulk) error {
	o, rng := d.opts, d.rng
	end := b.Now().UnixMilli()
	start := end - 365*24*3600*1000
	loc, err := time.LoadLocation(TimeZone)
	if err != nil {
		return err
	}
	d.loc, d.end, d.arrivals = loc, end, newArrivals(start, end, loc)
	nContacts := max(50, o.Tickets/4)

	contacts := make([]store.BulkContact, 0, chunkSize)
	for i := 1; i <= nContacts; i++ {
		first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
		email := fmt.Sprintf("%s.%s.%d@customer.example", strings.ToLower(first), strings.ToLower(last), i)
		contacts = append(contacts, store.BulkContact{ID: int64(i), Name: first + " " + last, Email: email, CreatedAt: time.UnixMilli(start)})
		if len(contacts) == chunkSize || i == nContacts {
			if err := b.AddContacts(ctx, contacts); err != nil {
				return err
			}
			contacts = contacts[:0]
		}
	}

	// The loader copies each chunk before AddTickets returns, so one chunk
	// and the threads in it serve every call.
	chunk := make([]store.BulkTicket, 0, chunkSize)
	codeMul, codeAdd := uint64(0x5DEECE66D)|1, rng.Uint64()
	for i := 1; i <= o.Tickets; i++ {
		chunk = chunk[:len(chunk)+1]
		t := &chunk[len(chunk)-1]
		d.ticket(t, i, start, end, nContacts)
		t.Code = store.TicketCodeOf(uint64(i)*codeMul + codeAdd)
		if len(chunk) == chunkSize || i == o.Tickets {
			if err := b.AddTickets(ctx, chunk); err != nil {
				return err
			}
			chunk = chunk[:0]
		}
	}
	return nil
}

// ticket makes ticket i in t, keeping t's thread and tags for their room.
func (d *desk) ticket(t *store.BulkTicket, i int, start, end int64, nContacts int) {
	o, rng := d.opts, d.rng
	created := d.arrivals.at(float64(i) / float64(o.Tickets+1))
	di := rng.IntN(len(d.depts))
	contact := int64(1 + rng.IntN(nContacts))
	status := pick(rng, statusWeights)
	priority := store.Priority(pick(rng, priorityWeights))
	channel := store.TicketChannels[pick(rng, channelWeights)]
	topic := topics[rng.IntN(len(topics))]
	subject := topic.subjects[rng.IntN(len(topic.subjects))]
	st := store.TicketStatuses[status]
	var assignee int64
	assigneeIdx := -1
	if st != store.TicketNew && len(d.members[di]) > 0 && rng.IntN(10) < 8 {
		assigneeIdx = d.members[di][rng.IntN(len(d.members[di]))]
		assignee = d.ids[assigneeIdx]
	}
	// An agent who answers is the assignee, else any member.
	replier := assigneeIdx
	if replier < 0 && len(d.members[di]) > 0 {
		replier = d.members[di][rng.IntN(len(d.members[di]))]
	}
	*t = store.BulkTicket{ID: int64(i), Subject: subject, Status: st, Priority: priority, Channel: channel,
		DepartmentID: d.depts[di], AssigneeID: assignee, ContactID: contact, Thread: t.Thread[:0], Tags: t.Tags[:0]}

	at := created
	ms := func(at int64) time.Time { return time.UnixMilli(at) }
	// Each step waits as the team would at that hour, and none is later
	// than now.
	step := func() time.Time { at = min(at+workDelay(rng, at, d.loc), max(end-1000, at+1000)); return ms(at) }
	logged := channel == store.ChannelCall || channel == store.ChannelChat
	creator := store.BulkMessage{Kind: store.KindEvent, Event: store.EventCreated, Details: store.EventDetails{To: string(channel)}, At: ms(created)}
	if logged && replier >= 0 {
		creator.AgentID = d.ids[replier]
	} else {
		creator.ContactID = contact
	}
	t.Thread = append(t.Thread, store.BulkMessage{Kind: store.KindCustomer, ContactID: contact, Body: sentence(rng, topic), At: ms(created)}, creator)
	if assignee != 0 {
		t.Thread = append(t.Thread, store.BulkMessage{Kind: store.KindEvent, AgentID: assignee, Event: store.EventAssigned,
			Details: store.EventDetails{Name: d.names[assigneeIdx]}, At: step()})
	}
	nMessages := 1 + rng.IntN(6)
	cur := store.TicketNew
	for k := 1; k < nMessages && replier >= 0 && st != store.TicketNew; k++ {
		switch {
		case k%2 == 1:
			t.Thread = append(t.Thread, store.BulkMessage{Kind: store.KindReply, AgentID: d.ids[replier],
				Body: replies[rng.IntN(len(replies))] + " " + sentence(rng, topic), At: step()})
			if cur != store.TicketAnswered {
				t.Thread = append(t.Thread, store.BulkMessage{Kind: store.KindEvent, AgentID: d.ids[replier], Event: store.EventStatus,
					Details: store.EventDetails{From: string(cur), To: string(store.TicketAnswered)}, At: ms(at)})
				cur = store.TicketAnswered
			}
		case rng.IntN(4) == 0:
			t.Thread = append(t.Thread, store.BulkMessage{Kind: store.KindNote, AgentID: d.ids[replier], Body: "Internal: " + sentence(rng, topic), At: step()})
		default:
			t.Thread = append(t.Thread, store.BulkMessage{Kind: store.KindCustomer, ContactID: contact, Body: sentence(rng, topic), At: step()})
			t.Thread = append(t.Thread, store.BulkMessage{Kind: store.KindEvent, ContactID: contact, Event: store.EventStatus,
				Details: store.EventDetails{From: string(cur), To: string(store.TicketOpen)}, At: ms(at)})
			cur = store.TicketOpen
		}
	}
	if st != cur {
		var actor int64
		if replier >= 0 {
			actor = d.ids[replier]
		}
		ev := store.BulkMessage{Kind: store.KindEvent, AgentID: actor, Event: store.EventStatus,
			Details: store.EventDetails{From: string(cur), To: string(st)}, At: step()}
		if st == store.TicketPostponed {
			until := end + rng.Int64N(14*24*3600000)
			t.PostponedUntil, t.PostponedFrom = ms(until), store.TicketOpen
			if cur == store.TicketNew {
				t.PostponedFrom = store.TicketNew
			}
			ev.Event, ev.Details.Until = store.EventPostponed, until
		}
		t.Thread = append(t.Thread, ev)
	}
	for range rng.IntN(4) {
		tag := tags[rng.IntN(len(tags))]
		if !slices.Contains(t.Tags, tag) {
			t.Tags = append(t.Tags, tag)
			t.Thread = append(t.Thread, store.BulkMessage{Kind: store.KindEvent, AgentID: d.ids[max(replier, 0)], Event: store.EventTagAdded,
				Details: store.EventDetails{Name: tag}, At: step()})
		}
	}
}

func pick(rng *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := rng.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

func sentence(rng *rand.Rand, t topic) string {
	return t.lines[rng.IntN(len(t.lines))] + " " + closers[rng.IntN(len(closers))]
}
