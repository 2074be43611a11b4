//! The comparisons of rules 2 and 4 to 8 (CLAIMS.md section 4).

use std::sync::OnceLock;

use regex::Regex;

use super::forms::{fmt_num, normalize, number, re};
use super::literal::{Lit, Literals};
use super::{Judgement, Options, Rule, Verdict};

/// Part of rule 2: a repr written with the imported name, `date(2020, 1, 2)` for
/// `datetime.date(2020, 1, 2)`.
pub(crate) fn without_module_prefixes(text: &str) -> std::borrow::Cow<'_, str> {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"\b(?:[a-z_][a-z0-9_]*\.)+([A-Za-z_]\w*\()").replace_all(text, "$1")
}

/// Rule 2: `...`/`…` match any text and memory addresses match any address.
pub(crate) fn masked(claim: &str, actual: &str) -> bool {
    let bare = without_module_prefixes(actual);
    if bare != actual && (claim == bare || masked_exactly(claim, &bare)) {
        return true;
    }
    masked_exactly(claim, actual)
}

pub(crate) fn masked_exactly(claim: &str, actual: &str) -> bool {
    static ADDR: OnceLock<Regex> = OnceLock::new();
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

/// Rule 5: both sides are literals, equal with the same types all the way down.
pub(crate) fn value(claim: &str, actual: &str, lits: &dyn Literals) -> Option<Vec<String>> {
    if actual.len() > 200_000 {
        return None;
    }
    let (c, a) = (lits.literal(claim)?, lits.literal(actual)?);
    if c.key(false) != a.key(false) {
        return None;
    }
    let mut notes = vec![];
    if c.key(true) != a.key(true) {
        notes.push("only the order differs".to_string());
    }
    if claim.trim() != actual.trim() {
        if claim.replace('"', "'") == actual.replace('"', "'") {
            notes.push("quote style differs".to_string());
        } else if notes.is_empty() {
            notes.push("written differently".to_string());
        }
    }
    Some(notes)
}

/// Rule 8, also reading `a, then b` and `a, b` as successive lines.
pub(crate) fn whitespace(claim: &str, actual: &str) -> bool {
    if !actual.contains('\n') || claim.contains('\n') {
        return false;
    }
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    if squash(actual) == squash(claim) {
        return true;
    }
    static SEP: OnceLock<Regex> = OnceLock::new();
    let sep = re(&SEP, r",\s*then\s+|\s+then\s+|,\s+");
    let items: Vec<String> = sep.split(claim).map(squash).collect();
    let lines: Vec<String> = actual
        .lines()
        .map(squash)
        .filter(|l| !l.is_empty())
        .collect();
    items.len() > 1 && items == lines
}

pub(crate) fn approximate_verdict(n: f64, core: &str, actual: &str, opts: &Options) -> Judgement {
    let (lo, hi) = (
        n - (n * opts.tolerance).abs(),
        n + (n * opts.tolerance).abs(),
    );
    match number(actual) {
        Some(a) if a >= lo && a <= hi => Judgement::pass(Rule::Approximate, core),
        Some(a) => {
            Judgement::new(Verdict::Mismatch, Some(Rule::Approximate), core).with_message(format!(
                "{} is outside {} ± {}% ({} to {})",
                fmt_num(a),
                core,
                fmt_num(opts.tolerance * 100.0),
                fmt_num(lo),
                fmt_num(hi)
            ))
        }
        None => {
            Judgement::new(Verdict::Mismatch, Some(Rule::Approximate), core).with_message(format!(
                "{} is not a number, so it cannot be {core}",
                first_line(actual)
            ))
        }
    }
}

pub(crate) fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// Rules 5-8 on a core that is the whole claim or the part before a remark.
pub(crate) fn core_rules(core: &str, actual: &str, lits: &dyn Literals) -> Option<Judgement> {
    if let Some(notes) = value(core, actual, lits) {
        let mut j = Judgement::pass(Rule::Value, core);
        j.notes = notes;
        return Some(j);
    }
    if let Some(Lit::Str(s)) = lits.literal(core) {
        if normalize(&s) == actual && (core.starts_with('\'') || core.starts_with('"')) {
            return Some(Judgement::pass(Rule::Quotes, core).note("print shows no quotes"));
        }
    }
    if !actual.contains('\n') && actual.len() > core.len() && actual.ends_with(&format!(" {core}"))
    {
        return Some(Judgement::pass(Rule::Label, core).note("the output starts with a label"));
    }
    if type_name(core, actual) {
        return Some(Judgement::pass(Rule::TypeName, core).note("the claim names the type"));
    }
    if whitespace(core, actual) {
        return Some(
            Judgement::pass(Rule::Whitespace, core).note("the output is on several lines"),
        );
    }
    None
}

/// Paths name the author's machine: `/home/al/spam.txt` and `/tmp/x/spam.txt` differ
/// only in their directories. True when the two texts are equal once every absolute
/// path's directories are masked, and the claim has such a path.
pub(crate) fn same_but_paths(claim: &str, actual: &str) -> bool {
    static DIRS: OnceLock<Regex> = OnceLock::new();
    let dirs = re(
        &DIRS,
        r"(?:\b[A-Za-z]:\\|\\\\|(?:^|[\s'\x22(=])/)(?:[^\s/\\'\x22]+[/\\])+",
    );
    if !dirs.is_match(claim) {
        return false;
    }
    let mask = |t: &str| {
        dirs.replace_all(t, |c: &regex::Captures| {
            let m = &c[0];
            let lead: String = m
                .chars()
                .take_while(|ch| !matches!(ch, '/' | '\\') && !ch.is_ascii_alphabetic())
                .collect();
            format!("{lead}<dir>/")
        })
        .into_owned()
    };
    mask(claim) == mask(actual)
}

/// `str` for `<class 'str'>`, `OrderedDict` for `<class 'collections.OrderedDict'>`:
/// a bare type name claims the type.
pub(crate) fn type_name(claim: &str, actual: &str) -> bool {
    static CLASS: OnceLock<Regex> = OnceLock::new();
    let class = re(&CLASS, r"^<class '((?:[\w]+\.)*([\w]+))'>$");
    let Some(c) = class.captures(actual.trim()) else {
        return false;
    };
    let claim = claim.trim();
    claim == &c[2] || claim == &c[1]
}
