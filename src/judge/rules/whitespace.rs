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
    let (claim, actual) = (case.core, case.actual);
    if claim.contains('\n') {
        return None;
    }
    if actual.contains('\n') {
        let note = if squash(actual) == squash(claim) || items_are_lines(case) {
            "the output is on several lines"
        } else if claim.contains("\\n") && claim.replace("\\n", "\n") == actual {
            "the claim writes each line break as \\n"
        } else {
            return None;
        };
        return Some(Judgement::pass(Rule::Whitespace, claim).note(note));
    }
    // `# 3, 2` for `print(q, r)`: the values a print shows with spaces, written as a list
    let items: Vec<&str> = claim.split(", ").collect();
    let words: Vec<&str> = actual.split_whitespace().collect();
    (items.len() > 1 && !actual.contains(',') && items == words).then(|| {
        Judgement::pass(Rule::Whitespace, claim).note("the output shows the values with spaces")
    })
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `1 x, then 2 y` for two lines: each item is its line, by any rule but this one
/// (`"computing..." then 78.54...` for `computing...` and `78.53981633974483`).
fn items_are_lines(case: &Case) -> bool {
    static SEP: OnceLock<Regex> = OnceLock::new();
    let sep = re(&SEP, r",\s*then\s+|\s+then\s+|,\s+");
    let items: Vec<String> = sep.split(case.core).map(squash).collect();
    let lines: Vec<String> = case
        .actual
        .lines()
        .map(squash)
        .filter(|l| !l.is_empty())
        .collect();
    items.len() > 1
        && items.len() == lines.len()
        && items.iter().zip(&lines).all(|(item, line)| {
            item == line || {
                let inner = Case {
                    core: item,
                    actual: line,
                    ..*case
                };
                super::decide_except(&inner, check)
                    .is_some_and(|j| j.verdict == crate::judge::Verdict::Pass)
            }
        })
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
                (
                    "\"computing...\" then 78.54...",
                    "computing...\n78.53981633974483",
                    pass,
                ),
                ("\"computing...\" then 78.54...", "computing...\n79.5", None),
                ("hello\\nworld", "hello\nworld", pass),
                ("hello\\nthere", "hello\nworld", None),
                ("3, 2", "3 2", pass),
                ("3, 2", "3 4", None),
                ("3, 2", "3, 2, 1", None),
            ],
        );
    }
}
