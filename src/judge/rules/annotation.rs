//! Rule `annotation`: a core that holds, followed by a remark.
//!
//! Accepts a claim that splits into a core and a remark (see
//! [`split_remark`](crate::claims::grammar::split_remark): a parenthesis, a dash, two
//! spaces, `!`, a comma and words, a unit word, a derivation's `= V`) where the core
//! holds by another rule. A core equal to the actual passes as `annotation`; one that
//! holds by another rule is reported under that rule. Either way the report notes the
//! remark. Example: `print(shallow[0][0])  # 99 (Affected)` printing `99`.

use super::{Case, ORDER};
use crate::claims::grammar::split_remark;
use crate::judge::text::normalize;
use crate::judge::{Judgement, Rule};

pub(crate) fn check(case: &Case) -> Option<Judgement> {
    for (part, remark) in split_remark(case.core, case.lits) {
        let part = normalize(&part);
        let inner = case.with_core(&part);
        // every other rule, in order, on the core
        let decided = ORDER
            .iter()
            .filter(|&&c| !std::ptr::fn_addr_eq(c, check as super::Check))
            .find_map(|c| c(&inner));
        if let Some(j) = decided {
            let j = if j.rule == Some(Rule::Exact) {
                Judgement {
                    rule: Some(Rule::Annotation),
                    ..j
                }
            } else {
                j
            };
            return Some(j.note(format!("remark: {remark}")));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::judge::{Rule, Verdict};

    #[test]
    fn table() {
        let pass = Some((Verdict::Pass, Some(Rule::Annotation)));
        super::super::table::check(
            super::check,
            &[
                ("99 (Affected)", "99", pass),
                ("1024 - two to the tenth", "1024", pass),
                ("4, because abs drops it", "4", pass),
                ("2.5  # true division", "2.5", pass),
                ("5 characters", "5", pass),
                ("24 bytes (an int object)", "24", pass),
                ("[2, 3, 4]  start=1, stop=4", "[2, 3, 4]", pass),
                ("True!", "True", pass),
                ("True, a and b are the same object", "True", pass),
                ("3 * 4 = 12", "12", pass),
                ("[3, 1, 2] (a set)", "[1, 2, 3]", None),
                ("True True", "True", None), // no remark: two values
                (
                    "~100 bytes",
                    "104",
                    Some((Verdict::Pass, Some(Rule::Approximate))),
                ),
                (
                    "~100 bytes",
                    "200",
                    Some((Verdict::Mismatch, Some(Rule::Approximate))),
                ),
                ("98 (Affected)", "99", None),
                ("3 * 4 = 12", "3", None),
            ],
        );
    }
}
