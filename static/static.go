// Package static embeds the console's CSS, JavaScript and images and names
// each file by a hash of its content, so browsers may keep it for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"
)

//go:embed css js img
var files embed.FS

// File is one embedded static file.
type File struct {
	Name        string
	Body        []byte
	Hash        string
	ContentType string
}

var byName = map[string]*File{}

func init() {
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		byName[p] = &File{Name: p, Body: body, Hash: hex.EncodeToString(sum[:])[:12], ContentType: ct}
		return nil
	})
	if err != nil {
		panic(err)
	}
}

// Prefix is where static files are served.
const Prefix = "/static/"

// URL returns the content-hashed URL of the named file, e.g. "css/app.css".
// An unknown name panics: a page must never link to a missing file.
func URL(name string) string {
	f, ok := byName[name]
	if !ok {
		panic("static: no file " + name)
	}
	return Prefix + f.Hash + "/" + name
}

// Lookup finds the file a URL path (after Prefix) names. current reports
// whether the hash in the URL is the file's present hash.
func Lookup(rest string) (f *File, current bool) {
	hash, name, ok := strings.Cut(rest, "/")
	if !ok {
		return nil, false
	}
	f, found := byName[name]
	if !found {
		return nil, false
	}
	return f, f.Hash == hash
}
