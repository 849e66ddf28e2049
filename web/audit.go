package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

const auditPerPage = 50

// auditActionLabels name the audit actions in the log; others show raw.
var auditActionLabels = map[store.AuditAction]string{
	store.ActionSignUp:                     "AuditSignUp",
	store.ActionSignIn:                     "AuditSignIn",
	store.ActionSignInFailed:               "AuditSignInFailed",
	store.ActionSignOut:                    "AuditSignOut",
	store.ActionProfileUpdate:              "AuditProfileUpdate",
	store.ActionPasswordChange:             "AuditPasswordChange",
	store.ActionAgentCreate:                "AuditAgentCreate",
	store.ActionAgentUpdate:                "AuditAgentUpdate",
	store.ActionAgentRole:                  "AuditAgentRole",
	store.ActionAgentDisable:               "AuditAgentDisable",
	store.ActionAgentEnable:                "AuditAgentEnable",
	store.ActionAgentRemove:                "AuditAgentRemove",
	store.ActionAgentPasswordReset:         "AuditAgentPasswordReset",
	store.ActionAgentPasswordResetOnServer: "AuditAgentPasswordResetOnServer",
	store.ActionAgentPasswordSet:           "AuditAgentPasswordSet",
	store.ActionAgentDepartments:           "AuditAgentDepartments",
	store.ActionAccountCreator:             "AuditAccountCreator",
	store.ActionDepartmentCreate:           "AuditDepartmentCreate",
	store.ActionDepartmentUpdate:           "AuditDepartmentUpdate",
	store.ActionDepartmentRemove:           "AuditDepartmentRemove",
	store.ActionDepartmentMember:           "AuditDepartmentMember",
	store.ActionDepartmentMembers:          "AuditDepartmentMembers",
	store.ActionDepartmentMemberRemove:     "AuditDepartmentMemberRemove",
	store.ActionRoleCreate:                 "AuditRoleCreate",
	store.ActionRoleUpdate:                 "AuditRoleUpdate",
	store.ActionRoleRemove:                 "AuditRoleRemove",
	store.ActionDeskMove:                   "AuditDeskMove",
	store.ActionSettingsUpdate:             "AuditSettingsUpdate",
	store.ActionContactMerge:               "AuditContactMerge",
	store.ActionContactAnonymise:           "AuditContactAnonymise",
	store.ActionSecuritySettings:           "AuditSecuritySettings",
	store.ActionPasswordExpired:            "AuditPasswordExpired",
	store.ActionTwoFactorOn:                "AuditTwoFactorOn",
	store.ActionTwoFactorReset:             "AuditTwoFactorReset",
	store.ActionRecoveryCodeUsed:           "AuditRecoveryCodeUsed",
	store.ActionTwoFactorFailed:            "AuditTwoFactorFailed",
	store.ActionPluginActive:               "AuditPluginActive",
	store.ActionSearchReplaceAdd:           "AuditSearchReplaceAdd",
	store.ActionSearchReplaceDrop:          "AuditSearchReplaceRemove",
}

func (s *Server) auditShow(c echo.Context) error {
	ctx := c.Request().Context()
	p, f, err := s.auditFilter(c)
	if err != nil {
		return err
	}
	if len(p.Errors) > 0 {
		return s.renderConfig(c, http.StatusUnprocessableEntity, views.AuditPage(p), nil)
	}
	p.Before = queryID(c, "before")
	entries, err := s.st.AuditPage(ctx, f, p.Before, auditPerPage+1)
	if err != nil {
		return err
	}
	for i, e := range entries {
		if i == auditPerPage {
			p.Next = entries[i-1].ID
			break
		}
		p.Rows = append(p.Rows, views.AuditRow{At: e.At, Actor: e.ActorName, ActionID: auditActionLabels[e.Action],
			Action: string(e.Action), Details: e.Details, IP: e.IP})
	}
	return s.renderConfig(c, http.StatusOK, views.AuditPage(p), nil)
}
