//! With feature `codegen`, generates the types from `schemas/*.json` into
//! `$OUT_DIR/generated.rs`; without it the crate uses the checked-in
//! `src/generated.rs`, which `cargo xtask check` keeps identical.

// `cargo xtask` shares this module and uses parts that the build does not.
#[cfg(feature = "codegen")]
#[allow(dead_code, unused_imports)]
#[path = "codegen/mod.rs"]
mod codegen;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "codegen")]
    if let Err(e) = generate() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

#[cfg(feature = "codegen")]
fn generate() -> Result<(), codegen::Error> {
    use std::path::{Path, PathBuf};
    println!("cargo:rerun-if-changed=codegen");
    let (set, read) = codegen::SchemaSet::load(Path::new("schemas"))?;
    for path in read {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let code = codegen::generate(&set)?;
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("generated.rs");
    std::fs::write(&out, code).map_err(|source| codegen::Error::Io { path: out, source })
}
