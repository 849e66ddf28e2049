package views

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"helpline/store"
)

// Reports → SLA compliance (SPEC §6.3, docs/SLA.md).
const (
	PathReportsSLA    = "/reports/sla"
	PathReportsSLACSV = "/reports/sla.csv"
)

// SLAReportProps is the SLA compliance tab: a report page with its figures.
type SLAReportProps struct {
	ReportsProps
	SLA store.SLACompliance
}

// SLATargetLabel is a target's name as the SLA screens write it.
func SLATargetLabel(ctx context.Context, t store.SLATarget) string { return slaTargetLabel(ctx, t) }

// The queue's SLA drill-down parameters: the tickets with an outcome of
// sla_target, met or missed (sla_met), in [sla_from, sla_to), stopped by
// sla_by.
const (
	DrillSLATarget = "sla_target"
	DrillSLAMet    = "sla_met"
	DrillSLAFrom   = "sla_from"
	DrillSLATo     = "sla_to"
	DrillSLABy     = "sla_by"
)

// ParseSLADrill reads the SLA drill-down from a queue URL and adds its
// parameters to params, so the queue's form keeps them. Like the other
// filters, a drill-down that names nothing is dropped whole.
func ParseSLADrill(q url.Values, params []DrillParam) ([]DrillParam, store.SLADrill) {
	var d store.SLADrill
	from, errF := time.Parse(time.RFC3339, q.Get(DrillSLAFrom))
	to, errT := time.Parse(time.RFC3339, q.Get(DrillSLATo))
	target := store.SLATarget(q.Get(DrillSLATarget))
	met := q.Get(DrillSLAMet)
	known := false
	for _, t := range store.SLATargets {
		known = known || t == target
	}
	if errF != nil || errT != nil || !from.Before(to) || !known || (met != "met" && met != "missed") {
		return params, d
	}
	d = store.SLADrill{Target: target, Met: met == "met", From: from, To: to}
	for _, name := range []string{DrillSLATarget, DrillSLAMet, DrillSLAFrom, DrillSLATo} {
		params = append(params, DrillParam{name, q.Get(name)})
	}
	if id, err := strconv.ParseInt(q.Get(DrillSLABy), 10, 64); err == nil && id > 0 {
		d.Agent = id
		params = append(params, DrillParam{DrillSLABy, q.Get(DrillSLABy)})
	}
	return params, d
}

// slaLink is the queue URL behind one SLA compliance figure: the report's
// department and channel, or the line's department, and the line's agent
// (an Agent's own line always carries their id).
func (p SLAReportProps) slaLink(dept, agent int64, i int, met bool) string {
	q := url.Values{}
	if dept == 0 {
		dept = p.Query.Department
	}
	if agent == 0 {
		agent = p.Query.Agent
	}
	if p.OwnOnly {
		agent = p.Self
	}
	if dept != 0 {
		q.Set("department", strconv.FormatInt(dept, 10))
	}
	if p.Query.Channel != "" {
		q.Set("channel", p.Query.Channel)
	}
	q.Set(DrillSLATarget, string(store.SLATargets[i]))
	q.Set(DrillSLAMet, map[bool]string{true: "met", false: "missed"}[met])
	q.Set(DrillSLAFrom, p.From.Format(time.RFC3339))
	q.Set(DrillSLATo, p.To.Format(time.RFC3339))
	if agent != 0 {
		q.Set(DrillSLABy, strconv.FormatInt(agent, 10))
	}
	return PathTickets + "?" + q.Encode()
}

// SLAPercent is the share of a target met, "87%", or a dash with nothing
// behind it.
func SLAPercent(ctx context.Context, c store.SLACount) string {
	if c.Total() == 0 {
		return T(ctx, "ReportNoFigure")
	}
	return strconv.FormatInt(c.Met*100/c.Total(), 10) + "%"
}
