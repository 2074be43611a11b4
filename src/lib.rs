//! snipcheck: runs the Python examples of a guide and checks what their comments claim.
//!
//! The pipeline: [`guide`] reads a file into questions and examples, [`claims`] finds
//! the comments that state a result, [`python`] runs each question contained in a
//! worker, [`judge`] compares each claim with what happened, [`report`] renders it.

pub mod app;
pub mod baseline;
pub mod cache;
pub mod claims;
pub mod cli;
pub mod config;
pub mod evaluate;
pub mod extract;
pub mod fix;
pub mod guide;
pub mod inputs;
pub mod judge;
pub mod merge;
pub mod messages;
pub mod model;
pub mod partition;
pub mod python;
pub mod report;
pub mod settings;
pub mod version;
