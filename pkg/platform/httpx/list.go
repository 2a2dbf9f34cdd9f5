package httpx

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// WriteList writes the 200 list envelope every list endpoint answers with,
// {"<key>": items, "pagination": {...}}; it exists so the envelope's shape
// lives in one place instead of in each handler.
func WriteList(c *gin.Context, key string, items any, pag Pagination) {
	JSON(c, http.StatusOK, gin.H{key: items, "pagination": pag})
}

// Views renders a page of rows with a package's NewView (model.Render):
// never nil, so an empty page is sent as [] rather than null.
func Views[M, V any](rows []M, render func(*M) V) []V { return model.Render(rows, render) }
