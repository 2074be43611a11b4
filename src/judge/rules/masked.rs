//! Rule `masked`: equal once what cannot be known is masked.
//!
//! Accepts a claim whose memory addresses (`0x7f3a...`) match any address and whose
//! `...` or `…` match any run of text; a repr may also be written with the imported
//! name (`date(2020, 1, 2)` for `datetime.date(2020, 1, 2)`). Examples:
//! `# <__main__.A object at 0x10f3c2d50>`, `# [0, 1, 2, ..., 99]`. No note.

use std::sync::OnceLock;

use regex::Regex;

use super::Case;
use crate::claims::grammar::re;
use crate::judge::{Judgement, Rule};

pub(crate) fn check(case: &Case) -> Option<Judgement> {
    masked(case.core, case.actual).then(|| Judgement::pass(Rule::Masked, case.core))
}

/// A repr written with the imported name, `date(2020, 1, 2)` for
/// `datetime.date(2020, 1, 2)`, `<class 'E'>` for `<class '__main__.E'>`.
fn without_module_prefixes(text: &str) -> std::borrow::Cow<'_, str> {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r"\b(?:[a-z_][a-z0-9_]*\.)+([A-Za-z_]\w*\()|(<class '|<)__main__\.",
    )
    .replace_all(text, "$1$2")
}

/// Lines joined as one: nothing after an opening bracket or before a closing one, a
/// space elsewhere.
fn one_line(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().map(str::trim) {
        let tight = out.ends_with(['(', '[', '{']) || line.starts_with([')', ']', '}']);
        if !out.is_empty() && !tight {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn masked(claim: &str, actual: &str) -> bool {
    if claim.contains('\n') && !actual.contains('\n') {
        // a repr the author spread over lines, as pprint does
        let joined = one_line(claim);
        return joined == actual || masked(&joined, actual);
    }
    let bare = without_module_prefixes(actual);
    if bare != actual && (claim == bare || masked_exactly(claim, &bare)) {
        return true;
    }
    masked_exactly(claim, actual)
}

fn masked_exactly(claim: &str, actual: &str) -> bool {
    static ADDR: OnceLock<Regex> = OnceLock::new();
    static BARE: OnceLock<Regex> = OnceLock::new();
    // `<function fib at 10042ed0>`: an address some Pythons printed without its 0x
    let bare = re(&BARE, r" at ([0-9a-fA-F]{6,})>");
    let claim = &*bare.replace_all(claim, " at 0x$1>");
    let addr = re(&ADDR, r"0x[0-9a-fA-F]{4,}");
    let has_ellipsis = claim.contains("...") || claim.contains('…');
    if !has_ellipsis && !addr.is_match(claim) {
        return false;
    }
    let mut pattern = String::from("(?s)^");
    for (i, piece) in claim.split("...").flat_map(|p| p.split('…')).enumerate() {
        if i > 0 {
            pattern.push_str(".*?");
        }
        let mut last = 0;
        for m in addr.find_iter(piece) {
            pattern.push_str(&regex::escape(&piece[last..m.start()]));
            pattern.push_str("0x[0-9a-fA-F]+");
            last = m.end();
        }
        pattern.push_str(&regex::escape(&piece[last..]));
    }
    pattern.push('$');
    regex::RegexBuilder::new(&pattern)
        .size_limit(1 << 22)
        .build()
        .map(|r| r.is_match(actual))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use crate::judge::{Rule, Verdict};

    #[test]
    fn table() {
        let pass = Some((Verdict::Pass, Some(Rule::Masked)));
        super::super::table::check(
            super::check,
            &[
                ("<A object at 0x7f3a2c1b5e50>", "<A object at 0x10aa>", pass),
                ("[0, 1, ..., 9]", "[0, 1, 2, 3, 9]", pass),
                ("[0, 1, …, 9]", "[0, 1, 2, 3, 9]", pass),
                ("date(2020, 1, 2)", "datetime.date(2020, 1, 2)", pass),
                (
                    "(<class 'E'>,\n  <class 'object'>)",
                    "(<class '__main__.E'>, <class 'object'>)",
                    pass,
                ),
                (
                    "<A object at 0x10f3c2d50>",
                    "<__main__.A object at 0x7f00aa>",
                    pass,
                ),
                ("[1,\n 2]", "[1, 3]", None),
                ("[0, 1, ..., 9]", "[5, 9]", None),
                ("<A object at 0x7f3a2c1b5e50>", "<B object at 0x10aa>", None),
            ],
        );
    }
}
