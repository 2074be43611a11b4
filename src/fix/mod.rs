//! `--fix` and `--diff`: the false claims of a run rewritten with what really happened.
//!
//! Only claims judged `mismatch` that have an actual result are rewritten, in place:
//! the claim's text is found again in the guide's lines (`locate`), rewritten the way
//! its author wrote it (`rewrite`, `anatomy`, `approx`, `layout`: marker, remark,
//! precision, indentation), and the fixed guide is read again and judged without
//! running anything (`verify`, `plan`); a rewrite that would not read back as a claim
//! that holds is not made, and the claim is left as it was. Lines, line breaks and a
//! byte order mark are kept as they were (`source`); the file is replaced atomically
//! (`atomic`).

mod anatomy;
mod approx;
mod atomic;
mod diff;
mod layout;
mod locate;
mod notebook;
mod plan;
mod rewrite;
mod shadow;
mod source;
mod verify;

use std::collections::HashSet;

use anyhow::Result;

use crate::claims::Kind;
use crate::judge::Verdict;
use crate::python::Interpreter;
use crate::report::{ClaimReport, ExampleReport, Report};

pub use atomic::write;
pub use diff::unified_diff;

/// One guide's text before and after fixing, and the claims that were rewritten.
#[derive(Debug, Clone)]
pub struct FileFix {
    /// The guide as the report names it (a path the run read it from).
    pub file: String,
    pub before: String,
    pub after: String,
    /// Guide lines of the claims rewritten (a claim is known by its first line).
    pub fixed: Vec<usize>,
    /// Guide lines of example errors the fix settles: an exception nobody claimed,
    /// raised where a claim stated a value, which the rewritten claim now claims (the
    /// next run expects it, and the example no longer fails).
    pub settled: Vec<usize>,
    /// Guide lines of example errors saved as new claims: a notebook cell's exception,
    /// written as its error output (they are in `settled` too).
    pub saved_errors: Vec<usize>,
}

/// A false claim, the example it belongs to, and whether its question ran alone (not
/// after others for their names).
type Found<'a> = (&'a ClaimReport, &'a ExampleReport, bool);

/// The fixes a report calls for: one entry per guide that changes. The interpreter is
/// the run's own; it only reads the guides again.
pub fn plan(report: &Report, python: &Interpreter) -> Result<Vec<FileFix>> {
    let mut files: Vec<(&str, Vec<Found>)> = vec![];
    let mut seen = HashSet::new();
    let claims = report
        .questions
        .iter()
        .flat_map(|q| q.examples.iter().map(move |e| (q, e)))
        .flat_map(|(q, e)| e.claims.iter().map(move |c| (c, e, q.ran_after.is_empty())));
    for found in claims {
        let c = found.0;
        if !fixable(c) || !seen.insert((c.file.as_str(), c.line)) {
            continue;
        }
        match files.iter_mut().find(|(f, _)| *f == c.file) {
            Some((_, list)) => list.push(found),
            None => files.push((&c.file, vec![found])),
        }
    }
    // a notebook's cell that raised where its saved outputs show no error gets one
    for q in &report.questions {
        let raised = q.examples.iter().any(|e| e.error.is_some());
        if raised && notebook::is_notebook(&q.file) && !files.iter().any(|(f, _)| *f == q.file) {
            files.push((&q.file, vec![]));
        }
    }
    let mut out = vec![];
    for (file, claims) in files {
        let fix = if notebook::is_notebook(file) {
            let examples: Vec<&ExampleReport> = report
                .questions
                .iter()
                .flat_map(|q| &q.examples)
                .filter(|e| e.file == file)
                .collect();
            notebook::plan_file(file, &claims, &examples, python)?
        } else {
            plan::plan_file(file, &claims, python)?
        };
        if let Some(fix) = fix {
            out.push(fix);
        }
    }
    Ok(out)
}

/// Whether anything fails once the fixes are written: a failing claim they do not
/// rewrite, or an example error they do not settle. What `--fix`'s exit status says
/// (`Report::fails_beyond` counts every example error, even one a fix settles).
pub fn remains(report: &Report, fixes: &[FileFix], strict: bool) -> bool {
    let has = |lines: fn(&FileFix) -> &Vec<usize>, file: &str, line: usize| {
        fixes
            .iter()
            .any(|f| f.file == file && lines(f).contains(&line))
    };
    report.questions.iter().flat_map(|q| &q.examples).any(|ex| {
        // errors a baseline knows do not fail the run, fixed or not
        let unsettled = !ex.errors_known
            && ex
                .errors()
                .any(|e| !e.line.is_some_and(|l| has(|f| &f.settled, &ex.file, l)));
        unsettled
            || ex
                .claims
                .iter()
                .any(|c| c.fails(strict) && !has(|f| &f.fixed, &c.file, c.line))
    })
}

/// A false claim with something to write instead (an empty output would delete it).
fn fixable(c: &ClaimReport) -> bool {
    c.verdict == Verdict::Mismatch && c.actual.as_deref().is_some_and(|a| !a.trim().is_empty())
}

/// Whether the claim's statement raised, so that its actual result is the exception:
/// an exception claim, or a claim of a value on a line that raised an exception nobody
/// claimed, which is also its example's error.
fn raised(c: &ClaimReport, ex: &ExampleReport) -> bool {
    c.kind == Kind::Exception || settled_error(c, ex).is_some()
}

/// The line of the example error that the claim's statement raised: an error whose
/// exception is the claim's actual result, on the claim's line or between the claim
/// before it and this one (a session's prompt, the statement above a comment).
fn settled_error(c: &ClaimReport, ex: &ExampleReport) -> Option<usize> {
    let shown = c.actual.as_deref()?.lines().last()?;
    let before = ex
        .claims
        .iter()
        .map(|o| o.line)
        .filter(|&l| l < c.line)
        .max()
        .unwrap_or(0);
    ex.error
        .iter()
        .chain(&ex.more_errors)
        .filter(|e| e.display() == shown)
        .filter_map(|e| e.line)
        .filter(|&l| l == c.line || (before < l && l < c.line))
        .max()
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::python::worker::{PythonInfo, RunError};
    use crate::report::{QuestionReport, Status};

    /// CPython's own parser, as in the product.
    pub(crate) fn python() -> &'static Interpreter {
        static PY: OnceLock<Interpreter> = OnceLock::new();
        PY.get_or_init(|| Interpreter::new().expect("the embedded interpreter loads"))
    }

    fn claim(line: usize, verdict: Verdict) -> ClaimReport {
        ClaimReport {
            file: "g.md".into(),
            line,
            kind: Kind::Output,
            text: "0".into(),
            expected: "0".into(),
            actual: Some("KeyError: 'k'".into()),
            verdict,
            rule: None,
            message: None,
            notes: vec![],
            known: false,
            source: String::new(),
        }
    }

    /// A run of one example whose line 5 raised an exception nobody claimed.
    fn report(claims: Vec<ClaimReport>) -> Report {
        let error = RunError {
            type_name: "KeyError".into(),
            message: "'k'".into(),
            line: Some(5),
            traceback: None,
            signal: None,
            exit_code: None,
        };
        let example = ExampleReport {
            file: "g.md".into(),
            line: 3,
            end_line: 9,
            status: Status::Error,
            error: Some(error),
            more_errors: vec![],
            skip_reason: None,
            claims,
            errors_known: false,
        };
        let question = QuestionReport {
            file: "g.md".into(),
            line: 1,
            id: "1".into(),
            title: "t".into(),
            status: Status::Error,
            examples: vec![example],
            output_cut: false,
            ran_after: vec![],
            cached: false,
        };
        let python = PythonInfo {
            implementation: "CPython".into(),
            version: "3".into(),
            executable: String::new(),
            mode: String::new(),
            build: String::new(),
            packages: String::new(),
        };
        Report::new(python, vec![question], vec![], 0.0)
    }

    fn fix(fixed: &[usize], settled: &[usize]) -> FileFix {
        FileFix {
            file: "g.md".into(),
            before: String::new(),
            after: String::new(),
            fixed: fixed.to_vec(),
            settled: settled.to_vec(),
            saved_errors: vec![],
        }
    }

    #[test]
    fn what_remains_after_a_fix() {
        let r = report(vec![claim(5, Verdict::Mismatch)]);
        assert!(remains(&r, &[], false), "nothing fixed");
        assert!(
            remains(&r, &[fix(&[5], &[])], false),
            "the error still stands"
        );
        assert!(
            !remains(&r, &[fix(&[5], &[5])], false),
            "claimed, and so settled"
        );
        let two = report(vec![
            claim(5, Verdict::Mismatch),
            claim(7, Verdict::NotReached),
        ]);
        assert!(
            remains(&two, &[fix(&[5], &[5])], false),
            "line 7 still fails"
        );
        let prose = report(vec![
            claim(5, Verdict::Mismatch),
            claim(7, Verdict::Unverified),
        ]);
        assert!(!remains(&prose, &[fix(&[5], &[5])], false));
        assert!(remains(&prose, &[fix(&[5], &[5])], true), "--strict");
        let mut known = report(vec![claim(5, Verdict::Pass)]);
        assert!(remains(&known, &[], false), "the example error");
        known.questions[0].examples[0].errors_known = true;
        assert!(!remains(&known, &[], false), "an error the baseline knows");
    }

    #[test]
    fn the_error_a_claim_settles_is_the_one_its_statement_raised() {
        let r = report(vec![claim(5, Verdict::Mismatch)]);
        let ex = &r.questions[0].examples[0];
        assert_eq!(settled_error(&ex.claims[0], ex), Some(5));
        let mut other = claim(5, Verdict::Mismatch);
        other.actual = Some("KeyError: 'x'".into());
        assert_eq!(settled_error(&other, ex), None, "another exception");
        let below = report(vec![claim(4, Verdict::Pass), claim(6, Verdict::Mismatch)]);
        let ex = &below.questions[0].examples[0];
        assert_eq!(
            settled_error(&ex.claims[1], ex),
            Some(5),
            "the statement above"
        );
        let later = report(vec![claim(3, Verdict::Mismatch)]);
        let ex = &later.questions[0].examples[0];
        assert_eq!(
            settled_error(&ex.claims[0], ex),
            None,
            "raised after the claim"
        );
    }
}
