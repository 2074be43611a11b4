//! Reading a guide's claims again, without running anything, and judging a rewritten
//! claim against what its statement did. A fix is kept only when the claim reader
//! finds the rewritten claim where the old one stood, in the same form, and the judge
//! passes it against the same actual result: so a second `--fix` has nothing to do.

use std::collections::{HashMap, HashSet};
use std::mem::discriminant;

use anyhow::Result;

use crate::claims::{self, exception_of, is_traceback, Candidate, Form};
use crate::guide::{self, Format};
use crate::judge::{self, judge_exception, Options, Verdict};
use crate::python::worker::Raised;
use crate::python::Interpreter;

use super::rewrite::Target;

/// The candidate claims standing on the given lines of a guide's text.
pub fn claims_at(
    file: &str,
    format: Format,
    text: &str,
    lines: &HashSet<usize>,
    python: &Interpreter,
) -> Result<HashMap<usize, Candidate>> {
    let g = guide::read(file, text, format, python)?;
    let mut found = HashMap::new();
    for ex in guide::examples(&g) {
        if !lines.iter().any(|l| (ex.line..=ex.end_line).contains(l)) {
            continue;
        }
        let comments = python.comments(&ex.source(), ex.line);
        for c in claims::candidates(ex, &comments, python) {
            if lines.contains(&c.line) {
                found.insert(c.line, c);
            }
        }
    }
    Ok(found)
}

/// How a rewritten claim holds: as a claim of the exception its statement raised (so
/// that the exception is no longer the example's error), or by comparing text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Holds {
    AsException,
    AsText,
}

/// Whether the claim, as read again after the fix, holds against what its statement
/// did, the way `claims::resolve` and the judge will see it on the next run.
pub fn holds(t: &Target, after: &Candidate, opts: &Options, python: &Interpreter) -> Option<Holds> {
    let claim = t.claim;
    let actual = claim.actual.as_deref()?;
    if discriminant(&t.form) != discriminant(&after.form) {
        return None;
    }
    let text = after.text.as_str();
    let raised = t.raised;
    let exception = match after.form {
        // a session claims an exception only with a traceback; a block never does
        Form::Repl { .. } => exception_of(text).filter(|_| is_traceback(text)),
        // a notebook's saved outputs are rewritten in the notebook's JSON (fix::notebook)
        Form::Block | Form::Saved { .. } => None,
        Form::Trailing | Form::NextLine { .. } => exception_of(text),
    };
    let pass = |v: Verdict, how: Holds| (v == Verdict::Pass).then_some(how);
    match exception {
        // claiming an exception nobody claimed changes how the question runs: only
        // where that cannot change what the claim is compared with
        Some(_) if raised && claim.kind != claims::Kind::Exception && !t.may_claim_raise => None,
        Some(e) if raised => {
            let r = raised_from(actual, &after.form)?;
            let j = judge_exception(&e, Some(&r), opts, python);
            pass(j.verdict, Holds::AsException)
        }
        // an exception claimed where nothing was raised is judged as one, and fails,
        // except beside a line that printed it
        Some(_)
            if !(matches!(after.form, Form::Trailing) && claim.kind == claims::Kind::Output) =>
        {
            None
        }
        _ => pass(
            judge::judge(text, actual, opts, python).verdict,
            Holds::AsText,
        ),
    }
}

/// The exception a run reported as `Type: message` (in a session, its last line).
fn raised_from(actual: &str, form: &Form) -> Option<Raised> {
    let line = match form {
        Form::Repl { .. } => actual.lines().last()?,
        _ => actual,
    };
    let (type_name, message) = line.split_once(": ").unwrap_or((line, ""));
    Some(Raised {
        type_name: type_name.to_string(),
        message: message.to_string(),
        mro: vec![],
    })
}
