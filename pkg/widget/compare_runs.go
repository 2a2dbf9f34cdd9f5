package widget

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/result"
)

// compareRuns is §5.12: the run of the newest result matching each of two
// filter sets, and the pairs of same tests whose outcome differs.
func compareRuns(ctx context.Context, q querier, a args) (any, error) {
	sets := a.list("additional_filters")
	if len(sets) == 0 {
		return map[string]any{"results": []any{}, "pagination": map[string]any{"totalItems": 0}}, nil
	}
	if len(sets) < 2 {
		return nil, paramError("compare-runs-view", "two filter sets are needed")
	}
	var runs [2][]model.Result
	for i := 0; i < 2; i++ {
		var w where
		if err := w.filters(q, filter.Results, splitFilters(sets[i])); err != nil {
			return nil, err
		}
		var latest model.Result
		err := q.db.Conn(ctx).Model(&model.Result{}).Where(trimWhere(w.sql()), w.args...).Order("start_time DESC").Limit(1).Take(&latest).Error
		if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && latest.RunID == nil) {
			return map[string]any{"results": []any{}, "pagination": map[string]any{"totalItems": 0}}, nil
		}
		if err != nil {
			return nil, err
		}
		w.add("run_id = ?", latest.RunID.String())
		fp, fargs, _, err := q.expr(filter.Results, "metadata.fspath")
		if err != nil {
			return nil, err
		}
		err = q.db.Conn(ctx).Where(trimWhere(w.sql()), w.args...).Order(gorm.Expr(fp+", id", fargs...)).Find(&runs[i]).Error
		if err != nil {
			return nil, err
		}
	}
	pairs := [][2]result.View{}
	for i := range runs[0] {
		ra := &runs[0][i]
		for j := range runs[1] {
			rb := &runs[1][j]
			if fspath(ra) == fspath(rb) && deref(ra.TestID) == deref(rb.TestID) && deref(ra.Result) != deref(rb.Result) {
				pairs = append(pairs, [2]result.View{result.NewView(ra), result.NewView(rb)})
				break
			}
		}
	}
	return map[string]any{"results": pairs, "pagination": map[string]any{"totalItems": len(pairs)}}, nil
}

func fspath(r *model.Result) string {
	s, _ := r.Data["fspath"].(string)
	return s
}

// trimWhere turns where.sql()'s " WHERE x" into "x" for GORM (or "1=1").
func trimWhere(s string) string {
	if s == "" {
		return "1 = 1"
	}
	return s[len(" WHERE "):]
}
