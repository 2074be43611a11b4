//! The comments of a guide's examples, kept beside the answers. Finding them is a call
//! into the embedded interpreter's tokenizer per example, about 15 µs each: for a
//! guide of 2,000 questions that is 30 ms before anything can run, a third of what a
//! re-check after one edit would otherwise cost. What the tokenizer finds depends only
//! on the code, the harness and the embedded CPython, so it is kept by those: one
//! entry per guide, mapping a digest of each example's code to its comments, their
//! lines counted from the example's first line.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::files::Entries;
use super::key::hex;
use crate::python::{Comment, Interpreter};

/// A comment with its line counted from its example's first line: (line, column,
/// text, trailing).
type Stored = (usize, usize, String, bool);

/// The comments known for one guide, and those its examples used this run.
pub struct GuideComments {
    entries: Entries,
    key: String,
    known: HashMap<String, Vec<Stored>>,
    used: HashMap<String, Vec<Stored>>,
    missed: bool,
}

#[derive(Serialize, Deserialize)]
struct Pack {
    examples: HashMap<String, Vec<Stored>>,
}

impl GuideComments {
    pub(super) fn open(entries: Entries, guide: &str) -> GuideComments {
        // the guide's own path, wherever the run was started
        let path = std::fs::canonicalize(guide)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| guide.to_string());
        let material = serde_json::json!({
            "comments": path,
            "snipcheck": env!("CARGO_PKG_VERSION"),
            "harness": super::key::harness_digest(),
            "python": crate::python::embedded_version(),
        });
        let key = hex(&Sha256::digest(material.to_string().as_bytes()));
        let known = entries
            .read(&key)
            .and_then(|text| serde_json::from_str::<Pack>(&text).ok())
            .map(|p| p.examples)
            .unwrap_or_default();
        GuideComments {
            entries,
            key,
            known,
            used: HashMap::new(),
            missed: false,
        }
    }

    /// The comments of an example whose code starts at `first_line`.
    pub fn get(&mut self, python: &Interpreter, code: &str, first_line: usize) -> Vec<Comment> {
        let digest = hex(&Sha256::digest(code.as_bytes()));
        let stored = match self.used.get(&digest) {
            Some(stored) => stored.clone(), // the same code twice in the guide
            None => self.known.remove(&digest).unwrap_or_else(|| {
                self.missed = true;
                python
                    .comments(code, first_line)
                    .into_iter()
                    .map(|c| (c.line.saturating_sub(first_line), c.col, c.text, c.trailing))
                    .collect()
            }),
        };
        let comments = stored
            .iter()
            .map(|(line, col, text, trailing)| Comment {
                line: line + first_line,
                col: *col,
                text: text.clone(),
                trailing: *trailing,
            })
            .collect();
        self.used.entry(digest).or_insert(stored);
        comments
    }

    /// Keeps the comments of this run's examples, and only those, when they changed.
    pub fn save(self) {
        if !self.missed && self.known.is_empty() {
            return;
        }
        let pack = Pack {
            examples: self.used,
        };
        if let Ok(text) = serde_json::to_string(&pack) {
            let _ = self.entries.write(&self.key, &text);
        }
    }
}
