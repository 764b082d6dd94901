//! With feature `codegen`, build.rs generates the types afresh; they must be
//! byte-identical to the checked-in `src/generated.rs` that default builds use.
#![cfg(feature = "codegen")]

#[test]
fn checked_in_code_is_what_build_rs_generates() {
    let built = include_str!(concat!(env!("OUT_DIR"), "/generated.rs"));
    let checked_in = include_str!("../src/generated.rs");
    assert!(
        built == checked_in,
        "src/generated.rs was not up-to-date with schemas/: run `cargo xtask regen`"
    );
}
