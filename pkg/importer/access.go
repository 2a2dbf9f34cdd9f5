package importer

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// projectOf is the project an import's form named, if any.
func projectOf(imp *model.Import) (uuid.UUID, bool) {
	ref, _ := imp.Data["project_id"].(string)
	pid, err := uuid.Parse(ref)
	return pid, err == nil
}

// uploaderOf is the user who uploaded an import, if recorded.
func uploaderOf(imp *model.Import) (uuid.UUID, bool) {
	ref, _ := imp.Data[uploaderKey].(string)
	id, err := uuid.Parse(ref)
	return id, err == nil
}

// canRead is GET /import/{id}'s rule: an import into a project is readable
// by that project's members (upstream's rule); one without a project only
// by its uploader, when recorded, and by superadmins.
func (h *Handler) canRead(ctx context.Context, imp *model.Import) error {
	u := auth.UserFrom(ctx)
	if u.IsSuperadmin {
		return nil
	}
	if pid, ok := projectOf(imp); ok {
		ok, err := h.svc.projects.CanAccess(ctx, u, pid)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		return apperr.Forbidden()
	}
	if id, ok := uploaderOf(imp); ok && id == u.ID {
		return nil
	}
	return apperr.Forbidden()
}

// listScope restricts GET /import to imports into the caller's member
// projects and project-less imports the caller uploaded. Superadmins see
// all.
func (h *Handler) listScope(ctx context.Context) (func(*gorm.DB) *gorm.DB, error) {
	u := auth.UserFrom(ctx)
	if u.IsSuperadmin {
		return nil, nil
	}
	ids, err := h.svc.projects.MemberProjectIDs(ctx, u)
	if err != nil {
		return nil, err
	}
	d := filter.DialectOf(h.svc.db)
	projectExpr, projectArgs, ok, err := filter.Expression(d, filter.Imports, "metadata.project_id")
	if err != nil || !ok {
		return nil, fmt.Errorf("import scope: %w", err)
	}
	uploaderExpr, uploaderArgs, ok, err := filter.Expression(d, filter.Imports, "metadata."+uploaderKey)
	if err != nil || !ok {
		return nil, fmt.Errorf("import scope: %w", err)
	}
	strIDs := make([]string, len(ids))
	for i, id := range ids {
		strIDs[i] = id.String()
	}
	own := "(" + projectExpr + " IS NULL AND " + uploaderExpr + " = ?)"
	ownArgs := append(append(append([]any{}, projectArgs...), uploaderArgs...), u.ID.String())
	return func(tx *gorm.DB) *gorm.DB {
		if len(strIDs) == 0 {
			return tx.Where(own, ownArgs...)
		}
		args := append(append(append([]any{}, projectArgs...), strIDs), ownArgs...)
		return tx.Where("("+projectExpr+" IN ? OR "+own+")", args...)
	}, nil
}
