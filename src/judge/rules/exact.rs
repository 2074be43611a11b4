//! Rule `exact`: the claim is the actual text.
//!
//! Accepts equal texts once trailing white space on each line and final newlines are
//! ignored (both sides arrive normalized). Example: `print(sorted(s))  # [1, 2, 3]`
//! printing `[1, 2, 3]`. No note.

use super::Case;
use crate::judge::{Judgement, Rule};

pub(crate) fn check(case: &Case) -> Option<Judgement> {
    (case.core == case.actual).then(|| Judgement::pass(Rule::Exact, case.core))
}

#[cfg(test)]
mod tests {
    use crate::judge::{Rule, Verdict};

    #[test]
    fn table() {
        let pass = Some((Verdict::Pass, Some(Rule::Exact)));
        super::super::table::check(
            super::check,
            &[
                ("[1, 2, 3]", "[1, 2, 3]", pass),
                ("\n  a", "\n  a", pass),
                ("a", "b", None),
                ("HELLO WORLD", "HELLO, WORLD", None),
            ],
        );
    }
}
