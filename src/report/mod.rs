//! The report of a run (CLI.md's JSON shape) and its renderers.

pub mod cells;
pub mod event;
pub mod github;
pub mod human;
pub mod junit;
pub mod matrix;
mod palette;
pub mod progress;
pub mod sarif;

use serde::{Deserialize, Serialize};

use crate::claims::Kind;
use crate::judge::{Rule, Verdict};
use crate::python::worker::{PythonInfo, RunError};

pub use cells::Cells;
pub use palette::Palette;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Passed,
    Failed,
    Error,
    Skipped,
    NoCode,
}

/// Read back from a JSON report by `snipcheck merge`: fields left out when empty are
/// `default` here.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub snipcheck: String,
    pub python: PythonInfo,
    /// What confines the examples on this machine (the sandbox in force).
    pub protections: String,
    pub summary: Summary,
    pub questions: Vec<QuestionReport>,
    pub warnings: Vec<WarningReport>,
    /// Wall time of the run in seconds.
    pub seconds: f64,
    /// Questions with code that were not run because `--exitfirst`/`--maxfail` stopped
    /// the run; they are not in `questions`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub not_run: usize,
    /// Questions whose observations came from the run cache.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cached: usize,
    /// What a `--baseline` or `--write-baseline` did to the run: the findings it knew,
    /// and the entries no finding of the run matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<crate::baseline::Outcome>,
    /// The run checked one part of the questions (`--partition`): which, and the
    /// guides of the whole run, for `snipcheck merge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<crate::partition::Shard>,
    /// Where the cells of the run's notebooks are, to name their lines by cell.
    #[serde(default, skip_serializing_if = "Cells::is_empty")]
    pub cells: Cells,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    pub questions: usize,
    pub examples: usize,
    pub claims: usize,
    pub pass: usize,
    pub mismatch: usize,
    pub unverified: usize,
    pub illustrative: usize,
    pub not_reached: usize,
    pub errors: usize,
    pub skipped: usize,
    /// Findings (failing claims, examples in error) the baseline knew: they do not fail.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub known: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarningReport {
    pub file: String,
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuestionReport {
    pub file: String,
    pub line: usize,
    pub id: String,
    pub title: String,
    pub status: Status,
    pub examples: Vec<ExampleReport>,
    /// Output beyond the per-question cap was dropped.
    pub output_cut: bool,
    /// Ids of earlier questions this one ran after, in one namespace, because it uses
    /// names they bind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ran_after: Vec<String>,
    /// What its examples did came from the run cache: it did not run this time.
    #[serde(default, skip_serializing_if = "is_false")]
    pub cached: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExampleReport {
    pub file: String,
    pub line: usize,
    pub end_line: usize,
    pub status: Status,
    pub error: Option<RunError>,
    /// Exceptions nobody claimed after the first (the example went on after each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_errors: Vec<RunError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    pub claims: Vec<ClaimReport>,
    /// Its errors are findings the baseline knew: they do not fail the run.
    #[serde(default, skip_serializing_if = "is_false")]
    pub errors_known: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClaimReport {
    pub file: String,
    pub line: usize,
    pub kind: Kind,
    pub text: String,
    pub expected: String,
    pub actual: Option<String>,
    pub verdict: Verdict,
    pub rule: Option<Rule>,
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// A finding the baseline knew: it does not fail the run and is not shown.
    #[serde(default, skip_serializing_if = "is_false")]
    pub known: bool,
    /// The guide's source line the claim stands on, for the human report (and for
    /// `snipcheck merge`, which has only the JSON reports).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

impl ClaimReport {
    /// Whether the claim fails the run: a finding the baseline does not know.
    pub fn fails(&self, strict: bool) -> bool {
        !self.known && self.is_finding(strict)
    }

    /// Whether the claim is a finding (what a baseline records), known or not.
    pub fn is_finding(&self, strict: bool) -> bool {
        matches!(self.verdict, Verdict::Mismatch | Verdict::NotReached)
            || (strict && self.verdict == Verdict::Unverified)
    }

    /// Not checked, for a reason the report gives (nothing was observed on its line),
    /// without failing the run: the formats that list only failures say it too.
    pub fn unchecked_with_reason(&self, strict: bool) -> bool {
        self.verdict == Verdict::Unverified && self.message.is_some() && !self.fails(strict)
    }
}

impl ExampleReport {
    /// Its errors, the first one and those after it.
    pub fn errors(&self) -> impl Iterator<Item = &RunError> {
        self.error.iter().chain(&self.more_errors)
    }
}

impl Report {
    pub fn new(
        python: PythonInfo,
        questions: Vec<QuestionReport>,
        warnings: Vec<WarningReport>,
        seconds: f64,
    ) -> Report {
        let summary = summarize(&questions);
        let cached = questions.iter().filter(|q| q.cached).count();
        Report {
            snipcheck: env!("CARGO_PKG_VERSION").to_string(),
            python,
            protections: String::new(),
            summary,
            questions,
            warnings,
            seconds,
            not_run: 0,
            cached,
            baseline: None,
            partition: None,
            cells: Cells::default(),
        }
    }

    /// 0 when every claim holds, 1 otherwise (CLI.md): a failing claim or an example
    /// in error, findings the baseline knows left out.
    pub fn exit_code(&self, strict: bool) -> u8 {
        let failed = self
            .questions
            .iter()
            .flat_map(|q| &q.examples)
            .any(|e| e.status == Status::Error || e.claims.iter().any(|c| c.fails(strict)));
        u8::from(failed)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report always serializes") + "\n"
    }
}

fn summarize(questions: &[QuestionReport]) -> Summary {
    let mut s = Summary {
        questions: questions.len(),
        ..Summary::default()
    };
    for ex in questions.iter().flat_map(|q| &q.examples) {
        s.examples += 1;
        match ex.status {
            Status::Skipped => s.skipped += 1,
            Status::Error => s.errors += 1,
            _ => {}
        }
        s.known += usize::from(ex.errors_known);
        for c in &ex.claims {
            s.claims += 1;
            s.known += usize::from(c.known);
            match c.verdict {
                Verdict::Pass => s.pass += 1,
                Verdict::Mismatch => s.mismatch += 1,
                Verdict::Unverified => s.unverified += 1,
                Verdict::Illustrative => s.illustrative += 1,
                Verdict::NotReached => s.not_reached += 1,
            }
        }
    }
    s
}

/// The status of an example from its error and its claims.
pub fn example_status(error: Option<&RunError>, claims: &[ClaimReport], strict: bool) -> Status {
    example_status_known(error, false, claims, strict)
}

/// The status of an example whose errors the baseline may know.
pub fn example_status_known(
    error: Option<&RunError>,
    errors_known: bool,
    claims: &[ClaimReport],
    strict: bool,
) -> Status {
    if error.is_some() && !errors_known {
        Status::Error
    } else if claims.iter().any(|c| c.fails(strict)) {
        Status::Failed
    } else {
        Status::Passed
    }
}

/// The status of a question from its examples.
pub fn question_status(examples: &[ExampleReport]) -> Status {
    if examples.is_empty() {
        Status::NoCode
    } else if examples.iter().all(|e| e.status == Status::Skipped) {
        Status::Skipped
    } else if examples.iter().any(|e| e.status == Status::Error) {
        Status::Error
    } else if examples.iter().any(|e| e.status == Status::Failed) {
        Status::Failed
    } else {
        Status::Passed
    }
}

/// What a report says of a claim not reached when the run says nothing more.
pub const NOT_REACHED: &str = "the example stopped before this line ran";

/// A failing claim as plain text for annotations and JUnit: its guide line, what the
/// judge said, and the expected/actual diff.
pub fn problem_text(c: &ClaimReport) -> String {
    let mut out = format!("{}\n", c.source.trim());
    if let Some(m) = &c.message {
        out.push_str(m);
        out.push('\n');
    }
    if let Some(actual) = &c.actual {
        if c.verdict != Verdict::NotReached {
            for line in human::diff_lines(&c.expected, actual, &Palette::plain()) {
                out.push_str(line.as_str());
                out.push('\n');
            }
        }
    } else if c.verdict == Verdict::NotReached && c.message.is_none() {
        out.push_str(NOT_REACHED);
        out.push('\n');
    }
    out.trim_end().to_string()
}
