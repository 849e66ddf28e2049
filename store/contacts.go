package store

// Contact is a person who writes in.
type Contact struct {
	ID    int64
	Name  string
	Email string
}
