package backend_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

func TestAdminUsers(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		sa, adm := e.Admin.ID.String(), e.AdminToken
		// Only a superadmin lists users, sorted by e-mail, each with projects.
		if r := e.Do("GET", "/api/admin/user", nil, e.UserToken); r.Code != 403 || !isProblem(r) {
			t.Fatalf("non-SA list: %d %s", r.Code, r.Body)
		}
		r := e.Do("GET", "/api/admin/user", nil, adm)
		list := r.Map()
		users := list["users"].([]any)
		if r.Code != 200 || len(users) != 2 || users[0].(map[string]any)["email"] != "admin@example.com" || users[1].(map[string]any)["email"] != "user@example.com" {
			t.Fatalf("list: %d %s", r.Code, r.Body)
		}
		if ps, ok := users[1].(map[string]any)["projects"].([]any); !ok || len(ps) != 1 || ps[0].(map[string]any)["id"] != e.p1 {
			t.Fatalf("projects of user: %v", users[1])
		}
		if strings.Contains(r.Body.String(), "password") || strings.Contains(r.Body.String(), "activation_code") {
			t.Fatalf("secrets leaked: %s", r.Body)
		}
		if r = e.Do("GET", "/api/admin/user?filter=email~user", nil, adm); len(r.Map()["users"].([]any)) != 1 {
			t.Fatalf("filter: %s", r.Body)
		}
		// A superadmin cannot delete themselves.
		if r = e.Do("DELETE", "/api/admin/user/"+sa, nil, adm); r.Code != 400 || !isProblem(r) || !strings.Contains(r.Body.String(), "Cannot delete yourself") {
			t.Fatalf("delete self: %d %s", r.Code, r.Body)
		}
		// Create: defaults inactive/normal; duplicate e-mail.
		r = e.Do("POST", "/api/admin/user", map[string]any{"email": "made@example.com", "name": "Made", "password": "made-pw"}, adm)
		made := r.Map()
		if r.Code != 201 || made["is_active"] != false || made["is_superadmin"] != false || made["projects"] != nil {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		madeID := made["id"].(string)
		cases := []statusCase{
			{"dup email", "POST", "/api/admin/user", map[string]any{"email": "made@example.com"}, adm, 400, "The user with email made@example.com already exists"},
			{"no email", "POST", "/api/admin/user", map[string]any{"name": "x"}, adm, 400, "required"},
			{"bad email", "POST", "/api/admin/user", map[string]any{"email": "x"}, adm, 400, "email"},
			{"bad group", "POST", "/api/admin/user", map[string]any{"email": "g@example.com", "group_id": uuid.NewString()}, adm, 400, "doesn't exist"},
			{"bad bool", "POST", "/api/admin/user", map[string]any{"email": "b@example.com", "is_active": "yes"}, adm, 400, "is_active"},
			{"non-SA create", "POST", "/api/admin/user", map[string]any{"email": "z@example.com"}, e.UserToken, 403, "permission"},
			{"get bad uuid before role", "GET", "/api/admin/user/nope", nil, e.UserToken, 400, "is not a valid UUID"},
			{"get non-SA", "GET", "/api/admin/user/" + madeID, nil, e.UserToken, 403, ""},
			{"get missing", "GET", "/api/admin/user/" + uuid.NewString(), nil, adm, 404, "not found"},
			{"put missing", "PUT", "/api/admin/user/" + uuid.NewString(), map[string]any{"email": "q@example.com"}, adm, 404, "not found"},
			{"put without email", "PUT", "/api/admin/user/" + madeID, map[string]any{"name": "x"}, adm, 400, "required"},
			{"put bad projects", "PUT", "/api/admin/user/" + madeID, map[string]any{"email": "made@example.com", "projects": []any{"p1"}}, adm, 400, "projects"},
			{"delete missing", "DELETE", "/api/admin/user/" + uuid.NewString(), nil, adm, 404, "not found"},
			{"demote last SA", "PUT", "/api/admin/user/" + sa, map[string]any{"email": "admin@example.com", "is_superadmin": false}, adm, 400, "last superadmin"},
		}
		checkStatusCases(t, e.Env, cases)
		// Update: fields merged, membership replaced by the list.
		r = e.Do("PUT", "/api/admin/user/"+madeID, map[string]any{"email": "made@example.com", "is_active": true, "name": "Renamed",
			"projects": []any{map[string]any{"id": e.p1}, map[string]any{"id": e.p2}, map[string]any{"id": uuid.NewString()}}}, adm)
		if r.Code != 200 || r.Map()["name"] != "Renamed" || r.Map()["is_active"] != true {
			t.Fatalf("update: %d %s", r.Code, r.Body)
		}
		if r = e.Do("GET", "/api/admin/user/"+madeID, nil, adm); len(r.Map()["projects"].([]any)) != 2 {
			t.Fatalf("membership: %s", r.Body)
		}
		madeTok := login(e.Env, "made@example.com", "made-pw").Map()["token"].(string)
		if r = e.Do("GET", "/api/project/"+e.p2, nil, madeTok); r.Code != 200 {
			t.Fatalf("member access: %d %s", r.Code, r.Body)
		}
		r = e.Do("PUT", "/api/admin/user/"+madeID, map[string]any{"email": "made@example.com", "projects": []any{map[string]any{"id": e.p1}}}, adm)
		if r.Code != 200 {
			t.Fatalf("update 2: %d %s", r.Code, r.Body)
		}
		if r = e.Do("GET", "/api/admin/user/"+madeID, nil, adm); len(r.Map()["projects"].([]any)) != 1 {
			t.Fatalf("membership replaced: %s", r.Body)
		}
		if r = e.Do("GET", "/api/project/"+e.p2, nil, madeTok); r.Code != 401 {
			t.Fatalf("access removed at once: %d %s", r.Code, r.Body)
		}
		e.Do("PUT", "/api/admin/user/"+madeID, map[string]any{"email": "made@example.com"}, adm)
		if r = e.Do("GET", "/api/admin/user/"+madeID, nil, adm); len(r.Map()["projects"].([]any)) != 0 {
			t.Fatalf("membership cleared without projects: %s", r.Body)
		}
		// Promote, then the new SA deletes the first one; the last SA cannot go.
		r = e.Do("PUT", "/api/admin/user/"+madeID, map[string]any{"email": "made@example.com", "is_superadmin": true, "password": "made-pw2"}, adm)
		if r.Code != 200 || r.Map()["is_superadmin"] != true {
			t.Fatalf("promote: %d %s", r.Code, r.Body)
		}
		madeTok = login(e.Env, "made@example.com", "made-pw2").Map()["token"].(string)
		// SA owns p2 and a dashboard; both pass to the deleting admin.
		dash := model.Dashboard{ID: uuid.New(), Title: model.Ptr("d"), UserID: &e.Admin.ID}
		if err := e.App.DB.Gorm.Create(&dash).Error; err != nil {
			t.Fatal(err)
		}
		e.Do("POST", "/api/user/token", map[string]any{"name": "t", "expires": "2035-01-01"}, adm)
		if r = e.Do("DELETE", "/api/admin/user/"+sa, nil, madeTok); r.Code != 200 || strings.TrimSpace(r.Body.String()) != `"OK"` {
			t.Fatalf("delete SA: %d %s", r.Code, r.Body)
		}
		var owner model.Project
		e.App.DB.Gorm.Where("id = ?", e.p2).Take(&owner)
		if owner.OwnerID == nil || owner.OwnerID.String() != madeID {
			t.Fatalf("project not reassigned: %+v", owner)
		}
		var moved model.Dashboard
		e.App.DB.Gorm.Where("id = ?", dash.ID).Take(&moved)
		if moved.UserID == nil || moved.UserID.String() != madeID {
			t.Fatalf("dashboard not reassigned: %+v", moved)
		}
		var n int64
		e.App.DB.Gorm.Model(&model.Token{}).Where("user_id = ?", e.Admin.ID).Count(&n)
		if n != 0 {
			t.Fatalf("tokens left: %d", n)
		}
		other := e.CreateUser("sa2@example.com", "pw", true)
		e.App.DB.Gorm.Exec("UPDATE users SET is_superadmin = ? WHERE id = ?", false, other.ID)
		if r = e.Do("PUT", "/api/admin/user/"+madeID, map[string]any{"email": "made@example.com", "is_active": false}, madeTok); r.Code != 400 {
			t.Fatalf("deactivate last SA: %d %s", r.Code, r.Body)
		}
		// The last-superadmin rule on delete: a second SA whose only peer is inactive.
		e.App.DB.Gorm.Exec("UPDATE users SET is_superadmin = ?, is_active = ? WHERE id = ?", true, true, other.ID)
		e.App.DB.Gorm.Exec("UPDATE users SET is_active = ? WHERE id = ?", false, madeID)
		if r = e.Do("DELETE", "/api/admin/user/"+madeID, nil, e.TokenFor(other)); r.Code != 200 {
			t.Fatalf("delete inactive SA: %d %s", r.Code, r.Body)
		}
	})
}

func TestAdminLastSuperadmin(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		// Superadmin rights are checked on every request (no stale role), and
		// the last active superadmin cannot demote itself.
		second := e.CreateUser("second@example.com", "pw", true)
		tok := e.TokenFor(second)
		e.App.DB.Gorm.Exec("UPDATE users SET is_active = ? WHERE id = ?", false, e.Admin.ID)
		r := e.Do("DELETE", "/api/admin/user/"+second.ID.String(), nil, tok)
		if r.Code != 400 || !strings.Contains(r.Body.String(), "Cannot delete yourself") {
			t.Fatalf("self: %d %s", r.Code, r.Body)
		}
		e.App.DB.Gorm.Exec("UPDATE users SET is_active = ? WHERE id = ?", true, e.Admin.ID)
		e.App.DB.Gorm.Exec("UPDATE users SET is_active = ? WHERE id = ?", false, second.ID)
		// second is now inactive: its token no longer authenticates.
		if r = e.Do("GET", "/api/admin/user", nil, tok); r.Code != 401 {
			t.Fatalf("inactive SA token: %d", r.Code)
		}
		e.App.DB.Gorm.Exec("UPDATE users SET is_active = ? WHERE id = ?", true, second.ID)
		e.App.DB.Gorm.Exec("UPDATE users SET is_superadmin = ? WHERE id = ?", false, e.Admin.ID)
		// The former admin is no longer SA: admin routes are 403 for it.
		if r = e.Do("DELETE", "/api/admin/user/"+second.ID.String(), nil, e.AdminToken); r.Code != 403 {
			t.Fatalf("demoted admin: %d %s", r.Code, r.Body)
		}
		if r = e.Do("PUT", "/api/admin/user/"+second.ID.String(), map[string]any{"email": "second@example.com", "is_superadmin": false}, tok); r.Code != 400 || !strings.Contains(r.Body.String(), "last superadmin") {
			t.Fatalf("self-demotion of last SA: %d %s", r.Code, r.Body)
		}
	})
}

func TestAdminProjects(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		adm := e.AdminToken
		if r := e.Do("GET", "/api/admin/project", nil, e.UserToken); r.Code != 403 || !isProblem(r) {
			t.Fatalf("non-SA: %d %s", r.Code, r.Body)
		}
		r := e.Do("GET", "/api/admin/project", nil, adm)
		list := r.Map()
		if r.Code != 200 || len(list["projects"].([]any)) != 2 {
			t.Fatalf("list: %d %s", r.Code, r.Body)
		}
		for _, p := range list["projects"].([]any) {
			if _, ok := p.(map[string]any)["owner"].(map[string]any); !ok {
				t.Fatalf("owner missing: %v", p)
			}
		}
		if r = e.Do("GET", "/api/admin/project?page=9223372036854775807", nil, adm); r.Code != 400 || !strings.Contains(r.Body.String(), "The page number is too big.") {
			t.Fatalf("huge page: %d %s", r.Code, r.Body)
		}
		if r = e.Do("GET", "/api/admin/project?ownerId="+e.User.ID.String(), nil, adm); len(r.Map()["projects"].([]any)) != 1 {
			t.Fatalf("ownerId: %s", r.Body)
		}
		// Create: caller becomes owner and member whatever owner_id says.
		r = e.Do("POST", "/api/admin/project", map[string]any{"name": "p9", "title": "P9", "owner_id": e.User.ID.String(), "default_dashboard_id": nil}, adm)
		p9 := r.Map()
		if r.Code != 201 || p9["owner_id"] != e.Admin.ID.String() {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		p9id := p9["id"].(string)
		cases := []statusCase{
			{"dup id", "POST", "/api/admin/project", map[string]any{"id": p9id, "name": "other"}, adm, 400, "Project id " + p9id + " already exist"},
			{"bad group", "POST", "/api/admin/project", map[string]any{"name": "g", "group_id": "00000000-0000-0000-0000-000000000001"}, adm, 400, "Group id 00000000-0000-0000-0000-000000000001 doesn't exist"},
			{"bad type", "POST", "/api/admin/project", map[string]any{"name": 1}, adm, 400, "name"},
			{"get bad uuid", "GET", "/api/admin/project/p1", nil, adm, 400, "is not a valid UUID"},
			{"get missing", "GET", "/api/admin/project/" + uuid.NewString(), nil, adm, 404, "not found"},
			{"put missing", "PUT", "/api/admin/project/" + uuid.NewString(), map[string]any{}, adm, 404, "not found"},
			{"delete missing", "DELETE", "/api/admin/project/" + uuid.NewString(), nil, adm, 404, "not found"},
			{"put bad owner", "PUT", "/api/admin/project/" + p9id, map[string]any{"owner_id": uuid.NewString()}, adm, 400, "doesn't exist"},
		}
		checkStatusCases(t, e.Env, cases)
		if r = e.Do("GET", "/api/admin/project/"+p9id, nil, adm); r.Code != 200 || r.Map()["owner"].(map[string]any)["id"] != e.Admin.ID.String() {
			t.Fatalf("get: %d %s", r.Code, r.Body)
		}
		// Update: users e-mails added, owner added as member, owner key ignored.
		other := e.CreateUser("other@example.com", "pw", false)
		r = e.Do("PUT", "/api/admin/project/"+p9id, map[string]any{"title": "New", "users": []any{"user@example.com", "ghost@example.com"},
			"owner_id": other.ID.String(), "owner": map[string]any{"id": "junk"}}, adm)
		up := r.Map()
		if r.Code != 200 || up["title"] != "New" || up["owner_id"] != other.ID.String() || len(up["users"].([]any)) != 3 {
			t.Fatalf("update: %d %s", r.Code, r.Body)
		}
		if r = e.Do("GET", "/api/project/"+p9id, nil, e.UserToken); r.Code != 200 {
			t.Fatalf("added member access: %d %s", r.Code, r.Body)
		}
		// Delete: children keep their rows with project_id NULL.
		r = e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "p9"}}, adm)
		runID := r.Map()["id"].(string)
		r = e.Do("POST", "/api/result", map[string]any{"test_id": "t", "result": "passed", "metadata": map[string]any{"project": "p9", "run": runID}}, adm)
		resID := r.Map()["id"].(string)
		r = e.Do("POST", "/api/widget-config", map[string]any{"type": "widget", "widget": "run-aggregator", "title": "w", "params": map[string]any{}, "project": "p9"}, adm)
		wcID, _ := r.Map()["id"].(string)
		if r.Code != 201 || wcID == "" {
			t.Fatalf("widget config in p9: %d %s", r.Code, r.Body)
		}
		dash := model.Dashboard{ID: uuid.New(), Title: model.Ptr("d"), ProjectID: parseUUID(t, p9id)}
		e.App.DB.Gorm.Create(&dash)
		if r = e.Do("DELETE", "/api/admin/project/"+p9id, nil, e.UserToken); r.Code != 403 {
			t.Fatalf("non-SA delete: %d", r.Code)
		}
		if r = e.Do("DELETE", "/api/admin/project/"+p9id, nil, adm); r.Code != 200 || strings.TrimSpace(r.Body.String()) != `"OK"` {
			t.Fatalf("delete: %d %s", r.Code, r.Body)
		}
		if r = e.Do("GET", "/api/admin/project/"+p9id, nil, adm); r.Code != 404 {
			t.Fatalf("after delete: %d", r.Code)
		}
		var run model.Run
		var res model.Result
		e.App.DB.Gorm.Where("id = ?", runID).Take(&run)
		e.App.DB.Gorm.Where("id = ?", resID).Take(&res)
		var kept model.Dashboard
		e.App.DB.Gorm.Where("id = ?", dash.ID).Take(&kept)
		if run.ID.String() != runID || run.ProjectID != nil || res.ID.String() != resID || res.ProjectID != nil || kept.ID != dash.ID || kept.ProjectID != nil {
			t.Fatalf("children not kept with NULL project: %+v %+v %+v", run.ProjectID, res.ProjectID, kept.ProjectID)
		}
		var wc model.WidgetConfig
		if err := e.App.DB.Gorm.Where("id = ?", wcID).Take(&wc).Error; err != nil {
			t.Fatalf("widget config of the deleted project: %v", err)
		}
		if wc.ProjectID != nil {
			t.Fatalf("widget config keeps project")
		}
		var n int64
		e.App.DB.Gorm.Model(&model.UserProject{}).Where("project_id = ?", p9id).Count(&n)
		if n != 0 {
			t.Fatalf("memberships left: %d", n)
		}
	})
}

func parseUUID(t *testing.T, s string) *uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return &id
}
