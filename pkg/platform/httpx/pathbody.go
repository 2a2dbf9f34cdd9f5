package httpx

import (
	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

// PathUUIDAndBody reads what every PUT /<thing>/:id needs: the UUID path
// parameter name, then the JSON body checked against s. It exists so the
// order of the two checks stays the same everywhere: a malformed id is the
// 400 a client sees even when the body is bad too.
func PathUUIDAndBody(c *gin.Context, name string, maxBytes int64, s Schema) (uuid.UUID, map[string]any, error) {
	id, err := PathUUID(c, name)
	if err != nil {
		return uuid.Nil, nil, err
	}
	body, err := ReadBody(c, maxBytes, s)
	if err != nil {
		return uuid.Nil, nil, err
	}
	return id, body, nil
}
