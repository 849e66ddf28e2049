package views

import (
	"context"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/a-h/templ"
	templruntime "github.com/a-h/templ/runtime"

	"helpline/store"
)

// queueRows are the queue's lines (two each in Comfortable); on a phone
// app.css lays each out as a card of subject, requester, status and time.
//
// They are written here rather than in queue.templ because a templ
// expression passes every value through fmt.Sprint (templ.JoinStringErrs):
// fifty rows of twenty values made a third of a built queue page's
// allocations. The markup is the one the template had, byte for byte
// (TestQueueRows_MarkupOfTheTemplate keeps it so); every value is escaped
// as templ escapes it.
func queueRows(tickets []store.Ticket, f QueueFilterValues, d store.Density) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		buf, isBuf := templruntime.GetBuffer(w)
		if !isBuf {
			defer templruntime.ReleaseBuffer(buf)
		}
		rw := rowWriter{ctx: ctx, b: buf, labels: map[string]string{}}
		// What every row says alike is worked out once for the page: each
		// links to its ticket in the same view of the queue, and each
		// checkbox's label is one message around the row's code.
		rw.linkBefore, rw.linkAfter, _ = strings.Cut(PathTicket, ":code")
		if q := f.Query(); len(q) > 0 {
			rw.linkAfter += "?" + q.Encode()
		}
		const mark = "\x00"
		rw.selectBefore, rw.selectAfter, _ = strings.Cut(Tf(ctx, "SelectTicket", map[string]any{"Code": mark}), mark)
		if f, ok := fullTimeFormatOf(ctx); ok {
			rw.fullTime = f
		}
		for i := range tickets {
			rw.row(&tickets[i], d)
		}
		return rw.err
	})
}

// rowWriter writes markup and escaped values, keeping the first error.
type rowWriter struct {
	ctx context.Context
	b   *templruntime.Buffer
	err error
	// labels are the page's words by message id (statuses, priorities),
	// translated once for all its rows.
	labels                    map[string]string
	linkBefore, linkAfter     string // a ticket's link around its code
	selectBefore, selectAfter string // a checkbox's label around the code
	// fullTime is how the rows' times are said in words, nil when FullTime
	// must translate each; scratch is where a time is written.
	fullTime *fullTimeFormat
	scratch  []byte
}

// t is T(ctx, id), once a page.
func (w *rowWriter) t(id string) string {
	s, ok := w.labels[id]
	if !ok {
		s = T(w.ctx, id)
		w.labels[id] = s
	}
	return s
}

func (w *rowWriter) raw(s string) {
	if w.err == nil {
		_, w.err = w.b.WriteString(s)
	}
}

func (w *rowWriter) text(s string) { w.raw(templ.EscapeString(s)) }

func (w *rowWriter) row(t *store.Ticket, d store.Density) {
	ctx := w.ctx
	w.raw(`<tr id="ticket-`)
	w.text(t.Code)
	w.raw(`" class="queue-row queue-row-`)
	w.text(string(t.Status))
	if t.Unread {
		w.raw(` queue-row-unread`)
	}
	w.raw(`"><td class="qc-select"><input type="checkbox" name="code" value="`)
	w.text(t.Code)
	w.raw(`" aria-label="`)
	w.text(w.selectBefore)
	w.text(t.Code)
	w.text(w.selectAfter)
	w.raw(`"></td><td class="queue-subject qc-subject"><div class="queue-line"><a href="`)
	w.text(w.linkBefore)
	w.text(url.PathEscape(t.Code))
	w.text(w.linkAfter)
	w.raw(`" title="`)
	w.text(t.Subject)
	w.raw(`">`)
	w.text(t.Subject)
	w.raw(`</a> <span class="queue-code">`)
	w.text(t.Code)
	w.raw(`</span> `)
	for _, tag := range t.Tags {
		w.raw(`<span class="tag" data-tag="`)
		w.text(tag)
		w.raw(`">`)
		w.text(tag)
		w.raw(`</span>`)
	}
	w.raw(`</div>`)
	if d == store.DensityComfortable {
		w.raw(`<span class="queue-preview muted">`)
		w.text(shown(t.Preview))
		w.raw(`</span>`)
	}
	w.raw(`</td><td class="qc-requester" title="`)
	w.text(t.ContactEmail)
	w.raw(`">`)
	w.text(t.ContactName)
	w.raw(`</td><td class="qc-status"><span class="`)
	w.text(statusBadge(t.Status))
	w.raw(`">`)
	if id, ok := statusLabelIDs[t.Status]; ok {
		w.text(w.t(id))
	} else {
		w.text(string(t.Status))
	}
	w.raw(`</span></td><td class="qc-priority"><span class="priority priority-`)
	w.text(itoa(int(t.Priority)))
	w.raw(`">`)
	w.text(w.t(priorityLabelIDs[t.Priority]))
	w.raw(`</span></td><td class="qc-department">`)
	w.text(t.DepartmentName)
	w.raw(`</td><td class="qc-assignee">`)
	if t.AssigneeID == 0 {
		w.text(w.t("Unassigned"))
	} else {
		w.text(t.AssigneeName)
	}
	w.raw(`</td><td class="qc-created">`)
	w.time(t.CreatedAt, TimeAgo(ctx, t.CreatedAt))
	w.raw(`</td><td class="qc-updated">`)
	w.time(t.UpdatedAt, TimeAgo(ctx, t.UpdatedAt))
	w.raw(`</td><td class="qc-due">`)
	if !t.Due.IsZero() {
		w.time(t.Due, shortTime(ctx, t.Due))
		w.raw(` `)
		if !t.Due.After(time.Now()) {
			w.raw(`<span class="badge badge-danger">`)
			w.text(w.t("SLAOverdue"))
			w.raw(`</span>`)
		}
	}
	w.raw(`</td></tr>`)
}

// time is timeAgo's and timeAt's markup: t with words shown, in full on
// hover.
func (w *rowWriter) time(t time.Time, shown string) {
	w.raw(`<time datetime="`)
	if w.fullTime == nil || t.IsZero() {
		w.text(machineTime(w.ctx, t))
		w.raw(`" title="`)
		w.text(FullTime(w.ctx, t))
	} else {
		w.scratch = t.In(w.fullTime.zone).AppendFormat(w.scratch[:0], time.RFC3339)
		w.text(string(w.scratch))
		w.raw(`" title="`)
		w.scratch = w.fullTime.append(w.scratch[:0], t)
		w.text(string(w.scratch))
	}
	w.raw(`">`)
	w.text(shown)
	w.raw(`</time>`)
}
