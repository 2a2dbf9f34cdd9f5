package result

import "context"

// SetAfterRunCheck makes f run between POST /result's run check and its
// insert (nil: nothing runs), for the tests of package result_test that
// move the run there.
func SetAfterRunCheck(s *Service, f func(ctx context.Context)) { s.afterRunCheck = f }
