//! With feature `codegen`, generates the types from `schemas/*.json` into
//! `$OUT_DIR/generated.rs` with the generator crate (codegen/); without it
//! the crate uses the checked-in `src/generated.rs`, which `cargo xtask
//! check` keeps identical.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "codegen")]
    if let Err(e) = generate() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

#[cfg(feature = "codegen")]
fn generate() -> Result<(), onefuzz_webhook_types_codegen::Error> {
    use onefuzz_webhook_types_codegen as codegen;
    use std::path::{Path, PathBuf};
    let (set, read) = codegen::SchemaSet::load(Path::new("schemas"))?;
    for path in read {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let code = codegen::generate(&set)?;
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("generated.rs");
    std::fs::write(&out, code).map_err(|source| codegen::Error::Io { path: out, source })
}
