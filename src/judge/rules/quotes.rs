//! Rule `quotes`: a quoted string whose content is what was printed.
//!
//! `print(num_str)  # '10'` printing `10` passes, with the note that print shows no
//! quotes. (A value claimed without quotes, `# hello` for the value `'hello'`, passes
//! through the value's `str`: see `judge_value`.)

use super::Case;
use crate::claims::Lit;
use crate::judge::text::normalize;
use crate::judge::{Judgement, Rule};

pub(crate) fn check(case: &Case) -> Option<Judgement> {
    let core = case.core;
    if !(core.starts_with('\'') || core.starts_with('"')) {
        return None;
    }
    match case.lits.literal(core) {
        Some(Lit::Str(s)) if normalize(&s) == case.actual => {
            Some(Judgement::pass(Rule::Quotes, core).note("print shows no quotes"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::judge::{Rule, Verdict};

    #[test]
    fn table() {
        let pass = Some((Verdict::Pass, Some(Rule::Quotes)));
        super::super::table::check(
            super::check,
            &[
                ("'10'", "10", pass),
                ("\"hello world\"", "hello world", pass),
                ("'10'", "11", None),
                ("10", "10", None),
            ],
        );
    }
}
