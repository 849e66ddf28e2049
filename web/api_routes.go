package web

// apiOps is the HTTP API's route table: every operation with the
// permission it needs, as the console's route table has for pages.
func (s *Server) apiOps() []apiOp {
	var ops []apiOp
	ops = append(ops, s.apiTicketOps()...)
	ops = append(ops, s.apiTeamOps()...)
	ops = append(ops, s.apiContactOps()...)
	return ops
}
