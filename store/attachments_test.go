package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

func TestAttachments_BackupCarriesTheFiles(t *testing.T) {
	dir := t.TempDir()
	s := openDesk(t, filepath.Join(dir, "desk.db"))
	ctx := context.Background()
	owner := signUpOwner(t, s)
	code, err := s.CreateTicket(ctx, nil, contactInput(addDept(t, s, "Sales"), 1))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AttachToFirstMessage(ctx, code, []NewAttachment{{Filename: "C:\\Users\\carla\\photo.png", Data: []byte("\x89PNG\r\n\x1a\nrest")}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, filepath.Join(dir, "backup.db")); err != nil {
		t.Fatal(err)
	}
	b := openDesk(t, filepath.Join(dir, "backup.db"))
	tk, err := b.TicketByCode(ctx, owner.Viewer(), code)
	if err != nil {
		t.Fatal(err)
	}
	files, err := b.Attachments(ctx, tk.ID)
	if err != nil || len(files) != 1 {
		t.Fatalf("files in the backup: %v, %v", files, err)
	}
	for _, fs := range files {
		f, err := b.TicketAttachment(ctx, owner.Viewer(), code, fs[0].ID)
		if err != nil || string(f.Data) != "\x89PNG\r\n\x1a\nrest" || f.Filename != "photo.png" || f.ContentType != "image/png" {
			t.Fatalf("file %q %q %q, %v", f.Filename, f.ContentType, f.Data, err)
		}
		if _, err := b.CustomerAttachment(ctx, "no-such-token", fs[0].ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a wrong token opened the file: %v", err)
		}
	}
}
