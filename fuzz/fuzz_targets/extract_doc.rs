//! The doc extractor on arbitrary markdown: it returns the schemas or an
//! error, and never panics; what it accepts also passes the generator or
//! fails it with an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xtask::codegen::generate;
use xtask::extract::extract;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(extracted) = extract(text) {
        let _ = generate(&extracted.schema_set());
    }
});
