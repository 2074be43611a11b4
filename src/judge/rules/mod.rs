//! The rules that judge a claim against the actual text (docs/claims.md, "The
//! rules"), one file each, tried in the order of [`ORDER`]: the first that decides
//! gives the verdict and names itself in the report.

pub(crate) mod annotation;
pub(crate) mod approximate;
pub(crate) mod exact;
pub(crate) mod exception;
pub(crate) mod first_line;
pub(crate) mod label;
pub(crate) mod masked;
pub(crate) mod quotes;
pub(crate) mod type_name;
pub(crate) mod unordered;
pub(crate) mod value;
pub(crate) mod whitespace;

use crate::claims::Literals;

use super::{Judgement, Options};

/// What a rule sees: the claim's core (markers stripped) and the actual text, both
/// normalized, with the run's options and CPython's literal parser.
pub(crate) struct Case<'a> {
    pub core: &'a str,
    pub actual: &'a str,
    pub opts: &'a Options,
    pub lits: &'a dyn Literals,
}

impl<'a> Case<'a> {
    /// The same comparison with another core (the part of a claim before a remark).
    pub(crate) fn with_core(&self, core: &'a str) -> Case<'a> {
        Case {
            core,
            actual: self.actual,
            opts: self.opts,
            lits: self.lits,
        }
    }
}

/// A rule: `Some` when it decides (a pass, or a mismatch it can explain).
pub(crate) type Check = fn(&Case) -> Option<Judgement>;

/// The rules in the order they are tried on a whole claim.
pub(crate) const ORDER: &[Check] = &[
    exact::check,
    masked::check,
    annotation::check,
    approximate::check,
    value::check,
    unordered::check,
    quotes::check,
    label::check,
    type_name::check,
    whitespace::check,
];

/// The first rule that decides on this case.
pub(crate) fn decide(case: &Case) -> Option<Judgement> {
    ORDER.iter().find_map(|check| check(case))
}

/// The first rule but `skip` that decides: a rule that judges parts of a claim (a core
/// before a remark, an item against its line) asks the others, never itself.
pub(crate) fn decide_except(case: &Case, skip: Check) -> Option<Judgement> {
    ORDER
        .iter()
        .filter(|&&c| !std::ptr::fn_addr_eq(c, skip))
        .find_map(|c| c(case))
}

#[cfg(test)]
pub(crate) mod table {
    //! Table tests of the rules, with CPython's own parser for literals.

    use std::sync::OnceLock;

    use super::{Case, Check};
    use crate::judge::{Options, Rule, Verdict};
    use crate::python::Interpreter;

    pub(crate) fn python() -> &'static Interpreter {
        static PY: OnceLock<Interpreter> = OnceLock::new();
        PY.get_or_init(|| Interpreter::new().expect("the embedded interpreter loads"))
    }

    /// What a rule says of a row: `None` when it does not decide, else the verdict
    /// and rule.
    pub(crate) type Says = Option<(Verdict, Option<Rule>)>;

    /// Each row: claim core, actual, and what the rule says.
    pub(crate) fn check(rule: Check, rows: &[(&str, &str, Says)]) {
        let opts = Options::default();
        for (core, actual, want) in rows {
            let case = Case {
                core,
                actual,
                opts: &opts,
                lits: python(),
            };
            let got = rule(&case).map(|j| (j.verdict, j.rule));
            assert_eq!(got, *want, "claim {core:?} against {actual:?}");
        }
    }
}
