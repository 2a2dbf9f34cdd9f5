package run

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// latest loads the run with the latest start_time among those filters
// select (the filter language, so both dialects compare JSON paths, NULLs
// and timestamps the same way); ErrNotFound when none does. The runs'
// (project_id, start_time) index serves it.
func (s store) latest(ctx context.Context, filters []string) (*model.Run, error) {
	where, args, err := filter.Build(filter.DialectOf(s.db), filter.Runs, filters)
	if err != nil {
		return nil, err
	}
	var r model.Run
	err = s.db.Conn(ctx).Where(where, args...).Order("start_time DESC").Order("id").Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load previous run: %w", err)
	}
	return &r, nil
}
