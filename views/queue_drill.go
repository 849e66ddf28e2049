package views

import (
	"net/url"
	"strconv"
	"time"

	"helpline/store"
)

// DrillParam is one of the queue's drill-down parameters, which a report's
// figure links with (SPEC §6.3): times as RFC 3339 with the desk's offset,
// agents by id.
type DrillParam struct{ Name, Value string }

// The drill-down parameters, in the order the queue writes them.
const (
	DrillCreatedFrom       = "created_from"
	DrillCreatedTo         = "created_to"
	DrillResolvedFrom      = "resolved_from"
	DrillResolvedTo        = "resolved_to"
	DrillResolvedBy        = "resolved_by"
	DrillFirstAnsweredFrom = "first_answered_from"
	DrillFirstAnsweredTo   = "first_answered_to"
	DrillFirstAnsweredBy   = "first_answered_by"
	DrillAnsweredFrom      = "answered_from"
	DrillAnsweredTo        = "answered_to"
	DrillAnsweredBy        = "answered_by"
)

// ParseDrill reads the drill-down from a queue URL. Like the queue's other
// filters, a value that names nothing is dropped, and a range needs both
// ends.
func ParseDrill(q url.Values) ([]DrillParam, store.QueueDrill) {
	var params []DrillParam
	var d store.QueueDrill
	span := func(fromName, toName string, from, to *time.Time) bool {
		f, errF := time.Parse(time.RFC3339, q.Get(fromName))
		t, errT := time.Parse(time.RFC3339, q.Get(toName))
		if errF != nil || errT != nil || !f.Before(t) {
			return false
		}
		*from, *to = f, t
		params = append(params, DrillParam{fromName, q.Get(fromName)}, DrillParam{toName, q.Get(toName)})
		return true
	}
	agent := func(name string, into *int64) {
		if id, err := strconv.ParseInt(q.Get(name), 10, 64); err == nil && id > 0 {
			*into = id
			params = append(params, DrillParam{name, q.Get(name)})
		}
	}
	span(DrillCreatedFrom, DrillCreatedTo, &d.CreatedFrom, &d.CreatedTo)
	if span(DrillResolvedFrom, DrillResolvedTo, &d.ResolvedFrom, &d.ResolvedTo) {
		agent(DrillResolvedBy, &d.ResolvedBy)
	}
	if span(DrillFirstAnsweredFrom, DrillFirstAnsweredTo, &d.FirstAnsweredFrom, &d.FirstAnsweredTo) {
		agent(DrillFirstAnsweredBy, &d.FirstAnsweredBy)
	}
	if span(DrillAnsweredFrom, DrillAnsweredTo, &d.AnsweredFrom, &d.AnsweredTo) {
		agent(DrillAnsweredBy, &d.AnsweredBy)
	}
	return params, d
}

// drillLink builds the queue URL behind one of a report's figures: the
// report's department and channel, and the figure's range and agent.
type drillLink struct {
	p     ReportsProps
	dept  int64
	agent int64
}

func (p ReportsProps) link() drillLink {
	l := drillLink{p: p, dept: p.Query.Department, agent: p.Query.Agent}
	if p.OwnOnly {
		l.agent = p.Self
	}
	return l
}

func (l drillLink) url(fromName, toName, byName string) string {
	q := url.Values{}
	if l.dept != 0 {
		q.Set("department", strconv.FormatInt(l.dept, 10))
	}
	if l.p.Query.Channel != "" {
		q.Set("channel", l.p.Query.Channel)
	}
	q.Set(fromName, l.p.From.Format(time.RFC3339))
	q.Set(toName, l.p.To.Format(time.RFC3339))
	if byName != "" && l.agent != 0 {
		q.Set(byName, strconv.FormatInt(l.agent, 10))
	}
	return PathTickets + "?" + q.Encode()
}

// Created links the tickets created in the period; under an agent (the
// tickets they logged) the queue has no such filter, so it links nothing.
func (l drillLink) Created() string {
	if l.agent != 0 {
		return ""
	}
	return l.url(DrillCreatedFrom, DrillCreatedTo, "")
}

func (l drillLink) Resolved() string {
	return l.url(DrillResolvedFrom, DrillResolvedTo, DrillResolvedBy)
}
func (l drillLink) FirstAnswered() string {
	return l.url(DrillFirstAnsweredFrom, DrillFirstAnsweredTo, DrillFirstAnsweredBy)
}
func (l drillLink) Answered() string {
	return l.url(DrillAnsweredFrom, DrillAnsweredTo, DrillAnsweredBy)
}

// row narrows the link to one line of the Performance report.
func (l drillLink) row(by string, id int64) drillLink {
	if by == string(store.GroupByDepartment) {
		l.dept = id
	} else {
		l.agent = id
	}
	return l
}
