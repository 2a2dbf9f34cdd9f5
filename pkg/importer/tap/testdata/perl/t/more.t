use strict;
use warnings;
use Test::More;

ok(1, 'first');
ok(1, 'second');
diag('about to finish');
done_testing();
