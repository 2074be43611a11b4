//! `--fix` and `--diff`: the false claims of a run rewritten with what really happened.
//!
//! (Skeleton: the rewriting itself is being built; see issue 9, point 3.)

use anyhow::Result;

use crate::report::Report;

/// One guide's text before and after fixing, and the claims that were rewritten.
#[derive(Debug, Clone)]
pub struct FileFix {
    /// The guide as the report names it (a path the run read it from).
    pub file: String,
    pub before: String,
    pub after: String,
    /// Guide lines of the claims rewritten (a claim is known by its first line).
    pub fixed: Vec<usize>,
}

/// The fixes a report calls for: one entry per guide that changes.
pub fn plan(_report: &Report) -> Result<Vec<FileFix>> {
    Ok(vec![])
}

/// Writes a fixed guide in place, atomically.
pub fn write(_fix: &FileFix) -> Result<()> {
    Ok(())
}

/// The unified diff of a fix, as `--diff` prints it.
pub fn unified_diff(_fix: &FileFix) -> String {
    String::new()
}
