//! Rule `exception`: the statement raised the exception the claim names.
//!
//! Accepts the exception's class or any base class (`LookupError` for a `KeyError`);
//! `Exception` (what `# Error`, `# error` and a cut-off traceback claim) for any
//! exception. A message, when the claim gives one, must match by the other rules;
//! one that differs only in the directories of paths is illustrative.
//! Example: `{}["k"]  # KeyError: 'k'` passes; `int("7")  # ValueError` is a mismatch
//! ("expected ValueError; nothing was raised").

use crate::claims::{ExceptionClaim, Literals};
use crate::python::worker::Raised;

use crate::judge::{judge, Judgement, Options, Rule, Verdict};

/// Judges an exception claim against what the statement raised.
pub fn judge_exception(
    claim: &ExceptionClaim,
    raised: Option<&Raised>,
    opts: &Options,
    lits: &dyn Literals,
) -> Judgement {
    let expected = match &claim.message {
        Some(m) => format!("{}: {m}", claim.name),
        None => claim.name.clone(),
    };
    let Some(raised) = raised else {
        return Judgement::new(Verdict::Mismatch, Some(Rule::Exception), &expected)
            .with_message(format!("expected {}; nothing was raised", claim.name));
    };
    let same = raised.type_name == claim.name || raised.mro.contains(&claim.name);
    if !same {
        return Judgement::new(Verdict::Mismatch, Some(Rule::Exception), &expected).with_message(
            format!("expected {}; {} was raised", claim.name, raised.type_name),
        );
    }
    if let Some(message) = &claim.message {
        let j = judge(message, &raised.message, opts, lits);
        if j.verdict == Verdict::Illustrative {
            return Judgement { expected, ..j };
        }
        if j.verdict != Verdict::Pass {
            return Judgement::new(Verdict::Mismatch, Some(Rule::Exception), &expected)
                .with_message(format!(
                    "{} was raised, with another message",
                    raised.type_name
                ));
        }
    }
    Judgement::pass(Rule::Exception, &expected)
}

#[cfg(test)]
mod tests {
    use crate::claims::parse_exception;
    use crate::judge::{Options, Verdict};
    use crate::python::worker::Raised;

    #[test]
    fn table() {
        let key_error = Raised {
            type_name: "KeyError".into(),
            message: "'k'".into(),
            mro: vec![
                "LookupError".into(),
                "Exception".into(),
                "BaseException".into(),
            ],
        };
        let rows: &[(&str, Option<&Raised>, Verdict)] = &[
            ("KeyError", Some(&key_error), Verdict::Pass),
            ("KeyError: 'k'", Some(&key_error), Verdict::Pass),
            ("raises a LookupError", Some(&key_error), Verdict::Pass),
            ("Error", Some(&key_error), Verdict::Pass),
            ("Exception", Some(&key_error), Verdict::Pass),
            ("KeyError: 'x'", Some(&key_error), Verdict::Mismatch),
            ("ValueError", Some(&key_error), Verdict::Mismatch),
            ("ValueError", None, Verdict::Mismatch),
        ];
        let python = crate::judge::rules::table::python();
        for (claim, raised, want) in rows {
            let e = parse_exception(claim).unwrap_or_else(|| panic!("{claim:?} parses"));
            let got = super::judge_exception(&e, *raised, &Options::default(), python);
            assert_eq!(got.verdict, *want, "{claim:?}");
        }
    }
}
