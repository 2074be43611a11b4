//! What a guide is made of, once read: questions holding examples, with guide lines.

use crate::claims::VersionReq;

/// One guide file, read.
#[derive(Debug, Clone)]
pub struct Guide {
    /// The path as the user gave it; every location names it.
    pub file: String,
    pub questions: Vec<Question>,
    pub warnings: Vec<Warning>,
    /// A notebook's cells: where each one's source and outputs stand in the file, so
    /// that a report can name the cell and the line inside it. Empty for other guides.
    pub cells: Vec<CellSpan>,
    /// Its questions run as one namespace, each after all before it, whatever the
    /// settings: a notebook is one kernel, run from the top.
    pub one_namespace: bool,
}

/// The file lines of one cell's source, or of one of its outputs, in a notebook.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CellSpan {
    /// The cell, counting every cell of the notebook from 1 (as Jupyter lists them).
    pub cell: usize,
    /// Which of the cell's outputs, from 1; none: the cell's source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<usize>,
    /// The file lines it spans; its Nth line is on file line `first + N - 1`.
    pub first: usize,
    pub last: usize,
}

impl CellSpan {
    /// "cell 3, line 2" or "cell 3, output 1" (", line 2" past its first line): the
    /// cell's name for a file line, when the line is in one.
    pub fn name(spans: &[CellSpan], line: usize) -> Option<String> {
        let s = spans.iter().find(|s| (s.first..=s.last).contains(&line))?;
        let n = line - s.first + 1;
        Some(match s.output {
            None => format!("cell {}, line {n}", s.cell),
            Some(o) if n == 1 => format!("cell {}, output {o}", s.cell),
            Some(o) => format!("cell {}, output {o}, line {n}", s.cell),
        })
    }
}

/// The part of a guide under one heading.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub title: String,
    /// The heading's line (1 for the part before the first heading).
    pub line: usize,
    pub examples: Vec<Example>,
}

/// One Python code block.
#[derive(Debug, Clone)]
pub struct Example {
    /// The first line of code in the guide.
    pub line: usize,
    pub end_line: usize,
    /// The code, one entry per guide line from `line` to `end_line`: prompts of a REPL
    /// example are removed and its expected-output lines blanked, so that line numbers
    /// stay those of the guide.
    pub code: Vec<String>,
    /// The block's lines as the guide shows them (dedented), prompts and all.
    pub raw: Vec<String>,
    /// The `>>>` lines of a REPL example: each compiles on its own, as in a REPL.
    pub prompts: Vec<usize>,
    /// Expected output of a REPL example, one entry per `>>>` statement that has any.
    pub repl: Vec<ReplExpectation>,
    /// Why the author skipped it, when they did.
    pub skip: Option<String>,
    /// The Python versions it runs on, when a directive limits it
    /// (`# snipcheck: python >= 3.10`, or one for its question): on others it is
    /// skipped.
    pub requires: Option<VersionReq>,
    /// A notebook cell's saved outputs, which claim what the cell printed.
    pub saved: Vec<SavedOutput>,
    /// Guide lines of IPython syntax in a notebook cell, run as `pass`: what they would
    /// have printed or bound is unknown, so `--fix` leaves the cell alone.
    pub not_run: Vec<usize>,
}

/// An output a notebook saved with its code cell: a claim on the whole cell.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedOutput {
    /// The file line of its first line of text (for an error, of its `ename`).
    pub line: usize,
    pub end_line: usize,
    pub kind: SavedKind,
    /// The text Jupyter shows: the stream's text, the result's `text/plain`, or the
    /// error's `Type: message`.
    pub text: String,
    /// Where it is in the notebook, for `--fix`: the cell's index and those of the
    /// outputs it stands for (stdout streams in a row are one), from 0.
    pub cell: usize,
    pub outputs: Vec<usize>,
    /// The cell also saved output to stderr, which the run's output holds among what
    /// it printed: `--fix` leaves its stdout alone rather than write stderr into it.
    pub beside_stderr: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavedKind {
    /// What the cell wrote to stdout, all of it.
    Stream,
    /// The value of the cell's last expression (`execute_result`).
    Result,
    /// The exception that ended the cell.
    Error,
}

impl Example {
    pub fn source(&self) -> String {
        self.code.join("\n")
    }

    /// The code at a guide line of this example (prompts removed, output blanked).
    pub fn code_line(&self, line: usize) -> Option<&str> {
        line.checked_sub(self.line)
            .and_then(|i| self.code.get(i))
            .map(String::as_str)
    }

    /// The guide's text at a guide line of this example, as the reader sees it.
    pub fn raw_line(&self, line: usize) -> Option<&str> {
        line.checked_sub(self.line)
            .and_then(|i| self.raw.get(i))
            .map(String::as_str)
    }
}

/// The lines a REPL session shows after a statement.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplExpectation {
    /// The `>>>` line.
    pub statement_line: usize,
    /// The first expected line.
    pub line: usize,
    pub text: String,
}

/// Something odd about a guide that does not stop the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub line: usize,
    pub message: String,
}
