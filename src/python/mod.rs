//! The Python side: the harness file, the embedded interpreter, and the workers.

pub mod containment;
mod embedded;
pub mod pool;
pub mod protocol;
pub mod pythons;
pub mod sandbox;
pub mod worker;

pub use embedded::{embedded_version, Comment, Interpreter};

/// The one Python module that both the embedded interpreter and external workers load:
/// the files of `harness/` joined in order (each part's definitions may use an earlier
/// part's, as in one file), two blank lines between them.
pub const HARNESS: &str = concat!(
    include_str!("harness/prelude.py"),
    "\n\n",
    include_str!("harness/guide.py"),
    "\n\n",
    include_str!("harness/output.py"),
    "\n\n",
    include_str!("harness/statements.py"),
    "\n\n",
    include_str!("harness/together.py"),
    "\n\n",
    include_str!("harness/process.py"),
    "\n\n",
    include_str!("harness/contained.py"),
    "\n\n",
    include_str!("harness/worker.py"),
);
