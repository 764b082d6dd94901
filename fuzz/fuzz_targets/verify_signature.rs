//! `signature::verify` on an arbitrary secret, body and header: never
//! panics, and accepts exactly the header that `sign` produces (in either
//! case, with surrounding whitespace).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use onefuzz_webhook_types::signature::{sign, verify};

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    secret: &'a [u8],
    body: &'a [u8],
    header: Option<&'a str>,
}

fuzz_target!(|input: Input| {
    let result = verify(input.secret, input.body, input.header);
    let signed = sign(input.secret, input.body);
    let matches = input
        .header
        .is_some_and(|h| h.trim_ascii().eq_ignore_ascii_case(&signed));
    assert_eq!(result.is_ok(), matches, "{result:?} for {input:?}");
    assert_eq!(verify(input.secret, input.body, Some(&signed)), Ok(()));
});
