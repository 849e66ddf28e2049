package automation

import (
	"slices"
	"strconv"
	"strings"
)

// Ticket is what conditions look at, as the ticket is when the rule runs
// (after the previous rules' actions).
type Ticket struct {
	Status         string
	Priority       string
	DepartmentID   int64
	Channel        string
	AssigneeID     int64
	Tags           []string
	Subject        string
	Message        string
	RequesterEmail string
	Fields         map[int64]string
	// CreatedInHours: created within the default SLA level's business hours.
	CreatedInHours bool
}

// Matches tells whether a ticket passes the definition's condition groups.
func (d Definition) Matches(t Ticket) bool {
	if len(d.Groups) == 0 {
		return true
	}
	for _, g := range d.Groups {
		if g.holds(t) {
			return true
		}
	}
	return false
}

func (g Group) holds(t Ticket) bool {
	for _, c := range g.Conditions {
		if !c.Holds(t) {
			return false
		}
	}
	return true
}

// Holds tests one condition. Text is compared without regard to case.
func (c Condition) Holds(t Ticket) bool {
	switch c.Subject {
	case OnStatus:
		return c.equal(t.Status)
	case OnPriority:
		return c.equal(t.Priority)
	case OnDepartment:
		return c.equal(strconv.FormatInt(t.DepartmentID, 10))
	case OnChannel:
		return c.equal(t.Channel)
	case OnAssignee:
		return c.equal(strconv.FormatInt(t.AssigneeID, 10))
	case OnTag:
		has := slices.Contains(t.Tags, NormalTag(c.Value))
		return has == (c.Op == Has)
	case OnSubject:
		return c.contains(t.Subject)
	case OnMessage:
		return c.contains(t.Message)
	case OnRequesterEmail:
		email, want := strings.ToLower(t.RequesterEmail), strings.ToLower(strings.TrimSpace(c.Value))
		if c.Op == EndsWith {
			return want != "" && strings.HasSuffix(email, want)
		}
		return email == want
	case OnField:
		return c.equal(t.Fields[c.FieldID])
	case OnCreatedInHours:
		return (strings.TrimSpace(c.Value) == "yes") == t.CreatedInHours
	}
	return false
}

func (c Condition) equal(v string) bool {
	return strings.EqualFold(v, strings.TrimSpace(c.Value)) == (c.Op == Is)
}

func (c Condition) contains(v string) bool {
	in := strings.Contains(strings.ToLower(v), strings.ToLower(strings.TrimSpace(c.Value)))
	return in == (c.Op == Contains)
}

// NormalTag is a tag as the desk stores it: trimmed, lower case, inner
// spaces folded (store.NormalizeTag).
func NormalTag(tag string) string { return strings.ToLower(strings.Join(strings.Fields(tag), " ")) }

// Tags are the tags a definition names, in its conditions and actions: the
// Tags screen shows which rules use a tag.
func (d Definition) Tags() []string {
	var out []string
	add := func(t string) {
		if t = NormalTag(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, g := range d.Groups {
		for _, c := range g.Conditions {
			if c.Subject == OnTag {
				add(c.Value)
			}
		}
	}
	for _, a := range d.Actions {
		if a.Kind == AddTag || a.Kind == RemoveTag {
			add(a.Value)
		}
	}
	return out
}

// RenameTag changes every mention of tag from into to; it reports whether
// there was one.
func (d *Definition) RenameTag(from, to string) bool {
	from, to = NormalTag(from), NormalTag(to)
	changed := false
	for gi := range d.Groups {
		for ci := range d.Groups[gi].Conditions {
			c := &d.Groups[gi].Conditions[ci]
			if c.Subject == OnTag && NormalTag(c.Value) == from {
				c.Value, changed = to, true
			}
		}
	}
	for ai := range d.Actions {
		a := &d.Actions[ai]
		if (a.Kind == AddTag || a.Kind == RemoveTag) && NormalTag(a.Value) == from {
			a.Value, changed = to, true
		}
	}
	return changed
}
