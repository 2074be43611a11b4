//! Rule `whitespace`: multi-line output equal to a one-line claim once line breaks
//! read as single spaces; `a, b` and `a, then b` read as successive lines too.
//!
//! `for_each([3, 2, 1], print)  # 3 2 1` printing three lines passes, with the note
//! that the output is on several lines.

use std::sync::OnceLock;

use regex::Regex;

use super::Case;
use crate::claims::grammar::re;
use crate::judge::{Judgement, Rule};

pub(crate) fn check(case: &Case) -> Option<Judgement> {
    whitespace(case.core, case.actual).then(|| {
        Judgement::pass(Rule::Whitespace, case.core).note("the output is on several lines")
    })
}

fn whitespace(claim: &str, actual: &str) -> bool {
    if !actual.contains('\n') || claim.contains('\n') {
        return false;
    }
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    if squash(actual) == squash(claim) {
        return true;
    }
    static SEP: OnceLock<Regex> = OnceLock::new();
    let sep = re(&SEP, r",\s*then\s+|\s+then\s+|,\s+");
    let items: Vec<String> = sep.split(claim).map(squash).collect();
    let lines: Vec<String> = actual
        .lines()
        .map(squash)
        .filter(|l| !l.is_empty())
        .collect();
    items.len() > 1 && items == lines
}

#[cfg(test)]
mod tests {
    use crate::judge::{Rule, Verdict};

    #[test]
    fn table() {
        let pass = Some((Verdict::Pass, Some(Rule::Whitespace)));
        super::super::table::check(
            super::check,
            &[
                ("3 2 1", "3\n2\n1", pass),
                ("1 x, then 2 y", "1 x\n2 y", pass),
                ("one, two, three", "one\ntwo\nthree", pass),
                ("3 2 1", "3 2 1", None),
                ("3 2", "3\n2\n1", None),
            ],
        );
    }
}
