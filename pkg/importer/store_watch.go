package importer

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"
)

// s3Import is one archive the S3 watcher took (ibutsu_s3_imports).
type s3Import struct {
	Bucket   string     `gorm:"column:bucket;primaryKey"`
	Key      string     `gorm:"column:key;primaryKey"`
	ETag     string     `gorm:"column:etag;primaryKey"`
	ImportID *uuid.UUID `gorm:"column:import_id;type:uuid"`
}

// TableName implements gorm's Tabler.
func (s3Import) TableName() string { return "ibutsu_s3_imports" }

// claimS3 records that this process imports bucket/key at etag; false when
// it was taken already (by an earlier run or another scheduler replica).
func (s store) claimS3(ctx context.Context, row s3Import) (bool, error) {
	res := s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return false, fmt.Errorf("claim s3 archive: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// releaseS3 gives a claim back (its import could not be submitted).
func (s store) releaseS3(ctx context.Context, row s3Import) error {
	if err := s.db.Conn(ctx).Where("bucket = ? AND key = ? AND etag = ?", row.Bucket, row.Key, row.ETag).Delete(&s3Import{}).Error; err != nil {
		return fmt.Errorf("release s3 archive: %w", err)
	}
	return nil
}

// s3Seen returns which of keys of bucket were taken, as key + "\x00" + etag.
func (s store) s3Seen(ctx context.Context, bucket string, keys []string) (map[string]bool, error) {
	var rows []s3Import
	if err := s.db.Conn(ctx).Where("bucket = ? AND key IN ?", bucket, keys).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("look up s3 archives: %w", err)
	}
	out := make(map[string]bool, len(rows))
	for _, r := range rows {
		out[r.Key+"\x00"+r.ETag] = true
	}
	return out, nil
}
