package views

import (
	"context"
	"strconv"
	"strings"

	"helpline/store"
)

// Paths of file downloads: an agent's (scoped like the ticket) and a
// customer's (through their link).
const (
	PathTicketFile   = "/tickets/:code/files/:id"
	PathCustomerFile = "/c/:token/files/:id"
)

// TicketFilePath is the download of a ticket's file for agents.
func TicketFilePath(code string, id int64) string {
	return TicketActionPath(WithID(PathTicketFile, id), code)
}

// CustomerFilePath is the download of a file through a customer link.
func CustomerFilePath(token string, id int64) string {
	return strings.Replace(CustomerTicketPath(token)+"/files/:id", ":id", strconv.FormatInt(id, 10), 1)
}

// FileLink is one file listed under a message.
type FileLink struct {
	Href string
	Name string
	Size int64
}

// fileSize says a size the way people read it: 12 KB, 3.4 MB.
func fileSize(ctx context.Context, n int64) string {
	switch {
	case n >= 1<<20:
		return Tf(ctx, "SizeMB", map[string]any{"N": strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)})
	case n >= 1<<10:
		return Tf(ctx, "SizeKB", map[string]any{"N": strconv.FormatInt(n>>10, 10)})
	}
	return Tf(ctx, "SizeB", map[string]any{"N": strconv.FormatInt(n, 10)})
}

func ticketFileLinks(files []store.Attachment) []FileLink {
	out := make([]FileLink, len(files))
	for i, a := range files {
		out[i] = FileLink{Href: TicketFilePath(a.TicketCode, a.ID), Name: a.Filename, Size: a.Size}
	}
	return out
}

func customerFileLinks(token string, files []store.Attachment) []FileLink {
	out := make([]FileLink, len(files))
	for i, a := range files {
		out[i] = FileLink{Href: CustomerFilePath(token, a.ID), Name: a.Filename, Size: a.Size}
	}
	return out
}
