//! Rule `approximate`: `~N`, `≈N`, `about N`, `approx. N`, `around N`, `roughly N`.
//!
//! Accepts an actual number within the relative tolerance of N (25 % unless
//! `--tolerance`). Outside it the rule still decides: a mismatch whose message shows
//! the allowed range. Example: `print(sys.getsizeof(gen))  # ~100 bytes` is a
//! mismatch on CPython 3.11 ("200 is outside ~100 ± 25% (75 to 125)").

use super::Case;
use crate::claims::grammar::approximate;
use crate::judge::text::{first_line, fmt_num, number};
use crate::judge::{Judgement, Rule, Verdict};

pub(crate) fn check(case: &Case) -> Option<Judgement> {
    if let Some(j) = cut_short(case) {
        return Some(j);
    }
    let n = approximate(case.core)?;
    let (core, actual, tolerance) = (case.core, case.actual, case.opts.tolerance);
    let (lo, hi) = (n - (n * tolerance).abs(), n + (n * tolerance).abs());
    let miss = Judgement::new(Verdict::Mismatch, Some(Rule::Approximate), core);
    Some(match number(actual) {
        Some(a) if a >= lo && a <= hi => Judgement::pass(Rule::Approximate, core),
        Some(a) => miss.with_message(format!(
            "{} is outside {} ± {}% ({} to {})",
            fmt_num(a),
            core,
            fmt_num(tolerance * 100.0),
            fmt_num(lo),
            fmt_num(hi)
        )),
        None => miss.with_message(format!(
            "{} is not a number, so it cannot be {core}",
            first_line(actual)
        )),
    })
}

/// `78.54...`: a number written to a few decimals and then cut off, which the actual
/// number rounds (or truncates) to. Only a pass decides: `3.14...` for `2.71` is left
/// to the rules after.
fn cut_short(case: &Case) -> Option<Judgement> {
    let shown = case
        .core
        .strip_suffix("...")
        .or_else(|| case.core.strip_suffix('…'))?;
    let decimals = shown.split_once('.')?.1;
    if decimals.is_empty() || !decimals.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (n, a) = (number(shown)?, number(case.actual)?);
    let places = decimals.len() as i32;
    let scale = 10f64.powi(places);
    let rounds = ((a * scale).round() - n * scale).abs() < 0.5;
    let truncates = ((a * scale).trunc() - n * scale).abs() < 0.5;
    (rounds || truncates).then(|| {
        Judgement::pass(Rule::Approximate, case.core)
            .note(format!("the claim shows {places} decimals of the number"))
    })
}

#[cfg(test)]
mod tests {
    use crate::judge::{Rule, Verdict};

    #[test]
    fn table() {
        let pass = Some((Verdict::Pass, Some(Rule::Approximate)));
        let miss = Some((Verdict::Mismatch, Some(Rule::Approximate)));
        super::super::table::check(
            super::check,
            &[
                ("~85000", "80056", pass),
                ("≈0.33", "0.3333333333333333", pass),
                ("about 100", "110", pass),
                ("~100", "200", miss),
                ("~100", "many", miss),
                ("100", "100", None),
                ("78.54...", "78.53981633974483", pass),
                ("3.1415…", "3.14159", pass),
                ("78.54...", "78.6", None),
                ("78...", "78.2", None),
            ],
        );
    }
}
