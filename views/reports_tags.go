package views

import (
	"net/url"

	"helpline/store"
)

// The Tags tab (SPEC §6.3) and its CSV.
const (
	PathReportsTags    = "/reports/tags"
	PathReportsTagsCSV = "/reports/tags.csv"
)

// Tagged links the tickets created in the period that carry tag now, in
// the report's department and channel. Under an Agent filter the queue can
// narrow to the viewer's own tickets (assigned to me) only: an
// Administrator's report of another agent links nothing.
func (l drillLink) Tagged(tag string) string {
	v := url.Values{"tag": {tag}}
	if l.agent != 0 {
		if l.agent != l.p.Self {
			return ""
		}
		v.Set("assignee", store.AssigneeMe)
	}
	return l.url(DrillCreatedFrom, DrillCreatedTo, "") + "&" + v.Encode()
}
