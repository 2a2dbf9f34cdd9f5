package dashboard

import "github.com/ibutsu-go/ibutsu/pkg/model"

// The tenancy rule of service_access.go as SQL conditions, for lists: a
// list cannot ask Access row by row, so the same rule is spelled out here
// once and package widgetconfig reuses it.

// accessibleProjects is the SQL set of the projects u may access under
// project.Store.CanAccess (owner or member), with its arguments.
func accessibleProjects(u *model.User) (string, []any) {
	uid := u.ID.String()
	return "SELECT p.id FROM projects p WHERE p.owner_id = ? OR EXISTS (SELECT 1 FROM users_projects up WHERE up.project_id = p.id AND up.user_id = ?)", []any{uid, uid}
}

// MemberScope is the access rule of project.Store.CanAccess as an SQL
// condition on column col (a project id): a project u owns or is a member
// of. It is "" for a superadmin (no restriction) and never true without a
// user. ReadableScope and the widgets' queries share it, so the rule has
// one SQL spelling.
func MemberScope(u *model.User, col string) (string, []any) {
	switch {
	case u == nil:
		return "1 = 0", nil
	case u.IsSuperadmin:
		return "", nil
	}
	set, args := accessibleProjects(u)
	return col + " IN (" + set + ")", args
}

// ReadableScope is the list condition on column col (a project id) for u:
// global rows or rows of projects u may access. It is "" for superadmins
// (no restriction) and never true without a user.
func ReadableScope(u *model.User, col string) (string, []any) {
	cond, args := MemberScope(u, col)
	if u == nil || cond == "" {
		return cond, args
	}
	return "(" + col + " IS NULL OR " + cond + ")", args
}

// ReadableDashboards is the SQL set of the ids of the dashboards u may read
// (for superadmins every dashboard), for conditions on a dashboard_id column.
func ReadableDashboards(u *model.User) (string, []any) {
	cond, args := ReadableScope(u, "d.project_id")
	if cond == "" {
		cond = "1 = 1"
	}
	return "SELECT d.id FROM dashboards d WHERE " + cond, args
}
