package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

// permDescriptions are the plain-language descriptions of the Roles page; a
// test checks every permission has one in every language.
var permDescriptions = map[Perm]string{
	PermProfileEdit:       "PermProfileEdit",
	PermTicketsRead:       "PermTicketsRead",
	PermTicketsReply:      "PermTicketsReply",
	PermTicketsCreate:     "PermTicketsCreate",
	PermTicketsReadAll:    "PermTicketsReadAll",
	PermCannedOwn:         "PermCannedOwn",
	PermReportsOwn:        "PermReportsOwn",
	PermAgentsManage:      "PermAgentsManage",
	PermAgentsRole:        "PermAgentsRole",
	PermAgentsDepartments: "PermAgentsDepartments",
	PermAgentsPassword:    "PermAgentsPassword",
	PermDepartmentsManage: "PermDepartmentsManage",
	PermRolesRead:         "PermRolesRead",
	PermAuditRead:         "PermAuditRead",
	PermReportsAll:        "PermReportsAll",
	PermLanguagesManage:   "PermLanguagesManage",
	PermTicketFilters:     "PermTicketFilters",
	PermTicketFields:      "PermTicketFields",
	PermPluginsManage:     "PermPluginsManage",
	PermBansManage:        "PermBansManage",
	PermAutomationManage:  "PermAutomationManage",
	PermRulesManage:       "PermRulesManage",
	PermCannedDepartments: "PermCannedDepartments",
	PermSettingsManage:    "PermSettingsManage",
	PermOwnersManage:      "PermOwnersManage",
	PermBillingManage:     "PermBillingManage",
}

// rolesMatrix builds the Roles page from rolePerms, the table every route
// is guarded by.
func rolesMatrix() views.RolesProps {
	p := views.RolesProps{Roles: store.Roles}
	for _, perm := range AllPerms {
		row := views.RolePermRow{Name: string(perm), DescID: permDescriptions[perm]}
		for _, r := range store.Roles {
			row.Granted = append(row.Granted, Can(r, perm))
		}
		p.Rows = append(p.Rows, row)
	}
	return p
}

func (s *Server) rolesShow(c echo.Context) error {
	return s.renderConfig(c, http.StatusOK, views.RolesPage(rolesMatrix()), nil)
}
