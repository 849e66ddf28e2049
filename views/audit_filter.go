package views

import (
	"net/url"
	"strconv"
)

// PathAuditExport is the audit log as CSV, with the page's filters.
const PathAuditExport = "/config/audit/export.csv"

// AuditFilterValues are the audit log's filters as given in the URL.
type AuditFilterValues struct {
	Who   string // "", AuditNobody or an agent's id
	What  string // "" or an action
	From  string // a date, 2006-01-02
	Until string // a date, included
}

// AuditNobody is Who for entries made by nobody signed in.
const AuditNobody = "nobody"

func (v AuditFilterValues) query() url.Values {
	q := url.Values{}
	for k, val := range map[string]string{"who": v.Who, "what": v.What, "from": v.From, "until": v.Until} {
		if val != "" {
			q.Set(k, val)
		}
	}
	return q
}

// AuditOption is one choice of a filter.
type AuditOption struct {
	Value, Label string
}

// AuditPagePath is the audit log with the filters, from before on.
func (v AuditFilterValues) AuditPagePath(before int64) string {
	q := v.query()
	if before > 0 {
		q.Set("before", strconv.FormatInt(before, 10))
	}
	if len(q) == 0 {
		return PathAudit
	}
	return PathAudit + "?" + q.Encode()
}

// ExportPath is the CSV of what the filters select.
func (v AuditFilterValues) ExportPath() string {
	if q := v.query(); len(q) > 0 {
		return PathAuditExport + "?" + q.Encode()
	}
	return PathAuditExport
}
