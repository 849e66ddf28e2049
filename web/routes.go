package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/views"
)

// route is one line of the route table.
type route struct {
	method  string
	path    string
	handler echo.HandlerFunc
	perm    access
}

const staticRoute = "/static/*"

// routes is the route table: every route the console serves, each with the
// permission it needs. Public is stated, never assumed.
func (s *Server) routes() []route {
	return []route{
		{http.MethodGet, views.PathHealth, s.health, Public},
		{http.MethodGet, staticRoute, s.staticFile, Public},

		{http.MethodGet, views.PathSignUp, s.signUpNew, Public},
		{http.MethodPost, views.PathSignUp, s.signUpCreate, Public},
		{http.MethodGet, views.PathSignIn, s.signInNew, Public},
		{http.MethodPost, views.PathSignIn, s.signInCreate, Public},
		{http.MethodGet, views.PathForgot, s.forgotShow, Public},
		{http.MethodPost, views.PathForgot, s.forgotSend, Public},
		{http.MethodPost, views.PathSignOut, s.signOut, Public},
		{http.MethodGet, views.PathSignInCode, s.signInCodeShow, Public},
		{http.MethodPost, views.PathSignInCode, s.signInCodeCheck, Public},
		{http.MethodGet, views.PathSignInEnrol, s.signInEnrolShow, Public},
		{http.MethodPost, views.PathSignInEnrol, s.signInEnrolConfirm, Public},
		{http.MethodPost, views.PathProfileTwoFactor, s.profileTwoFactorStart, need(authz.ProfileEdit)},
		{http.MethodPost, views.PathProfileTwoFactorConfirm, s.profileTwoFactorConfirm, need(authz.ProfileEdit)},
		{http.MethodPost, views.PathAgentTwoFactor, s.agentTwoFactorReset, need(authz.AgentsPassword)},

		{http.MethodGet, views.PathHome, s.home, need(authz.ProfileEdit)},
		{http.MethodGet, views.PathProfile, s.profileShow, need(authz.ProfileEdit)},
		{http.MethodPost, views.PathProfile, s.profileUpdate, need(authz.ProfileEdit)},
		{http.MethodPost, views.PathPassword, s.passwordUpdate, need(authz.ProfileEdit)},

		{http.MethodGet, views.PathSetPassword, s.setPasswordShow, Public},
		{http.MethodPost, views.PathSetPassword, s.setPasswordSave, Public},

		{http.MethodGet, views.PathConfig, s.configIndex, configAccess},
		{http.MethodGet, views.PathAgents, s.agentsList, need(authz.AgentsManage)},
		{http.MethodPost, views.PathAgents, s.agentCreate, need(authz.AgentsManage)},
		{http.MethodGet, views.PathAgentNew, s.agentNew, need(authz.AgentsManage)},
		{http.MethodGet, views.PathAgentEdit, s.agentEdit, need(authz.AgentsManage)},
		{http.MethodPost, views.PathAgent, s.agentUpdate, need(authz.AgentsManage)},
		{http.MethodPost, views.PathAgentRole, s.agentRoleUpdate, need(authz.AgentsRole)},
		{http.MethodGet, views.PathAgentRemove, s.agentRemoveConfirm, need(authz.AgentsManage)},
		{http.MethodPost, views.PathAgentRemove, s.agentRemove, need(authz.AgentsManage)},
		{http.MethodPost, views.PathAgentStatus, s.agentStatusUpdate, need(authz.AgentsManage)},
		{http.MethodPost, views.PathAgentPassword, s.agentPasswordReset, need(authz.AgentsPassword)},
		{http.MethodPost, views.PathAgentCreator, s.agentMakeCreator, need(authz.OwnersManage)},
		{http.MethodGet, views.PathRoles, s.rolesShow, need(authz.RolesRead)},
		{http.MethodGet, views.PathRoleNew, s.roleNew, need(authz.RolesManage)},
		{http.MethodPost, views.PathRoles, s.roleCreate, need(authz.RolesManage)},
		{http.MethodGet, views.PathRole, s.roleEdit, need(authz.RolesManage)},
		{http.MethodPost, views.PathRole, s.roleUpdate, need(authz.RolesManage)},
		{http.MethodGet, views.PathRoleRemove, s.roleRemoveConfirm, need(authz.RolesManage)},
		{http.MethodPost, views.PathRoleRemove, s.roleRemove, need(authz.RolesManage)},
		{http.MethodGet, views.PathGeneral, s.generalShow, need(authz.SettingsManage)},
		{http.MethodPost, views.PathGeneral, s.generalSave, need(authz.SettingsManage)},
		{http.MethodGet, views.PathSecurity, s.securityShow, need(authz.SecurityManage)},
		{http.MethodPost, views.PathSecurity, s.securitySave, need(authz.SecurityManage)},
		{http.MethodGet, views.PathPlugins, s.pluginsList, need(authz.PluginsManage)},
		{http.MethodGet, views.PathSearchReplace, s.searchReplaceShow, need(authz.PluginsManage)},
		{http.MethodPost, views.PathSearchReplaceActive, s.searchReplaceActive, need(authz.PluginsManage)},
		{http.MethodPost, views.PathSearchReplaceRules, s.searchReplaceAdd, need(authz.PluginsManage)},
		{http.MethodPost, views.PathSearchReplaceRuleRemove, s.searchReplaceRemove, need(authz.PluginsManage)},
		{http.MethodPost, views.PathSearchReplaceTest, s.searchReplaceTest, need(authz.PluginsManage)},
		{http.MethodGet, views.PathAudit, s.auditShow, need(authz.AuditRead)},
		{http.MethodGet, views.PathLanguages, s.languagesShow, need(authz.LanguagesManage)},
		{http.MethodPost, views.PathLanguages, s.languagesSave, need(authz.LanguagesManage)},
		{http.MethodGet, views.PathAnswers, s.answersList, need(authz.CannedManageOwn)},
		{http.MethodPost, views.PathAnswers, s.answerCreate, need(authz.CannedManageOwn)},
		{http.MethodGet, views.PathAnswerNew, s.answerNew, need(authz.CannedManageOwn)},
		{http.MethodGet, views.PathAnswer, s.answerEdit, need(authz.CannedManageOwn)},
		{http.MethodPost, views.PathAnswer, s.answerUpdate, need(authz.CannedManageOwn)},
		{http.MethodGet, views.PathAnswerRemove, s.answerRemoveConfirm, need(authz.CannedManageOwn)},
		{http.MethodPost, views.PathAnswerRemove, s.answerRemove, need(authz.CannedManageOwn)},
		{http.MethodGet, views.PathTags, s.tagsList, need(authz.TagsManage)},
		{http.MethodPost, views.PathTags, s.tagCreate, need(authz.TagsManage)},
		{http.MethodGet, views.PathTagNew, s.tagNew, need(authz.TagsManage)},
		{http.MethodGet, views.PathTag, s.tagEdit, need(authz.TagsManage)},
		{http.MethodPost, views.PathTag, s.tagUpdate, need(authz.TagsManage)},
		{http.MethodGet, views.PathTagMerge, s.tagMergeForm, need(authz.TagsManage)},
		{http.MethodPost, views.PathTagMerge, s.tagMerge, need(authz.TagsManage)},
		{http.MethodGet, views.PathTagRemove, s.tagRemoveConfirm, need(authz.TagsManage)},
		{http.MethodPost, views.PathTagRemove, s.tagRemove, need(authz.TagsManage)},
		{http.MethodGet, views.PathEmail, s.emailShow, need(authz.ChannelsManage)},
		{http.MethodPost, views.PathEmail, s.emailSave, need(authz.ChannelsManage)},
		{http.MethodPost, views.PathEmailTest, s.emailTest, need(authz.ChannelsManage)},
		{http.MethodPost, views.PathMailboxes, s.mailboxAdd, need(authz.ChannelsManage)},
		{http.MethodPost, views.PathMailboxCheck, s.mailboxCheck, need(authz.ChannelsManage)},
		{http.MethodPost, views.PathMailboxRemove, s.mailboxRemove, need(authz.ChannelsManage)},
		{http.MethodGet, views.PathWebhooks, s.webhooksList, need(authz.SettingsManage)},
		{http.MethodPost, views.PathWebhooks, s.webhookCreate, need(authz.SettingsManage)},
		{http.MethodGet, views.PathWebhookNew, s.webhookNew, need(authz.SettingsManage)},
		{http.MethodGet, views.PathWebhook, s.webhookEdit, need(authz.SettingsManage)},
		{http.MethodPost, views.PathWebhook, s.webhookUpdate, need(authz.SettingsManage)},
		{http.MethodGet, views.PathWebhookRemove, s.webhookRemoveConfirm, need(authz.SettingsManage)},
		{http.MethodPost, views.PathWebhookRemove, s.webhookRemove, need(authz.SettingsManage)},
		{http.MethodGet, views.PathWebhookDeliveries, s.webhookDeliveries, need(authz.SettingsManage)},
		{http.MethodPost, views.PathWebhookRedeliver, s.webhookRedeliver, need(authz.SettingsManage)},
		{http.MethodGet, views.PathRules, s.rulesList, need(authz.RulesManage)},
		{http.MethodPost, views.PathRules, s.ruleCreate, need(authz.RulesManage)},
		{http.MethodGet, views.PathRuleNew, s.ruleNew, need(authz.RulesManage)},
		{http.MethodGet, views.PathRule, s.ruleEdit, need(authz.RulesManage)},
		{http.MethodPost, views.PathRule, s.ruleUpdate, need(authz.RulesManage)},
		{http.MethodPost, views.PathRuleToggle, s.ruleToggle, need(authz.RulesManage)},
		{http.MethodPost, views.PathRuleMove, s.ruleMove, need(authz.RulesManage)},
		{http.MethodGet, views.PathRuleRemove, s.ruleRemoveConfirm, need(authz.RulesManage)},
		{http.MethodPost, views.PathRuleRemove, s.ruleRemove, need(authz.RulesManage)},
		{http.MethodGet, views.PathTimeRules, s.timeRulesList, need(authz.RulesManage)},
		{http.MethodPost, views.PathTimeRules, s.timeRuleCreate, need(authz.RulesManage)},
		{http.MethodGet, views.PathTimeRuleNew, s.timeRuleNew, need(authz.RulesManage)},
		{http.MethodGet, views.PathTimeRule, s.timeRuleEdit, need(authz.RulesManage)},
		{http.MethodPost, views.PathTimeRule, s.timeRuleUpdate, need(authz.RulesManage)},
		{http.MethodPost, views.PathTimeRuleToggle, s.timeRuleToggle, need(authz.RulesManage)},
		{http.MethodPost, views.PathTimeRuleMove, s.timeRuleMove, need(authz.RulesManage)},
		{http.MethodGet, views.PathTimeRuleRemove, s.timeRuleRemoveConfirm, need(authz.RulesManage)},
		{http.MethodPost, views.PathTimeRuleRemove, s.timeRuleRemove, need(authz.RulesManage)},
		{http.MethodGet, views.PathDepartments, s.departmentsList, need(authz.DepartmentsManage)},
		{http.MethodPost, views.PathDepartments, s.departmentCreate, need(authz.DepartmentsManage)},
		{http.MethodGet, views.PathDepartmentNew, s.departmentNew, need(authz.DepartmentsManage)},
		{http.MethodGet, views.PathDepartment, s.departmentEdit, need(authz.DepartmentsManage)},
		{http.MethodPost, views.PathDepartment, s.departmentUpdate, need(authz.DepartmentsManage)},
		{http.MethodPost, views.PathDepartmentMembers, s.departmentMembersSave, need(authz.DepartmentsManage)},
		{http.MethodGet, views.PathDepartmentRemove, s.departmentRemoveConfirm, need(authz.DepartmentsManage)},
		{http.MethodPost, views.PathDepartmentRemove, s.departmentRemove, need(authz.DepartmentsManage)},

		{http.MethodGet, views.PathTickets, s.openTypedCode(s.queueShow), need(authz.TicketsRead)},
		{http.MethodPost, views.PathTicketBulk, s.queueBulk, need(authz.TicketsReply)},
		{http.MethodPost, views.PathTicketDensity, s.queueDensity, need(authz.TicketsRead)},
		{http.MethodGet, views.PathTicketNew, s.ticketNew, need(authz.TicketsCreate)},
		{http.MethodPost, views.PathTicketNew, s.ticketCreate, need(authz.TicketsCreate)},
		{http.MethodGet, views.PathTicket, s.ticketShow, need(authz.TicketsRead)},
		{http.MethodPost, views.PathTicketMessages, s.ticketMessage, need(authz.TicketsReply)},
		{http.MethodGet, views.PathTicketDelete, s.ticketDeleteConfirm, need(authz.TicketsReply)},
		{http.MethodPost, views.PathTicketDelete, s.ticketDelete, need(authz.TicketsReply)},
		{http.MethodPost, views.PathTicketAssign, s.ticketAssign, need(authz.TicketsReply)},
		{http.MethodPost, views.PathTicketTransfer, s.ticketTransfer, need(authz.TicketsReply)},
		{http.MethodPost, views.PathTicketStatus, s.ticketStatus, need(authz.TicketsReply)},
		{http.MethodPost, views.PathTicketPostpone, s.ticketPostpone, need(authz.TicketsReply)},
		{http.MethodPost, views.PathTicketTags, s.ticketTagAdd, need(authz.TicketsReply)},
		{http.MethodPost, views.PathTicketTagRemove, s.ticketTagRemove, need(authz.TicketsReply)},
		{http.MethodGet, views.PathTicketEdit, s.ticketEdit, need(authz.TicketsEdit)},
		{http.MethodPost, views.PathTicketEdit, s.ticketUpdate, need(authz.TicketsEdit)},
		{http.MethodGet, views.PathTicketMerge, s.ticketMergeForm, need(authz.TicketsMerge)},
		{http.MethodPost, views.PathTicketMerge, s.ticketMerge, need(authz.TicketsMerge)},
		{http.MethodPost, views.PathTicketPresence, s.ticketPresence, need(authz.TicketsRead)},
		{http.MethodPost, views.PathTicketLeave, s.ticketLeave, need(authz.TicketsRead)},
		{http.MethodGet, views.PathNotifications, s.notificationsShow, need(authz.TicketsRead)},
		{http.MethodPost, views.PathNotificationsRead, s.notificationsReadAll, need(authz.TicketsRead)},
		{http.MethodGet, views.PathContacts, s.contactsList, need(authz.ContactsRead)},
		{http.MethodGet, views.PathContactCard, s.contactShow, need(authz.ContactsRead)},
		{http.MethodGet, views.PathContactEdit, s.contactEdit, need(authz.ContactsEdit)},
		{http.MethodPost, views.PathContactCard, s.contactUpdate, need(authz.ContactsEdit)},
		{http.MethodPost, views.PathContactMerge, s.contactMerge, need(authz.ContactsEdit)},
		{http.MethodGet, views.PathContactRemove, s.contactRemoveConfirm, need(authz.ContactsRemove)},
		{http.MethodPost, views.PathContactRemove, s.contactRemove, need(authz.ContactsRemove)},
		{http.MethodGet, views.PathAccount, s.accountShow, need(authz.BillingManage)},
		{http.MethodGet, views.PathAccountPlan, s.planShow, need(authz.BillingManage)},
		{http.MethodPost, views.PathAccountPlan, s.planChange, need(authz.BillingManage)},
		{http.MethodGet, views.PathAccountInvoices, s.invoicesList, need(authz.BillingManage)},
		{http.MethodGet, views.PathAccountInvoice, s.invoiceShow, need(authz.BillingManage)},
		{http.MethodGet, views.PathAccountPDF, s.invoicePDF, need(authz.BillingManage)},
		{http.MethodPost, views.PathAccountPayments, s.paymentCreate, need(authz.BillingManage)},
		{http.MethodPost, views.PathAccountCredit, s.creditNoteCreate, need(authz.BillingManage)},
		{http.MethodGet, views.PathAccountBilling, s.billingInfoShow, need(authz.BillingManage)},
		{http.MethodPost, views.PathAccountBilling, s.billingInfoSave, need(authz.BillingManage)},
		{http.MethodGet, views.PathAccountStop, s.stopConfirm, need(authz.BillingManage)},
		{http.MethodPost, views.PathAccountStop, s.stopAccount, need(authz.BillingManage)},
		{http.MethodPost, views.PathAccountResume, s.resumeAccount, need(authz.BillingManage)},

		{http.MethodGet, views.PathTicketAnswers, s.ticketAnswerList, need(authz.TicketsReply)},
		{http.MethodPost, views.PathTicketAnswer, s.ticketAnswerInsert, need(authz.TicketsReply)},
		{http.MethodGet, views.PathTagColours, s.tagColours, need(authz.TicketsRead)},
		{http.MethodPost, views.PathTicketFieldValues, s.ticketFieldsSave, need(authz.TicketsReply)},
		{http.MethodGet, views.PathTicketFields, s.ticketFieldsList, need(authz.TicketFieldsManage)},
		{http.MethodPost, views.PathTicketFields, s.ticketFieldCreate, need(authz.TicketFieldsManage)},
		{http.MethodGet, views.PathTicketFieldNew, s.ticketFieldNew, need(authz.TicketFieldsManage)},
		{http.MethodGet, views.PathTicketField, s.ticketFieldEdit, need(authz.TicketFieldsManage)},
		{http.MethodPost, views.PathTicketField, s.ticketFieldUpdate, need(authz.TicketFieldsManage)},
		{http.MethodPost, views.PathTicketFieldMove, s.ticketFieldMove, need(authz.TicketFieldsManage)},
		{http.MethodGet, views.PathTicketFieldRemove, s.ticketFieldRemoveConfirm, need(authz.TicketFieldsManage)},
		{http.MethodPost, views.PathTicketFieldRemove, s.ticketFieldRemove, need(authz.TicketFieldsManage)},
		{http.MethodGet, views.PathSavedViews, s.savedViewsShow, need(authz.TicketsRead)},
		{http.MethodPost, views.PathSavedViews, s.savedViewCreate, need(authz.TicketsRead)},
		{http.MethodPost, views.PathSavedView, s.savedViewRename, need(authz.TicketsRead)},
		{http.MethodPost, views.PathSavedViewMove, s.savedViewMove, need(authz.TicketsRead)},
		{http.MethodGet, views.PathSavedViewCount, s.savedViewCount, need(authz.TicketsRead)},
		{http.MethodGet, views.PathSavedViewRemove, s.savedViewRemoveConfirm, need(authz.TicketsRead)},
		{http.MethodPost, views.PathSavedViewRemove, s.savedViewRemove, need(authz.TicketsRead)},
		{http.MethodGet, views.PathContact, s.inDefaultLanguage(s.contactNew), Public},
		{http.MethodPost, views.PathContact, s.inDefaultLanguage(s.contactCreate), Public},
		{http.MethodGet, views.PathContactSent, s.inDefaultLanguage(s.contactSent), Public},
		{http.MethodGet, views.PathCustomerTicket, s.customerTicketShow, Public},
		{http.MethodPost, views.PathCustomerTicket, s.customerTicketReply, Public},
		{http.MethodPost, views.PathTicketCustomerLink, s.ticketCustomerLinkReset, need(authz.TicketsReply)},
		{http.MethodPost, views.PathTicketMailRetry, s.ticketMailRetry, need(authz.TicketsReply)},
		{http.MethodGet, views.PathTicketFile, s.ticketFile, need(authz.TicketsRead)},
		{http.MethodGet, views.PathCustomerFile, s.customerFile, Public},

		{http.MethodGet, views.PathAPITokens, s.apiTokensShow, need(authz.ProfileEdit)},
		{http.MethodPost, views.PathAPITokens, s.apiTokenCreate, need(authz.ProfileEdit)},
		{http.MethodPost, views.PathAPITokenRevoke, s.apiTokenRevoke, need(authz.ProfileEdit)},
		{http.MethodGet, views.PathConfigAPITokens, s.configAPITokensShow, need(authz.APITokensManageAll)},
		{http.MethodPost, views.PathConfigAPITokenRevoke, s.configAPITokenRevoke, need(authz.APITokensManageAll)},
		{http.MethodGet, views.PathBans, s.bansShow, need(authz.BansManage)},
		{http.MethodPost, views.PathBans, s.banCreate, need(authz.BansManage)},
		{http.MethodPost, views.PathBanUnban, s.banLift, need(authz.BansManage)},
		{http.MethodGet, views.PathAuditExport, s.auditExport, need(authz.AuditRead)},
		// Reports (SPEC §6.3): the store keeps an Agent to their own figures.
		{http.MethodGet, views.PathReports, s.reportOverview, reportsAccess},
		{http.MethodGet, views.PathReportsPerformance, s.reportPerformance, reportsAccess},
		{http.MethodGet, views.PathReportsOverviewCSV, s.reportOverviewCSV, reportsAccess},
		{http.MethodGet, views.PathReportsPerformanceCSV, s.reportPerformanceCSV, reportsAccess},
		{http.MethodGet, views.PathReportsTicketsCSV, s.reportTicketsCSV, reportsAccess},
		{http.MethodGet, views.PathReportsLoad, s.reportLoad, reportsAccess},
		{http.MethodGet, views.PathReportsLoadCSV, s.reportLoadCSV, reportsAccess},
		{http.MethodGet, views.PathReportsTags, s.reportTags, reportsAccess},
		{http.MethodGet, views.PathReportsTagsCSV, s.reportTagsCSV, reportsAccess},
		{http.MethodGet, views.PathReportsSLA, s.reportSLA, reportsAccess},
		{http.MethodGet, views.PathReportsSLACSV, s.reportSLACSV, reportsAccess},

		{http.MethodGet, views.PathSLALevels, s.slaLevelsList, need(authz.SLAManage)},
		{http.MethodPost, views.PathSLALevels, s.slaLevelCreate, need(authz.SLAManage)},
		{http.MethodGet, views.PathSLALevelNew, s.slaLevelNew, need(authz.SLAManage)},
		{http.MethodGet, views.PathSLALevel, s.slaLevelEdit, need(authz.SLAManage)},
		{http.MethodPost, views.PathSLALevel, s.slaLevelUpdate, need(authz.SLAManage)},
		{http.MethodGet, views.PathSLALevelRemove, s.slaLevelRemoveConfirm, need(authz.SLAManage)},
		{http.MethodPost, views.PathSLALevelRemove, s.slaLevelRemove, need(authz.SLAManage)},
	}
}

// reportsAccess opens the reports to whoever reads their own or everyone's.
var reportsAccess = need(authz.ReportsReadOwn, authz.ReportsReadAll)

// navItem is one entry of the top navigation, shown to those who hold perm.
type navItem struct {
	labelID string
	path    string
	perm    access
}

// navigation lists the top navigation in order; a test checks each path is
// a registered GET route guarded by the same permission.
var navigation = []navItem{
	{"NavTickets", views.PathTickets, need(authz.TicketsRead)},
	{"NavContacts", views.PathContacts, need(authz.ContactsRead)},
	{"NavReports", views.PathReports, reportsAccess},
	{"NavConfiguration", views.PathConfig, configAccess},
	{"NavMyAccount", views.PathAccount, need(authz.BillingManage)},
}

// register adds the table to the router, guarding each route with its
// permission. A route without one stops the server from starting.
func (s *Server) register(table []route) error {
	seen := map[string]bool{}
	for _, r := range table {
		if !r.perm.declared() {
			return fmt.Errorf("web: route %s %s declares no permission", r.method, r.path)
		}
		if r.handler == nil {
			return fmt.Errorf("web: route %s %s has no handler", r.method, r.path)
		}
		key := r.method + " " + r.path
		if seen[key] {
			return fmt.Errorf("web: route %s registered twice", key)
		}
		seen[key] = true
		s.e.Add(r.method, r.path, s.guard(r.perm, s.stillOpen(r, r.handler)))
	}
	return nil
}

// guard lets a request through only when the signed-in user holds perm.
// Anonymous users are sent to sign in; others get 403.
func (s *Server) guard(perm access, h echo.HandlerFunc) echo.HandlerFunc {
	if perm.public {
		return h
	}
	return func(c echo.Context) error {
		u := currentUser(c)
		if u == nil {
			return errSignInRequired
		}
		if !perm.allows(u.Perms) {
			return echo.ErrForbidden
		}
		return h(c)
	}
}

// navFor builds the navigation the user may open.
func navFor(u *views.CurrentUser) []views.NavItem {
	if u == nil {
		return nil
	}
	var out []views.NavItem
	for _, n := range navigation {
		if n.perm.allows(u.Perms) {
			out = append(out, views.NavItem{LabelID: n.labelID, Path: n.path})
		}
	}
	return out
}
