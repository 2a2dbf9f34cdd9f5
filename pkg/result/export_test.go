package result

import "context"

// SetAfterRunCheck makes f run between the run rule's check and the write
// of POST and PUT /result (nil: nothing runs), for the tests of package
// result_test that move the run there.
func SetAfterRunCheck(s *Service, f func(ctx context.Context)) { s.afterRunCheck = f }
