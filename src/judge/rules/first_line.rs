//! Rule `first-line`: a one-line comment beside a statement (after its code, on the
//! same line) that prints several lines shows the first of them. A comment on a line of
//! its own under the code, an output block or a session's output claims all of it.
//!
//! `find_user(1)  # Found: {'name': 'Alice'}` printing `Found: {'name': 'Alice'}` and
//! then `Cleanup always runs` from a `finally` passes, with the note that the output
//! goes on.

use crate::claims::Literals;
use crate::judge::text::normalize;
use crate::judge::{judge, Judgement, Options, Rule, Verdict};

/// A pass when the claim holds, by the other rules, for the output's first line.
pub(crate) fn check(
    claim: &str,
    printed: &str,
    opts: &Options,
    lits: &dyn Literals,
) -> Option<Judgement> {
    let printed = normalize(printed);
    let (first, rest) = printed.split_once('\n')?;
    if claim.trim().contains('\n') || first.trim().is_empty() {
        return None;
    }
    let j = judge(claim, first, opts, lits);
    let more = rest.lines().count();
    (j.verdict == Verdict::Pass).then(|| {
        let by = j
            .rule
            .map_or(String::new(), |r| format!(" (by rule {})", r.name()));
        Judgement {
            rule: Some(Rule::FirstLine),
            ..j
        }
        .note(format!(
            "the claim shows the first line{by}; {more} more line{} follow",
            if more == 1 { "" } else { "s" }
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::judge::rules::table::python;
    use crate::judge::{Options, Rule, Verdict};

    #[test]
    fn table() {
        let rows: &[(&str, &str, Option<Verdict>)] = &[
            (
                "Found: 1",
                "Found: 1\nCleanup always runs",
                Some(Verdict::Pass),
            ),
            (
                "\"Starting at 3\", returns 3",
                "Starting at 3\n3",
                Some(Verdict::Pass),
            ),
            ("Found: 2", "Found: 1\nCleanup always runs", None),
            // the second line is not the first
            ("Cleanup always runs", "Found: 1\nCleanup always runs", None),
            ("Found: 1", "Found: 1", None),
        ];
        for (claim, printed, want) in rows {
            let got = check(claim, printed, &Options::default(), python());
            assert_eq!(
                got.as_ref().map(|j| j.verdict),
                *want,
                "{claim:?} for {printed:?}"
            );
            if let Some(j) = got {
                assert_eq!(j.rule, Some(Rule::FirstLine));
            }
        }
    }
}
