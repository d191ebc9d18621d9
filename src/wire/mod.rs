//! The wire: how engine values become text and text becomes engine values,
//! identically natively and in the browser.
//!
//! - [`json`]: JSON in and out for the CLI and the server twin (serde_json),
//!   with the path of a shape error from [`json_path`].
//! - [`reader`]: the browser module's reader of the same JSON text, giving
//!   serde_json's values, messages and paths without serde's derived visitors.
//! - [`number`]: numbers written as JavaScript writes them, and without
//!   `core::fmt` in messages.

pub mod json;
mod json_path;
pub mod number;
pub mod reader;
