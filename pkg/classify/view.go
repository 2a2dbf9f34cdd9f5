package classify

import (
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// HistoryView is GET /api/result/{id}/classification-history.
type HistoryView struct {
	ResultID string       `json:"result_id"`
	Changes  []ChangeView `json:"changes"`
}

// ChangeView is one classification change: from old to new (null: none),
// by a user or by the project's rule.
type ChangeView struct {
	Old         *string `json:"old"`
	New         *string `json:"new"`
	By          string  `json:"by"`
	UserID      *string `json:"user_id"`
	UserName    *string `json:"user_name"`
	Fingerprint *string `json:"fingerprint"`
	ChangedAt   string  `json:"changed_at"`
}

func newHistoryView(id uuid.UUID, rows []historyRow) *HistoryView {
	v := &HistoryView{ResultID: id.String(), Changes: make([]ChangeView, len(rows))}
	for i, r := range rows {
		by := "user"
		if r.ByRule {
			by = "rule"
		}
		v.Changes[i] = ChangeView{Old: r.OldValue, New: r.NewValue, By: by, UserID: model.UUIDString(r.UserID),
			UserName: r.UserName, Fingerprint: r.Fingerprint, ChangedAt: model.FormatTime(r.ChangedAt)}
	}
	return v
}

// SettingsView is a project's triage settings.
type SettingsView struct {
	ProjectID    string `json:"project_id"`
	AutoClassify bool   `json:"auto_classify"`
}
