//! Claim and rule parsing on arbitrary text: no panic, and verdicts keep their
//! invariants (an exact pass for equal text, an expected core taken from the claim).
#![no_main]

use libfuzzer_sys::fuzz_target;
use snipcheck::claims::{grammar, Lit, Literals};
use snipcheck::judge::{self, Options, Verdict};

/// Literals without Python: integers only.
struct Ints;

impl Literals for Ints {
    fn literal(&self, text: &str) -> Option<Lit> {
        text.trim().parse::<i64>().ok().map(|n| Lit::Int(n.to_string()))
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (claim, actual) = text.split_once('\u{0}').unwrap_or((text, ""));
    let opts = Options::default();
    let j = judge::judge(claim, actual, &opts, &Ints);
    if j.verdict == Verdict::Pass {
        assert!(j.rule.is_some());
    }
    if grammar::strip_markers(actual) == actual.trim_end() {
        // with no marker to strip, a claim that is the output holds
        let same = judge::judge(actual, actual, &opts, &Ints);
        assert!(matches!(same.verdict, Verdict::Pass | Verdict::Illustrative), "{actual:?}: {same:?}");
    }
    let _ = judge::judge_value(claim, actual, Some(claim), &opts, &Ints);
    let _ = grammar::split_remark(claim, &Ints);
    let _ = grammar::approximate(claim);
    let _ = grammar::reads_as_prose(claim);
    if let Some(e) = snipcheck::claims::parse_exception(claim) {
        let _ = judge::judge_exception(&e, None, &opts, &Ints);
    }
    let _ = snipcheck::claims::exception_of(claim);
});
