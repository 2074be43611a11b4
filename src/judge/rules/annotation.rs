//! Rule `annotation`: a core that holds, followed by a remark.
//!
//! Accepts a claim that splits into a core and a remark (see
//! [`split_remark`](crate::claims::grammar::split_remark): a parenthesis, a dash, two
//! spaces, `!`, a comma and words, a unit word, a derivation's `= V`) where the core
//! holds by another rule. A core equal to the actual passes as `annotation`; one that
//! holds by another rule is reported under that rule. Either way the report notes the
//! remark. Example: `print(shallow[0][0])  # 99 (Affected)` printing `99`.

use super::Case;
use crate::claims::grammar::split_remark;
use crate::judge::text::normalize;
use crate::judge::{Judgement, Rule};

pub(crate) fn check(case: &Case) -> Option<Judgement> {
    if let Some(j) = commented_lines(case) {
        return Some(j);
    }
    for (part, remark) in split_remark(case.core, case.lits) {
        let part = normalize(&part);
        let inner = case.with_core(&part);
        // every other rule, in order, on the core
        let decided = super::decide_except(&inner, check);
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

/// Expected output lines that carry the author's `#` comment after two spaces
/// (`Adding 3 4      # Where are these values coming from?`), against output with no
/// `#` in it: the comments are remarks.
fn commented_lines(case: &Case) -> Option<Judgement> {
    if !case.core.contains('\n') || case.actual.contains('#') {
        return None;
    }
    let mut remarks = vec![];
    let lines: Vec<&str> = case
        .core
        .lines()
        .map(|line| match line.find("  #") {
            Some(at) => {
                remarks.push(line[at..].trim().trim_start_matches('#').trim());
                line[..at].trim_end()
            }
            None => line,
        })
        .collect();
    if remarks.is_empty() {
        return None;
    }
    let core = normalize(&lines.join("\n"));
    let inner = case.with_core(&core);
    let j =
        super::decide_except(&inner, check).filter(|j| j.verdict == crate::judge::Verdict::Pass)?;
    let rule = if j.rule == Some(Rule::Exact) {
        Some(Rule::Annotation)
    } else {
        j.rule
    };
    Some(Judgement { rule, ..j }.note(format!("remark: {}", remarks.join("; "))))
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
                // plain words before the value; not words that deny or bound it
                ("sorted by letter, ['a', 'b']", "['a', 'b']", pass),
                ("always 500000", "500000", pass),
                ("not 4", "4", None),
                ("more than 5", "5", None),
                ("1,", "1", pass),
                (
                    "\"Step 1\", val = \"first\"",
                    "Step 1",
                    Some((Verdict::Pass, Some(Rule::Quotes))),
                ),
                ("3 * 4 = 12", "3", None),
                (
                    "Adding 3 4      # where do these come from?\n7",
                    "Adding 3 4\n7",
                    pass,
                ),
                ("Adding 3 4      # a remark\n8", "Adding 3 4\n7", None),
            ],
        );
    }
}
