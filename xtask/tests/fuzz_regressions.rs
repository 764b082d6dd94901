//! The `extract_doc` fuzz target's check (fuzz/fuzz_targets/extract_doc.rs),
//! on stable: every input in tests/fuzz_inputs/extract_doc/ (a file per
//! finding) goes through extraction and generation without a panic.

use std::fs;
use std::path::Path;

use xtask::codegen::generate;
use xtask::extract::extract;

/// `Ok` or an error, from extraction or generation; a panic fails the test.
fn extract_and_generate(text: &str) -> Result<String, String> {
    let extracted = extract(text).map_err(|e| e.to_string())?;
    generate(&extracted.schema_set()).map_err(|e| e.to_string())
}

#[test]
fn fuzz_findings_are_errors_not_panics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fuzz_inputs/extract_doc");
    let mut inputs: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    for path in inputs {
        let bytes = fs::read(&path).unwrap();
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = extract_and_generate(text);
        }
    }
}

/// Found by `extract_doc`: a `$ref` to a definition that does not exist
/// made typify panic. It is now an error naming the file and pointer.
#[test]
fn a_dangling_ref_is_an_error_naming_it() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fuzz_inputs/extract_doc/dangling-ref-crash-484c400a.md");
    let text = fs::read_to_string(path).unwrap();
    let error = extract_and_generate(&text).unwrap_err();
    assert!(
        error.contains("`$ref` \"#/definitions/UsdrInfo\" is not one of this schema's own"),
        "{error}"
    );
}
