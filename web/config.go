package web

import (
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/views"
)

// configSections lists the Configuration pages in order, each with the
// permission its route needs; the sub-navigation shows only those the user
// may open, and /config opens the first of them.
var configSections = []navItem{
	{"ConfigAgents", views.PathAgents, need(authz.AgentsManage)},
	{"ConfigDepartments", views.PathDepartments, need(authz.DepartmentsManage)},
	{"ConfigRoles", views.PathRoles, need(authz.RolesRead)},
	{"ConfigAnswers", views.PathAnswers, need(authz.CannedManageOwn)},
	{"ConfigTags", views.PathTags, need(authz.TagsManage)},
	{"ConfigTicketFields", views.PathTicketFields, need(authz.TicketFieldsManage)},
	{"ConfigGeneral", views.PathGeneral, need(authz.SettingsManage)},
	{"ConfigLanguages", views.PathLanguages, need(authz.LanguagesManage)},
	{"ConfigSecurity", views.PathSecurity, need(authz.SecurityManage)},
	{"ConfigBans", views.PathBans, need(authz.BansManage)},
	{"ConfigPlugins", views.PathPlugins, need(authz.PluginsManage)},
	{"ConfigEmail", views.PathEmail, need(authz.ChannelsManage)},
	{"ConfigWebhooks", views.PathWebhooks, need(authz.SettingsManage)},
	{"ConfigAudit", views.PathAudit, need(authz.AuditRead)},
	{"ConfigAPITokens", views.PathConfigAPITokens, need(authz.APITokensManageAll)},
	{"ConfigSLA", views.PathSLALevels, need(authz.SLAManage)},
	{"ConfigRules", views.PathRules, need(authz.RulesManage)},
	{"ConfigTimeRules", views.PathTimeRules, need(authz.RulesManage)},
}

// configAccess opens Configuration to whoever may open one of its sections.
var configAccess = func() access {
	var a access
	for _, n := range configSections {
		a.anyOf = append(a.anyOf, n.perm.anyOf...)
	}
	return a
}()

func configNavFor(perms authz.Set) []views.NavItem {
	var out []views.NavItem
	for _, n := range configSections {
		if n.perm.allows(perms) {
			out = append(out, views.NavItem{LabelID: n.labelID, Path: n.path})
		}
	}
	return out
}

// renderConfig renders a Configuration page with its sub-navigation.
func (s *Server) renderConfig(c echo.Context, status int, page, fragment templ.Component) error {
	if u := currentUser(c); u != nil {
		ctx := views.WithConfigNav(c.Request().Context(), configNavFor(u.Perms))
		if isConfigSection(c) {
			steps, _, err := s.setupSteps(c)
			if err != nil {
				return err
			}
			ctx = views.WithSetup(ctx, steps)
		}
		c.SetRequest(c.Request().WithContext(ctx))
	}
	return s.render(c, status, page, fragment)
}

// configIndex opens the first Configuration section the user may open.
func (s *Server) configIndex(c echo.Context) error {
	nav := configNavFor(currentUser(c).Perms)
	if len(nav) == 0 {
		return echo.ErrForbidden
	}
	return s.redirect(c, nav[0].Path)
}

// pathID reads the :id parameter; a malformed one is a page that does not exist.
func pathID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.ErrNotFound
	}
	return id, nil
}

// queryID reads a positive ID from the query string (0 when absent or bad).
func queryID(c echo.Context, name string) int64 {
	id, err := strconv.ParseInt(c.QueryParam(name), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}
