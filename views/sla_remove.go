package views

import (
	"context"
	"strings"

	"helpline/store"
)

// PathSLALevelRemove asks before removing a level (GET) and removes it (POST).
const PathSLALevelRemove = "/config/sla/:id/remove"

// SLALevelRemoveProps is the confirmation of a removal, or why it is refused.
type SLALevelRemoveProps struct {
	Level store.SLALevel
	Use   store.SLALevelUse
}

// slaRemoveBody says what the removal does to the level's tickets.
func slaRemoveBody(ctx context.Context, p SLALevelRemoveProps) string {
	data := map[string]any{"Name": p.Level.Name, "Count": p.Use.Tickets, "Default": p.Use.MovesTo}
	switch {
	case p.Use.Tickets == 0:
		return Tf(ctx, "SLARemoveNoTickets", data)
	case p.Use.MovesTo != "":
		return Tf(ctx, "SLARemoveMovesTickets", data)
	}
	return Tf(ctx, "SLARemoveStopsClocks", data)
}

// slaRemoveRefusal says why the level may not be removed.
func slaRemoveRefusal(ctx context.Context, p SLALevelRemoveProps) string {
	if p.Use.InUse.Default {
		return Tf(ctx, "SLARemoveRefusedDefault", map[string]any{"Name": p.Level.Name})
	}
	return Tf(ctx, "SLARemoveRefusedRules", map[string]any{"Name": p.Level.Name, "Rules": strings.Join(p.Use.InUse.Rules, ", ")})
}
