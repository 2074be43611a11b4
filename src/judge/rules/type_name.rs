//! Rule `type-name`: a bare type name claims the type.
//!
//! `print(type(x))  # str` printing `<class 'str'>` passes, and so does the module's
//! qualified name (`collections.OrderedDict`) or the bare one (`OrderedDict`), with
//! the note that the claim names the type.

use std::sync::OnceLock;

use regex::Regex;

use super::Case;
use crate::claims::grammar::re;
use crate::judge::{Judgement, Rule};

pub(crate) fn check(case: &Case) -> Option<Judgement> {
    static CLASS: OnceLock<Regex> = OnceLock::new();
    let class = re(&CLASS, r"^<class '((?:\w+\.)*(\w+))'>$");
    let c = class.captures(case.actual.trim())?;
    let claim = case.core.trim();
    (claim == &c[2] || claim == &c[1])
        .then(|| Judgement::pass(Rule::TypeName, case.core).note("the claim names the type"))
}

#[cfg(test)]
mod tests {
    use crate::judge::{Rule, Verdict};

    #[test]
    fn table() {
        let pass = Some((Verdict::Pass, Some(Rule::TypeName)));
        super::super::table::check(
            super::check,
            &[
                ("str", "<class 'str'>", pass),
                ("OrderedDict", "<class 'collections.OrderedDict'>", pass),
                (
                    "collections.OrderedDict",
                    "<class 'collections.OrderedDict'>",
                    pass,
                ),
                ("int", "<class 'str'>", None),
                ("str", "str", None),
            ],
        );
    }
}
