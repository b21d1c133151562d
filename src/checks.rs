//! The checks: every validation rule, as functions from the catalog to diagnostics (data, never
//! printed here). A new rule goes in `lint.rs` (or a submodule) with its `Rule` in
//! `model/diag.rs`.

pub mod lint;
