package openapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const (
	resultID  = "a16ad60e-bf23-4195-99dc-594858ad3e5e"
	runID     = "64c2ab9e-cd64-4815-bf73-83b00c2e650f"
	projectID = "44941c55-9736-42f6-acce-ca3c4739d0f3"
	userID    = "81e2c9d6-1593-4559-af4f-90f6f1f8fa03"
)

// sampleResult is a result as a compatible server writes it.
func sampleResult() map[string]any {
	return map[string]any{
		"id": resultID, "test_id": "test_login", "result": "failed", "duration": 1.23,
		"start_time": "2025-03-01T10:00:00.123456Z", "component": "auth", "env": "qa",
		"run_id": runID, "project_id": projectID, "source": nil,
		"metadata": map[string]any{"project": "p1", "run": runID}, "params": map[string]any{},
	}
}

func sampleRun() map[string]any {
	return map[string]any{
		"id": runID, "created": "2025-03-01T10:00:00Z", "start_time": "2025-03-01T10:00:00Z",
		"duration": 154.7, "source": nil, "component": "ui", "env": "qa", "project_id": projectID,
		"metadata": map[string]any{"project": "p1"}, "summary": nil,
	}
}

func sampleUser() map[string]any {
	return map[string]any{"id": userID, "email": "u@example.com", "name": nil, "is_superadmin": false, "is_active": true, "group_id": nil}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == deleteKey {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// deleteKey as a value in with() removes the key.
var deleteKey = &struct{}{}

func pagination() map[string]any {
	return map[string]any{"page": 1, "pageSize": 25, "totalItems": 1, "totalPages": 1}
}

func TestValidateResponse(t *testing.T) {
	d := mustLoad(t)
	const (
		jsonCT    = "application/json"
		problemCT = "application/problem+json"
	)
	problem := func(status int) map[string]any {
		return map[string]any{"type": "about:blank", "title": http.StatusText(status), "detail": "No authorization token provided", "status": status}
	}
	for _, tc := range []struct {
		name         string
		method, path string
		status       int
		contentType  string
		body         any
		wantErr      string // substring; empty means valid
	}{
		{"result", "GET", "/api/result/" + resultID, 200, jsonCT, sampleResult(), ""},
		{"result with charset", "GET", "/api/result/" + resultID, 200, jsonCT + "; charset=utf-8", sampleResult(), ""},
		{"result with nulls", "GET", "/api/result/" + resultID, 200, jsonCT,
			with(sampleResult(), "result", nil, "duration", nil, "test_id", nil, "params", nil, "run_id", nil), ""},
		{"result duration as string", "GET", "/api/result/" + resultID, 200, jsonCT, with(sampleResult(), "duration", "1.23"), "duration"},
		{"result without a key", "GET", "/api/result/" + resultID, 200, jsonCT, with(sampleResult(), "env", deleteKey), "env"},
		{"result metadata null", "GET", "/api/result/" + resultID, 200, jsonCT, with(sampleResult(), "metadata", nil), "metadata"},
		{"result bogus status", "GET", "/api/result/" + resultID, 200, jsonCT, with(sampleResult(), "result", "bogus"), "result"},
		{"result +00:00 datetime", "GET", "/api/result/" + resultID, 200, jsonCT, with(sampleResult(), "start_time", "2025-03-01T10:00:00+00:00"), "start_time"},
		{"result uppercase uuid", "GET", "/api/result/" + resultID, 200, jsonCT, with(sampleResult(), "id", strings.ToUpper(resultID)), "id"},
		{"result list", "GET", "/api/result?filter=project_id=" + projectID, 200, jsonCT,
			map[string]any{"results": []any{sampleResult()}, "pagination": pagination()}, ""},
		{"result list without pagination", "GET", "/api/result", 200, jsonCT, map[string]any{"results": []any{}}, "pagination"},
		{"async query", "GET", "/api/result?pageSize=501", 201, jsonCT,
			map[string]any{"task_id": runID, "message": "Due to the page_size: 501, ...", "query_endpoint": "/task/" + runID}, ""},
		{"created result", "POST", "/api/result", 201, jsonCT, sampleResult(), ""},
		{"not found string", "GET", "/api/result/" + resultID, 404, jsonCT, "Result not found", ""},
		{"bad uuid string", "GET", "/api/result/abc", 400, jsonCT, "ID: abc is not a valid UUID", ""},
		{"auth problem", "GET", "/api/run", 401, problemCT, problem(401), ""},
		{"problem without status", "GET", "/api/run", 401, problemCT, with(problem(401), "status", deleteKey), "status"},
		{"undocumented status", "GET", "/api/result/" + resultID, 418, jsonCT, "teapot", "status is not supported"},
		{"wrong content type", "GET", "/api/result/" + resultID, 200, "text/plain", "x", "Content-Type"},
		{"run", "GET", "/api/run/" + runID, 200, jsonCT, sampleRun(), ""},
		{"run summary object", "PUT", "/api/run/" + runID, 200, jsonCT, with(sampleRun(), "summary", map[string]any{"tests": 4, "pass_percent": 50}), ""},
		{"bulk update array", "POST", "/api/runs/bulk-update?pageSize=2", 200, jsonCT, []any{sampleRun()}, ""},
		{"bulk update envelope", "POST", "/api/runs/bulk-update", 200, jsonCT, map[string]any{"runs": []any{}, "pagination": pagination()}, "array"},
		{"bulk update 405", "POST", "/api/runs/bulk-update?pageSize=26", 405, jsonCT, "Bad request, cannot update more than 25 runs at a time", ""},
		{"delete ok", "DELETE", "/api/artifact/" + resultID, 200, jsonCT, "OK", ""},
		{"delete other string", "DELETE", "/api/artifact/" + resultID, 200, jsonCT, "Deleted", "OK"},
		{"artifact view png", "GET", "/api/artifact/" + resultID + "/view", 200, "image/png", "\x89PNG", ""},
		{"task pending", "GET", "/api/task/" + runID, 206, jsonCT,
			map[string]any{"state": "PENDING", "message": "Task not yet started or invalid, check back later"}, ""},
		{"task success", "GET", "/api/task/" + runID, 200, jsonCT,
			map[string]any{"state": "SUCCESS", "message": "Task has succeeded", "runs": []any{sampleRun()}, "pagination": pagination()}, ""},
		{"task failure", "GET", "/api/task/" + runID, 203, jsonCT,
			map[string]any{"state": "FAILURE", "message": "Task has failed!", "error": []any{"boom"}}, ""},
		{"user", "GET", "/api/user", 200, jsonCT, sampleUser(), ""},
		{"user leaking its hash", "GET", "/api/user", 200, jsonCT, with(sampleUser(), "_password", "$2b$12$x"), "not"},
		{"project", "GET", "/api/project/" + projectID, 200, jsonCT, map[string]any{
			"id": projectID, "name": "p1", "title": "P1", "owner_id": userID, "group_id": nil,
			"default_dashboard_id": nil, "users": []any{sampleUser()},
		}, ""},
		{"project member leaking", "GET", "/api/project/" + projectID, 200, jsonCT, map[string]any{
			"id": projectID, "name": "p1", "title": "P1", "owner_id": userID, "group_id": nil,
			"default_dashboard_id": nil, "users": []any{with(sampleUser(), "activation_code", "x")},
		}, "not"},
		{"admin users", "GET", "/api/admin/user", 200, jsonCT, map[string]any{
			"users": []any{with(sampleUser(), "projects", []any{})}, "pagination": pagination(),
		}, ""},
		{"admin users without projects", "GET", "/api/admin/user", 200, jsonCT, map[string]any{
			"users": []any{sampleUser()}, "pagination": pagination(),
		}, "projects"},
		{"import accepted", "POST", "/api/import", 202, jsonCT, map[string]any{
			"id": runID, "filename": "results.xml", "format": "", "status": "pending", "created": "2025-03-01T10:00:00Z",
			"metadata": map[string]any{"project_id": projectID, "metadata": nil},
		}, ""},
		{"import 415", "POST", "/api/import", 415, "application/problem+json", map[string]any{"type": "about:blank", "title": "Unsupported Media Type",
			"detail": "Unsupported Media Type: ...", "status": 415, "formats": []any{map[string]any{"name": "junit", "title": "JUnit XML"}}}, ""},
		{"import formats", "GET", "/api/import/formats", 200, jsonCT, map[string]any{"formats": []any{map[string]any{"name": "junit", "title": "JUnit XML"}}}, ""},
		{"login", "POST", "/api/login", 200, jsonCT, map[string]any{"name": nil, "email": "a@b.c", "token": "x.y.z"}, ""},
		{"login error", "POST", "/api/login", 401, jsonCT, map[string]any{"code": "EMPTY", "message": "Username and/or password are empty"}, ""},
		{"register too long", "POST", "/api/login/register", 400, jsonCT, map[string]any{"code": "INVALID", "message": "Password is too long (max 72 bytes)"}, ""},
		{"register exists", "POST", "/api/login/register", 400, jsonCT, "The user with email a@b.c already exists", ""},
		{"register done by mail", "POST", "/api/login/register", 201, jsonCT, map[string]any{"activation": "email"}, ""},
		{"register done by admin", "POST", "/api/login/register", 201, jsonCT, map[string]any{"activation": "administrator"}, ""},
		{"register without activation", "POST", "/api/login/register", 201, jsonCT, map[string]any{}, "activation"},
		{"register unknown activation", "POST", "/api/login/register", 201, jsonCT, map[string]any{"activation": "pigeon"}, "activation"},
		{"login support", "GET", "/api/login/support", 200, jsonCT, map[string]any{
			"user": true, "keycloak": false, "google": false, "github": false, "facebook": false, "gitlab": false,
		}, ""},
		{"health", "GET", "/api/health", 200, jsonCT, map[string]any{"status": "OK", "message": "Service is running"}, ""},
		{"health info", "GET", "/api/health/info", 200, jsonCT, map[string]any{
			"frontend": "http://127.0.0.1:3000", "backend": "http://127.0.0.1:8080", "api_ui": "http://127.0.0.1:8080/api/ui/",
			"version": "dev", "commit": "",
		}, ""},
		{"widget null", "GET", "/api/widget/accessibility-dashboard-view", 200, jsonCT, nil, ""},
		{"widget array", "GET", "/api/widget/accessibility-bar-chart?run_list=" + runID, 200, jsonCT, []any{map[string]any{"total": 0}}, ""},
		{"widget config", "GET", "/api/widget-config/" + runID, 200, jsonCT, map[string]any{
			"id": runID, "type": "view", "widget": "jenkins-job-view", "title": "Jobs", "weight": 10,
			"params": map[string]any{}, "project_id": nil, "dashboard_id": nil, "navigable": true,
		}, ""},
		{"token", "POST", "/api/user/token", 201, jsonCT, map[string]any{
			"id": runID, "user_id": userID, "name": "ci", "token": "x.y.z", "expires": "2030-01-01T00:00:00Z",
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, err := json.Marshal(tc.body)
			if err != nil {
				t.Fatal(err)
			}
			if s, ok := tc.body.(string); ok && !strings.HasPrefix(tc.contentType, "application/") {
				body = []byte(s)
			}
			req := httptest.NewRequest(tc.method, tc.path, nil)
			err = d.ValidateResponse(context.Background(), req, tc.status, http.Header{"Content-Type": {tc.contentType}}, body)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("rejected a valid response: %v", err)
			case tc.wantErr != "" && err == nil:
				t.Errorf("accepted an invalid response")
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Errorf("error %q does not mention %q", err, tc.wantErr)
			}
		})
	}
}

func TestValidateResponseUnknownRoute(t *testing.T) {
	d := mustLoad(t, AreaResults)
	req := httptest.NewRequest("GET", "/api/run", nil)
	if err := d.ValidateResponse(context.Background(), req, 200, http.Header{"Content-Type": {"application/json"}}, []byte("{}")); err == nil {
		t.Error("a route of an area that is not loaded validated")
	}
	req = httptest.NewRequest("DELETE", "/api/result", nil)
	if err := d.ValidateResponse(context.Background(), req, 200, nil, nil); err == nil {
		t.Error("an undocumented method validated")
	}
}
