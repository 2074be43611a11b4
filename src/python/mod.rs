//! The Python side: the harness file, the embedded interpreter, and the workers.

pub mod containment;
mod embedded;
pub mod pool;
pub mod protocol;
pub mod pythons;
pub mod sandbox;
pub mod worker;

pub use embedded::{embedded_version, Comment, Interpreter};

/// The one Python file that both the embedded interpreter and external workers load.
pub const HARNESS: &str = include_str!("harness.py");
