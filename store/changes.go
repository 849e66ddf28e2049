package store

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"

	"helpline/authz"
)

// A kept page is true while nothing it was built from has changed. Most
// writes change something every page may show (names, roles, settings,
// lists): they move the generation on (Generation), and every kept read
// goes. New tickets, the one write a busy desk makes every few seconds,
// say instead which topics they changed (their departments' queues, their
// requesters' lists of tickets, the tickets themselves): a kept page that
// read none of those stays.
//
// Topics are counted on one clock. Each change of a topic stamps it with the
// clock's next tick; a page built from reads that began at tick t (the
// clock read before the first read) stays true while each of its topics
// carries a stamp no later than t. A page learns some of its topics only
// while it is built (a ticket page learns its requester), which the stamps
// allow: what changed after t is seen whenever the topic is named.
//
// Topics share a fixed number of stamps by hash: two topics on one stamp
// only make a page go sooner than it had to.

// Topic is one thing a ticket change changes and a page may read.
type Topic struct {
	Kind TopicKind
	ID   int64
}

// TopicKind says what a Topic's ID names.
type TopicKind byte

const (
	// TopicAllTickets is any ticket at all: the pages of those who see
	// every department read it. Every ticket change changes it.
	TopicAllTickets TopicKind = 'a'
	// TopicDepartment is the tickets of one department (its queue, its counts).
	TopicDepartment TopicKind = 'd'
	// TopicContact is one requester's tickets (listed beside each of them).
	TopicContact TopicKind = 'c'
	// TopicTicket is one ticket: its row, thread, fields and SLA.
	TopicTicket TopicKind = 't'
)

// Change is what a write of tickets changed: every ticket with its
// department and requester. TopicAllTickets is implied.
type Change struct {
	Topics []Topic
	// All: the write changed more than tickets after all (the desk's
	// first ticket, which the hints on setup show); every kept read goes.
	All bool
}

// maxNotifiedTopics bounds a notification's payload (PostgreSQL takes
// under 8,000 bytes); a change of more topics moves the generation instead.
const maxNotifiedTopics = 300

// Ticket adds a ticket of department dept and requester contact.
func (c *Change) Ticket(id, dept, contact int64) {
	c.Topics = append(c.Topics, Topic{TopicTicket, id}, Topic{TopicDepartment, dept}, Topic{TopicContact, contact})
}

const topicStamps = 1 << 12

// topicClock stamps topics with the tick of their last change.
type topicClock struct {
	now    atomic.Uint64
	stamps [topicStamps]atomic.Uint64
}

func (t Topic) slot() int {
	h := uint64(t.ID)*0x9E3779B97F4A7C15 ^ uint64(t.Kind)*0xC2B2AE3D27D4EB4F
	return int(h>>52) % topicStamps
}

// tick reads the clock: pages built from reads that begin now are stamped with it.
func (c *topicClock) tick() uint64 { return c.now.Load() }

// change stamps the topics (and TopicAllTickets) with a new tick.
func (c *topicClock) change(topics []Topic) {
	t := c.now.Add(1)
	c.stamp(Topic{Kind: TopicAllTickets}, t)
	for _, tp := range topics {
		c.stamp(tp, t)
	}
}

func (c *topicClock) stamp(tp Topic, t uint64) {
	s := &c.stamps[tp.slot()]
	for {
		old := s.Load()
		if old >= t || s.CompareAndSwap(old, t) {
			return
		}
	}
}

// unchangedSince reports whether none of topics changed after tick t.
func (c *topicClock) unchangedSince(t uint64, topics []Topic) bool {
	for _, tp := range topics {
		if c.stamps[tp.slot()].Load() > t {
			return false
		}
	}
	return true
}

// Tick reads the topics' clock; read it, with Generation, before the reads
// a kept page is built from.
func (s *Store) Tick() uint64 { return s.topics.tick() }

// UnchangedSince reports whether none of topics changed after tick t.
func (s *Store) UnchangedSince(t uint64, topics []Topic) bool {
	return s.topics.unchangedSince(t, topics)
}

// changedPrefix starts the payload of a notification of changed topics.
const changedPrefix = "topics "

// payload is the change as a notification carries it: "topics d3 c17 t42".
func (c Change) payload() string {
	var b strings.Builder
	b.WriteString(changedPrefix)
	for i, tp := range c.Topics {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(byte(tp.Kind))
		b.WriteString(strconv.FormatInt(tp.ID, 10))
	}
	return b.String()
}

// parseChange reads a payload made by payload; ok is false for any other.
func parseChange(p string) (Change, bool) {
	rest, ok := strings.CutPrefix(p, changedPrefix)
	if !ok {
		return Change{}, false
	}
	var c Change
	for _, f := range strings.Fields(rest) {
		kind := TopicKind(f[0])
		switch kind {
		case TopicDepartment, TopicContact, TopicTicket:
		default:
			return Change{}, false
		}
		id, err := strconv.ParseInt(f[1:], 10, 64)
		if err != nil {
			return Change{}, false
		}
		c.Topics = append(c.Topics, Topic{kind, id})
	}
	return c, true
}

// ScopeTopics are the topics of the tickets v may see: every ticket, or
// those of their departments (a change of membership moves the generation).
func (s *Store) ScopeTopics(ctx context.Context, v authz.Viewer) ([]Topic, error) {
	if v.Can(authz.TicketsReadAll) {
		return []Topic{{Kind: TopicAllTickets}}, nil
	}
	return remember(&s.mem, memoKey{What: memoScopeTopics, ID: v.ID}, func() ([]Topic, error) {
		ids, err := agentDepartmentIDs(ctx, s.rd, v.ID)
		if err != nil {
			return nil, err
		}
		out := make([]Topic, len(ids))
		for i, id := range ids {
			out[i] = Topic{TopicDepartment, id}
		}
		return out, nil
	})
}
