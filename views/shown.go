package views

import "helpline/desk"

// shown is text a customer or an agent wrote, as a page displays it: without
// the bidirectional controls that could make it read as something else.
func shown(s string) string { return desk.NeutralBidi(s) }
