//! Rule `unordered`: text that shows a dict or a set (a `Counter` of one, a sentence
//! around one) equal to the output but for the order of the items inside the braces.
//!
//! The order a dict prints in depends on the order it was filled (and, before Python
//! 3.7, on the hash), and a `Counter` lists equal counts in the order it met them: a
//! guide written on another Python shows the same items in another order. Example:
//! `print('now kwargs is', kwargs)  # now kwargs is {'b': 2, 'a': 1}` printing
//! `now kwargs is {'a': 1, 'b': 2}` passes, with the note that only the order differs.

use std::ops::ControlFlow;

use super::Case;
use crate::claims::nesting::nesting;
use crate::claims::{Lit, Literals};
use crate::judge::{Judgement, Rule};

pub(crate) fn check(case: &Case) -> Option<Judgement> {
    let (core, actual) = (case.core, case.actual);
    if core == actual || !core.contains('{') || !actual.contains('{') || actual.len() > 100_000 {
        return None;
    }
    let (claimed, n) = unordered(core, case.lits);
    let (printed, m) = unordered(actual, case.lits);
    (n > 0 && m > 0 && claimed == printed).then(|| {
        Judgement::pass(Rule::Unordered, core).note("only the order inside the braces differs")
    })
}

/// The text with every dict or set literal in braces replaced by a key that does not
/// depend on the order of its items, and how many were replaced.
fn unordered(text: &str, lits: &dyn Literals) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let span = &rest[open..];
        match closing_brace(span) {
            Some(end) => match lits.literal(&span[..end]) {
                Some(lit @ (Lit::Dict(_) | Lit::Set(_))) => {
                    out.push('\u{0}');
                    out.push_str(&lit.key(false));
                    out.push('\u{0}');
                    count += 1;
                    rest = &span[end..];
                }
                _ => {
                    out.push('{');
                    rest = &span[1..];
                }
            },
            None => {
                out.push_str(span);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    (out, count)
}

/// Where the braces opened at the start of `text` close (just after the `}`),
/// outside quotes.
fn closing_brace(text: &str) -> Option<usize> {
    let mut end = None;
    nesting(text, false, |i, c, depth| {
        if depth == 0 {
            end = (c == '}').then_some(i + 1);
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    end
}

#[cfg(test)]
mod tests {
    use crate::judge::{Rule, Verdict};

    #[test]
    fn table() {
        let pass = Some((Verdict::Pass, Some(Rule::Unordered)));
        super::super::table::check(
            super::check,
            &[
                (
                    "now kwargs is {'b': 2, 'a': 1}",
                    "now kwargs is {'a': 1, 'b': 2}",
                    pass,
                ),
                (
                    "Counter({'test': 2, 'hello': 2, 'a': 1})",
                    "Counter({'hello': 2, 'test': 2, 'a': 1})",
                    pass,
                ),
                ("seen {3, 1} and {'x'}", "seen {1, 3} and {'x'}", pass),
                // a value that differs is no question of order
                (
                    "now kwargs is {'b': 2, 'a': 1}",
                    "now kwargs is {'a': 1, 'b': 3}",
                    None,
                ),
                ("now kwargs is {'b': 2}", "then kwargs is {'b': 2}", None),
                // a list keeps its order, inside braces or not
                ("{'k': [2, 1]}", "{'k': [1, 2]}", None),
                ("no braces", "no braces", None),
            ],
        );
    }
}
