use strict;
use warnings;
use Test::More tests => 7;

ok(1, 'addition works');
is(7 / 2, 4, 'division rounds');
SKIP: {
    skip 'no network here', 1;
    ok(0, 'fetches a page');
}
TODO: {
    local $TODO = 'not implemented yet';
    ok(0, 'parses dates');
}
TODO: {
    local $TODO = 'flaky upstream';
    ok(1, 'talks to upstream');
}
subtest 'strings' => sub {
    plan tests => 2;
    is(uc('go'), 'GO', 'uppercase');
    like('hello', qr/^h/, 'starts with h');
};
note 'a note to the reader';
cmp_ok(2, '<', 1, 'two is less than one');
