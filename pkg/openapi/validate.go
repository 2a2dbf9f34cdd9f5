package openapi

import (
	"context"
	"fmt"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// ValidateResponse checks that a response the server gave to req is one the
// document describes: the status is listed for the operation, the content
// type is one of that status's, and the body matches its schema (JSON string
// error bodies and problem+json bodies included). Compatibility tests use it
// to hold the server to the document.
//
// req must carry the full path (/api/...); its body is not read.
func (d *Document) ValidateResponse(ctx context.Context, req *http.Request, status int, header http.Header, body []byte) error {
	route, params, err := d.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("openapi: no operation for %s %s: %w", req.Method, req.URL.Path, err)
	}
	if header == nil {
		header = http.Header{}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    req,
			PathParams: params,
			Route:      route,
		},
		Status: status,
		Header: header,
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
		return fmt.Errorf("openapi: %s %s answered %d: %w", req.Method, req.URL.Path, status, err)
	}
	return nil
}
