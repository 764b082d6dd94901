//! Maintenance tasks for the webhook types crate: extracting the schemas
//! from the upstream markdown doc, keeping `schemas/` in sync with it, and
//! reporting how a new doc revision changes the generated types.

pub mod api;
pub mod bench;
/// The code generator that build.rs also calls: one source of truth for
/// `src/generated.rs`.
pub use onefuzz_webhook_types_codegen as codegen;
pub mod drift;
pub mod extract;
pub mod fetch;
pub mod files;
pub mod history;
pub mod join;
pub mod json_diff;
pub mod layout;
pub mod provenance;
pub mod report;
pub mod wire;
