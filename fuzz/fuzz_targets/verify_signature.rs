//! `signature::verify` on an arbitrary secret, body and header.
#![no_main]

#[path = "../../tests/fuzz_checks/mod.rs"]
mod checks;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    secret: &'a [u8],
    body: &'a [u8],
    header: Option<&'a str>,
}

fuzz_target!(|input: Input| checks::verify_signature(input.secret, input.body, input.header));
