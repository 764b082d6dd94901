//! The doc extractor on arbitrary markdown: it returns the schemas or an
//! error, and never panics; what it accepts also passes the generator or
//! fails it with an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xtask::codegen::{generate, SchemaSet};
use xtask::extract::extract;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(extracted) = extract(text) {
        let set = SchemaSet {
            envelope: extracted.envelope_schema.value,
            events: extracted
                .events
                .into_iter()
                .map(|e| (e.event_type, e.schema.value))
                .collect(),
        };
        let _ = generate(&set);
    }
});
