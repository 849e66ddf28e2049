package mail

import "strings"

// Reason is how a failed send is recorded: the Problem, then the server's
// own words on the next line (for whoever looks closer).
func Reason(err error) (reason string, permanent bool) {
	p, permanent := Explain(err)
	return string(p) + "\n" + err.Error(), permanent
}

// SplitReason takes a recorded reason apart again.
func SplitReason(reason string) (Problem, string) {
	p, detail, _ := strings.Cut(reason, "\n")
	return Problem(p), detail
}
