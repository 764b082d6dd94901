//! Maintenance tasks for the webhook types crate: extracting the schemas
//! from the upstream markdown doc, keeping `schemas/` in sync with it, and
//! reporting how a new doc revision changes the generated types.

pub mod extract;
