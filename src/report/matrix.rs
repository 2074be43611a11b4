//! A run under several interpreters (`--python 3.10 --python 3.13`): one report per
//! interpreter, the claims whose verdict or output differs between them, and the JSON
//! document that holds them all (docs/cli.md, "A matrix run").

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::human::Style;
use super::{Palette, Report};
use crate::judge::Verdict;

/// One claim seen by every interpreter of the matrix, where they do not all agree.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    pub file: String,
    pub line: usize,
    /// The claim as the guide writes it.
    pub text: String,
    /// Per interpreter, in the order of the run: its version, verdict and output
    /// (`null` where the interpreter did not reach or run the claim).
    pub runs: Vec<DifferenceRun>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DifferenceRun {
    pub python: String,
    pub verdict: Option<Verdict>,
    pub actual: Option<String>,
}

/// The JSON document of a matrix run: one whole report per interpreter.
#[derive(Serialize)]
struct MatrixJson<'a> {
    snipcheck: &'static str,
    /// The schema of this document: 2 is the matrix (1 is a single report).
    schema: u32,
    runs: &'a [Report],
    differences: Vec<Difference>,
}

/// The claims whose verdict or output is not the same under every interpreter.
pub fn differences(runs: &[Report]) -> Vec<Difference> {
    let mut seen: BTreeMap<(String, usize), Difference> = BTreeMap::new();
    for (i, report) in runs.iter().enumerate() {
        for c in report
            .questions
            .iter()
            .flat_map(|q| &q.examples)
            .flat_map(|e| &e.claims)
        {
            let entry = seen
                .entry((c.file.clone(), c.line))
                .or_insert_with(|| Difference {
                    file: c.file.clone(),
                    line: c.line,
                    text: c.text.clone(),
                    runs: runs
                        .iter()
                        .map(|r| DifferenceRun {
                            python: r.python.version.clone(),
                            verdict: None,
                            actual: None,
                        })
                        .collect(),
                });
            entry.runs[i].verdict = Some(c.verdict);
            entry.runs[i].actual = c.actual.clone();
        }
    }
    seen.into_values()
        .filter(|d| {
            let first = &d.runs[0];
            d.runs
                .iter()
                .any(|r| r.verdict != first.verdict || r.actual != first.actual)
        })
        .collect()
}

pub fn to_json(runs: &[Report]) -> String {
    let doc = MatrixJson {
        snipcheck: env!("CARGO_PKG_VERSION"),
        schema: 2,
        runs,
        differences: differences(runs),
    };
    serde_json::to_string_pretty(&doc).expect("a report always serializes") + "\n"
}

/// The end of the human report of a matrix: the claims that differ, then a summary
/// line per interpreter.
pub fn render_human(runs: &[Report], style: &Style) -> String {
    let p = &style.palette;
    let mut out = String::new();
    let diffs = differences(runs);
    let versions: Vec<&str> = runs.iter().map(|r| r.python.version.as_str()).collect();
    let _ = writeln!(
        out,
        "\n{}",
        p.bold(&format!("matrix: {}", versions.join(" · ")))
    );
    if diffs.is_empty() {
        let _ = writeln!(
            out,
            "every claim has the same verdict and output under each"
        );
    } else {
        let _ = writeln!(out, "claims that differ between interpreters:");
        let place = |d: &Difference| match runs.first() {
            Some(r) => r.cells.at(&d.file, d.line),
            None => format!("{}:{}", d.file, d.line),
        };
        let width = diffs
            .iter()
            .map(|d| place(d).chars().count())
            .max()
            .unwrap_or(0);
        let text_width = diffs
            .iter()
            .map(|d| shown(&d.text).chars().count())
            .max()
            .unwrap_or(0)
            .min(30);
        for d in &diffs {
            let cells: Vec<String> = d.runs.iter().map(|r| cell(r, p, style.strict)).collect();
            let _ = writeln!(
                out,
                "  {:<width$}  {:<text_width$}  {}",
                place(d),
                shown(&d.text),
                cells.join(" · ")
            );
        }
    }
    for r in runs {
        let verdict = if r.exit_code(style.strict) == 0 {
            p.green("ok")
        } else {
            p.red("FAILED")
        };
        let s = &r.summary;
        let _ = writeln!(
            out,
            "  {} {:<8} {verdict}: {} pass, {} mismatch, {} not reached, {} errors",
            r.python.implementation, r.python.version, s.pass, s.mismatch, s.not_reached, s.errors
        );
    }
    out
}

/// A claim's text on one line, escaped, cut to 30 characters.
fn shown(text: &str) -> String {
    let line = Palette::escape_inline(text.lines().next().unwrap_or("")).into_owned();
    if line.chars().count() > 30 {
        format!("{}…", line.chars().take(29).collect::<String>())
    } else {
        line
    }
}

fn cell(r: &DifferenceRun, p: &Palette, strict: bool) -> String {
    let word = match r.verdict {
        None => return format!("{} --", r.python),
        Some(Verdict::Pass) => p.green("ok"),
        Some(Verdict::Mismatch) | Some(Verdict::NotReached) => p.red("FAIL"),
        Some(Verdict::Unverified) if strict => p.red("FAIL"),
        Some(Verdict::Unverified) => "unverified".to_string(),
        Some(Verdict::Illustrative) => "illustrative".to_string(),
    };
    match &r.actual {
        Some(a) => format!("{} {word} {}", r.python, shown(a)),
        None => format!("{} {word}", r.python),
    }
}
