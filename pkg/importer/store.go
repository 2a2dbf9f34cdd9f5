package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
)

// errNoImport is a store's answer for an import id with no row.
var errNoImport = errors.New("import not found")

// importScope narrows a query of imports to the rows a caller may see.
type importScope = func(*gorm.DB) *gorm.DB

// store is the SQL of imports: the imports, import_files and chunk tables,
// and the runs and artifacts an import writes outside the batch writer.
type store struct {
	db *db.DB
}

// create stores a new import and its bytes, read from src in chunks, in
// one transaction: a failed upload leaves nothing behind.
func (st store) create(ctx context.Context, imp *model.Import, src io.Reader) error {
	return st.db.WithTx(ctx, func(ctx context.Context) error {
		tx := st.db.Conn(ctx)
		if err := tx.Create(imp).Error; err != nil {
			return fmt.Errorf("store import: %w", err)
		}
		// content stays NULL (SQLite's driver would store a nil slice as
		// an empty blob): the bytes are the chunks.
		f := &model.ImportFile{ID: uuid.New(), ImportID: imp.ID}
		if err := tx.Omit("content").Create(f).Error; err != nil {
			return fmt.Errorf("store import file: %w", err)
		}
		_, err := st.storeChunks(ctx, f.ID, src)
		return err
	})
}

// discard deletes an import and its bytes in one transaction: the undo of
// create when its task could not be queued.
func (st store) discard(ctx context.Context, id uuid.UUID) error {
	return st.db.WithTx(ctx, func(ctx context.Context) error {
		tx := st.db.Conn(ctx)
		if err := tx.Exec("DELETE FROM "+chunkTable+" WHERE file_id IN (SELECT id FROM import_files WHERE import_id = ?)", id).Error; err != nil {
			return fmt.Errorf("discard import chunks: %w", err)
		}
		if err := tx.Where("import_id = ?", id).Delete(&model.ImportFile{}).Error; err != nil {
			return fmt.Errorf("discard import file: %w", err)
		}
		if err := tx.Where("id = ?", id).Delete(&model.Import{}).Error; err != nil {
			return fmt.Errorf("discard import: %w", err)
		}
		return nil
	})
}

// load reads an import row (errNoImport when missing).
func (st store) load(ctx context.Context, id uuid.UUID) (*model.Import, error) {
	var imp model.Import
	if err := st.db.Conn(ctx).Where("id = ?", id).Take(&imp).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, errNoImport
		}
		return nil, fmt.Errorf("load import: %w", err)
	}
	return &imp, nil
}

// setStatus sets an import's status and merges extra keys into its data.
func (st store) setStatus(ctx context.Context, id uuid.UUID, status string, extra map[string]any) error {
	return st.db.WithTx(ctx, func(ctx context.Context) error {
		imp, err := st.load(ctx, id)
		if err != nil {
			return err
		}
		imp.Status = &status
		if len(extra) > 0 {
			if imp.Data == nil {
				imp.Data = model.JSON{}
			}
			for k, v := range extra {
				imp.Data[k] = v
			}
		}
		if err := st.db.Conn(ctx).Model(&model.Import{}).Where("id = ?", id).
			Updates(map[string]any{"status": status, "data": imp.Data}).Error; err != nil {
			return fmt.Errorf("update import status: %w", err)
		}
		return nil
	})
}

// list reads one page of imports matching where (filter.Build's output)
// within scope, newest first, and the total count.
func (st store) list(ctx context.Context, where string, args []any, scope importScope, page paging.Page) ([]model.Import, int64, error) {
	var rows []model.Import
	total, err := listing.Run(ctx, st.db, &model.Import{}, &rows, listing.Query{Where: where, Args: args, Scope: scope, Order: "created DESC, id", Page: page})
	if err != nil {
		return nil, 0, err
	}
	return rows, total, nil
}

// unfinishedBefore lists up to limit imports still pending or running that
// were created before cutoff, oldest first.
func (st store) unfinishedBefore(ctx context.Context, cutoff time.Time, limit int) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	if err := st.db.Conn(ctx).Model(&model.Import{}).Where("status IN ? AND created < ?",
		[]string{StatusPending, StatusRunning}, cutoff).Order("created").Limit(limit).Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("find stuck imports: %w", err)
	}
	return ids, nil
}

// failIfUnfinished sets import id to error with data, only if it is still
// pending or running; it reports whether it did.
func (st store) failIfUnfinished(ctx context.Context, id uuid.UUID, data model.JSON) (bool, error) {
	res := st.db.Conn(ctx).Model(&model.Import{}).Where("id = ? AND status IN ?", id, []string{StatusPending, StatusRunning}).
		Updates(map[string]any{"status": StatusError, "data": data})
	if res.Error != nil {
		return false, fmt.Errorf("settle stuck import: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// clearBytes drops an import's bytes (its chunks, or upstream's single
// content value) in one transaction and returns how many bytes it dropped.
func (st store) clearBytes(ctx context.Context, id uuid.UUID) (int64, error) {
	var n int64
	err := st.db.WithTx(ctx, func(ctx context.Context) error {
		tx := st.db.Conn(ctx)
		files := "SELECT id FROM import_files WHERE import_id = ?"
		var sizes struct{ Legacy, Chunked int64 }
		if err := tx.Raw("SELECT (SELECT COALESCE(sum(length(content)), 0) FROM import_files WHERE import_id = ?) AS legacy,"+
			" (SELECT COALESCE(sum(length(data)), 0) FROM "+chunkTable+" WHERE file_id IN ("+files+")) AS chunked",
			id, id).Scan(&sizes).Error; err != nil {
			return fmt.Errorf("measure import file: %w", err)
		}
		n = sizes.Legacy + sizes.Chunked
		if err := tx.Exec("DELETE FROM "+chunkTable+" WHERE file_id IN ("+files+")", id).Error; err != nil {
			return fmt.Errorf("delete import chunks: %w", err)
		}
		return tx.Model(&model.ImportFile{}).Where("import_id = ? AND content IS NOT NULL", id).Update("content", nil).Error
	})
	if err != nil {
		return 0, fmt.Errorf("clear import file: %w", err)
	}
	return n, nil
}

// user loads a user by id; nil when there is none.
func (st store) user(ctx context.Context, id uuid.UUID) (*model.User, error) {
	var u model.User
	err := st.db.Conn(ctx).Where("id = ?", id).Take(&u).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("load import uploader: %w", err)
	}
	return &u, nil
}

// visibleTo is the scope of the imports into projects and of the
// project-less imports uploader uploaded (the import's data records both).
func (st store) visibleTo(projects []uuid.UUID, uploader uuid.UUID) (importScope, error) {
	d := filter.DialectOf(st.db)
	projectExpr, projectArgs, ok, err := filter.Expression(d, filter.Imports, "metadata.project_id")
	if err != nil || !ok {
		return nil, fmt.Errorf("import scope: %w", err)
	}
	uploaderExpr, uploaderArgs, ok, err := filter.Expression(d, filter.Imports, "metadata."+uploaderKey)
	if err != nil || !ok {
		return nil, fmt.Errorf("import scope: %w", err)
	}
	strIDs := make([]string, len(projects))
	for i, id := range projects {
		strIDs[i] = id.String()
	}
	own := "(" + projectExpr + " IS NULL AND " + uploaderExpr + " = ?)"
	ownArgs := append(append(append([]any{}, projectArgs...), uploaderArgs...), uploader.String())
	return func(tx *gorm.DB) *gorm.DB {
		if len(strIDs) == 0 {
			return tx.Where(own, ownArgs...)
		}
		args := append(append(append([]any{}, projectArgs...), strIDs), ownArgs...)
		return tx.Where("("+projectExpr+" IN ? OR "+own+")", args...)
	}, nil
}

// refusedValue reports whether err is the database refusing a value of the
// file — a data exception (a character the column cannot hold, a value out
// of range) or an index row too large — which no retry changes, with the
// text to show.
func refusedValue(err error) (string, bool) {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && (strings.HasPrefix(pg.Code, "22") || pg.Code == "54000") {
		return "the database refused a value from the file: " + pg.Message, true
	}
	return "", false
}
