//! Bodies that do not match their declared `event_type` are rejected with
//! the JSON path of the problem; none is silently read as another event.
//! (Values outside an enum: see `forward_compat.rs`; a field of the wrong
//! type: `bad_input.rs`.)

mod common;

use common::{events, parse, required, wrap};

#[test]
fn a_body_is_read_only_as_its_declared_type() {
    let events = events();
    for declared in &events {
        for body in &events {
            let message = wrap(&declared.event_type, &body.example);
            let missing: Vec<String> = required(&declared.schema)
                .into_iter()
                .filter(|field| body.example.get(field).is_none())
                .collect();
            let what = format!("{} body under {}", body.event_type, declared.event_type);
            match parse(&message) {
                Ok(parsed) => {
                    assert!(missing.is_empty(), "{what} parsed without {missing:?}");
                    assert_eq!(parsed.event_type().as_str(), declared.event_type, "{what}");
                }
                Err(e) => {
                    assert_ne!(declared.event_type, body.event_type, "{what}: {e}");
                    assert!(e.path().starts_with("event"), "{what}: {e}");
                    if e.path() == "event" {
                        assert!(
                            missing
                                .iter()
                                .any(|f| e.to_string().contains(&format!("missing field `{f}`"))),
                            "{what}: {e} names no missing field of {missing:?}"
                        );
                    }
                }
            }
        }
    }
}
