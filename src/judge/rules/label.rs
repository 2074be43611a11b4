//! Rule `label`: a print of several arguments whose one-line output ends with the
//! claim.
//!
//! `print('total', total)  # 10` printing `total 10` passes, with the note that the
//! output starts with a label.

use super::Case;
use crate::judge::{Judgement, Rule};

pub(crate) fn check(case: &Case) -> Option<Judgement> {
    let (core, actual) = (case.core, case.actual);
    let labelled = !actual.contains('\n')
        && actual.len() > core.len()
        && actual.ends_with(&format!(" {core}"));
    labelled.then(|| Judgement::pass(Rule::Label, core).note("the output starts with a label"))
}

#[cfg(test)]
mod tests {
    use crate::judge::{Rule, Verdict};

    #[test]
    fn table() {
        let pass = Some((Verdict::Pass, Some(Rule::Label)));
        super::super::table::check(
            super::check,
            &[
                ("42", "total 42", pass),
                ("42", "total42", None),
                ("42", "42\ntotal 42", None),
            ],
        );
    }
}
