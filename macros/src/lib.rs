//! ringio-macros: `#[ringio::main]` and `#[ringio::test]`.
//!
//! This crate is being built; see issue 6.
