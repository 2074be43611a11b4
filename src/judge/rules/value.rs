//! Rule `value`: both sides are Python literals and equal, with the same types all the
//! way down.
//!
//! `5` is not `5.0` and `1` is not `True` (in a teaching guide that difference is the
//! lesson); sets and dicts compare without regard to order. Notes say what differed
//! only in form: "only the order differs", "quote style differs", "written
//! differently". Example: `print(set([3, 1, 2]))  # {3, 1, 2}` printing `{1, 2, 3}`.

use super::Case;
use crate::judge::{Judgement, Rule};

pub(crate) fn check(case: &Case) -> Option<Judgement> {
    let (claim, actual) = (case.core, case.actual);
    if actual.len() > 200_000 {
        return None;
    }
    let (c, a) = (case.lits.literal(claim)?, case.lits.literal(actual)?);
    if c.key(false) != a.key(false) {
        return None;
    }
    let mut j = Judgement::pass(Rule::Value, claim);
    if c.key(true) != a.key(true) {
        j = j.note("only the order differs");
    }
    if claim.trim() != actual.trim() {
        if claim.replace('"', "'") == actual.replace('"', "'") {
            j = j.note("quote style differs");
        } else if j.notes.is_empty() {
            j = j.note("written differently");
        }
    }
    Some(j)
}

#[cfg(test)]
mod tests {
    use crate::judge::{Rule, Verdict};

    #[test]
    fn table() {
        let pass = Some((Verdict::Pass, Some(Rule::Value)));
        super::super::table::check(
            super::check,
            &[
                ("{3, 1, 2}", "{1, 2, 3}", pass),
                ("[\"a\", \"b\"]", "['a', 'b']", pass),
                ("{'b': 2, 'a': 1}", "{'a': 1, 'b': 2}", pass),
                ("5", "5.0", None),
                ("1", "True", None),
                ("[1, 2]", "(1, 2)", None),
                ("[0, 1]", "[0.0, 1.0]", None),
            ],
        );
    }
}
