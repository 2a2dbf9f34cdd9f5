package httpx

import (
	"errors"
	"fmt"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// LoadByPathID loads the row of type T whose primary key is the request's
// "id" path parameter. It exists because the handlers of plain tables
// (dashboards, widget configs, groups) each repeated the same three steps
// with the same answers: a malformed id is PathUUID's 400, a missing row is
// a 404 with the message notFound, any other failure is returned wrapped.
// conn is the caller's connection (db.DB.Conn with the request context).
func LoadByPathID[T any](c *gin.Context, conn *gorm.DB, notFound string) (*T, error) {
	id, err := PathUUID(c, "id")
	if err != nil {
		return nil, err
	}
	var row T
	err = conn.Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.NotFound(notFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load %T %s: %w", row, id, err)
	}
	return &row, nil
}
