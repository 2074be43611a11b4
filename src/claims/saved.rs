//! A notebook cell's saved outputs as claims (`Form::Saved`): unlike a comment, each
//! is about the whole cell, as Jupyter shows it under the cell. A `stream` claims all
//! the cell wrote to stdout, an `execute_result` the value of its last statement, an
//! `error` the exception one of its statements raised.

use super::{exception_of, Against, Candidate, Form, Kind, Observed, Resolved};
use crate::model::{Example, SavedKind};

/// The saved outputs of an example, as candidates.
pub(super) fn candidates(example: &Example) -> impl Iterator<Item = Candidate> + '_ {
    let (first, last) = (example.line, example.end_line);
    example.saved.iter().map(move |s| Candidate {
        line: s.line,
        // Jupyter's text ends with the newline of its last line; a claim does not
        text: s.text.strip_suffix('\n').unwrap_or(&s.text).to_string(),
        form: Form::Saved {
            kind: s.kind,
            first,
            last,
        },
    })
}

/// A saved error says some statement of the cell raises: any may, and the cell goes
/// on after the one that does, so that the exception is the claim's and not an error.
pub(super) fn expect_raise(c: &Candidate) -> Vec<usize> {
    match c.form {
        Form::Saved {
            kind: SavedKind::Error,
            first,
            last,
        } => (first..=last).collect(),
        _ => vec![],
    }
}

pub(super) fn kind(kind: SavedKind) -> Kind {
    match kind {
        SavedKind::Stream => Kind::OutputBlock,
        SavedKind::Result => Kind::Value,
        SavedKind::Error => Kind::Exception,
    }
}

pub(super) fn resolve(c: &Candidate, saved: SavedKind, seen: &Observed) -> Option<Resolved> {
    let statements = seen.statements();
    let last = statements.last().map_or(c.line, |s| s.line);
    // an exception no saved output claims stopped the cell where Jupyter did not:
    // what it printed and returned cannot be compared (a module this machine lacks
    // makes that "could not check")
    let failed = statements
        .iter()
        .filter_map(|s| seen.obs(s.line))
        .find(|o| o.error.is_some())
        .map(|o| o.line);
    match (saved, failed) {
        (SavedKind::Stream, Some(line)) => {
            return Some((Kind::OutputBlock, Against::NotReached(Some(line)), line));
        }
        (SavedKind::Result, Some(line)) => {
            return Some((Kind::Value, Against::NotReached(Some(line)), line));
        }
        _ => {}
    }
    match saved {
        SavedKind::Stream => {
            // what the cell printed up to its first exception, where Jupyter stops the
            // cell (the run goes on after it, for the claims further down)
            let mut text = String::new();
            for o in statements.iter().filter_map(|s| seen.obs(s.line)) {
                text.push_str(&o.stream);
                if o.raised.is_some() || o.error.is_some() {
                    break;
                }
            }
            Some((Kind::OutputBlock, Against::Text(text), last))
        }
        SavedKind::Result => {
            let obs = seen.obs(last)?;
            if let Some(e) = &obs.error {
                return Some((Kind::Value, Against::Failed(e.display()), last));
            }
            let against = match &obs.value {
                Some(v) => Against::Value(v.clone(), obs.value_str.clone()),
                None => Against::Text(String::new()),
            };
            Some((Kind::Value, against, last))
        }
        SavedKind::Error => {
            let claim = exception_of(&c.text)?;
            let raised = statements
                .iter()
                .filter_map(|s| seen.obs(s.line))
                .find_map(|o| o.raised.as_ref().map(|r| (o.line, r)));
            let at = raised.map_or(last, |(line, _)| line);
            Some((
                Kind::Exception,
                Against::Exception(claim, raised.map(|(_, r)| r.clone())),
                at,
            ))
        }
    }
}
