package query

import (
	"encoding/json"
	"fmt"

	"github.com/ibutsu-go/ibutsu/pkg/result"
)

// listBody encodes a finished query as GET /result or /run would have
// answered it inline: the rows under the table's key and the envelope's
// pagination object. GET /task/{id} serves it as stored.
func listBody(table string, items any, info result.ListInfo) ([]byte, error) {
	body, err := json.Marshal(map[string]any{table: items, "pagination": result.WirePagination(info)})
	if err != nil {
		return nil, fmt.Errorf("encode query result: %w", err)
	}
	return body, nil
}
