//! Claims and examples that hold on some Python versions only (docs/claims.md,
//! section 9): a claim's version qualifier (`# 200 (3.11+)`, `# 3.11+: 200`) and the
//! requirement a `snipcheck: python >= 3.10` directive states.
//!
//! [`split_qualifier`] takes the qualifier off a claim's text before it is judged;
//! [`applies`] tells whether a claim is judged on a given interpreter.

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;

use super::grammar::re;
use super::Claim;
use crate::version::PyVersion;

/// The highest minor version a bare `(3.x)` may name: anything above reads as a
/// number, not a Python version.
const MAX_MINOR: u32 = 30;

/// A range of Python minor versions, bounds inclusive (`3.8-3.10` holds 3.8, 3.9 and
/// 3.10, whatever their patch level). `None` is open on that side; at least one side
/// is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VersionReq {
    /// The first minor version it holds on (`3.11` for `3.11+`).
    pub min: Option<(u32, u32)>,
    /// The last minor version it holds on (`3.10` for `<3.11`).
    pub max: Option<(u32, u32)>,
}

impl VersionReq {
    /// Whether an interpreter of version `v` is in the range (its patch level does
    /// not matter).
    pub fn matches(&self, v: &PyVersion) -> bool {
        let v = v.minor_version();
        self.min.is_none_or(|m| v >= m) && self.max.is_none_or(|m| v <= m)
    }

    /// A requirement as people write it, a leading `Python` allowed:
    /// `>= 3.10`, `3.10+`, `3.10 and later`, `> 3.9`, `< 3.11`, `<= 3.10`,
    /// `before 3.11`, `3.10 and earlier`, `3.8-3.10` (or an en dash, or `to`), `3.10`,
    /// `== 3.10`, `3.10 only`, and several joined by commas (`>=3.9,<3.12`), which must
    /// all hold. `None` when the text is not a requirement or holds on no version.
    pub fn parse(text: &str) -> Option<VersionReq> {
        let mut req = VersionReq {
            min: None,
            max: None,
        };
        for part in text.split(',') {
            let one = one_requirement(part)?;
            req = req.and(&one)?;
        }
        (req.min.is_some() || req.max.is_some()).then_some(req)
    }

    /// Both requirements at once; `None` when no version meets both.
    pub fn and(&self, other: &VersionReq) -> Option<VersionReq> {
        let min = match (self.min, other.min) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let max = match (self.max, other.max) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let empty = matches!((min, max), (Some(lo), Some(hi)) if lo > hi);
        (!empty).then_some(VersionReq { min, max })
    }
}

impl fmt::Display for VersionReq {
    /// `3.11+`, `<3.11`, `3.8-3.10`, `3.10`: the way guides write it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = |(major, minor): (u32, u32)| format!("{major}.{minor}");
        match (self.min, self.max) {
            (Some(lo), Some(hi)) if lo == hi => write!(f, "{}", v(lo)),
            (Some(lo), Some(hi)) => write!(f, "{}-{}", v(lo), v(hi)),
            (Some(lo), None) => write!(f, "{}+", v(lo)),
            (None, Some((major, minor))) => write!(f, "<{major}.{}", minor + 1),
            (None, None) => write!(f, "any"),
        }
    }
}

/// `3.10` (or `3.10.x`) as a minor version: major 2 or 3, a minor of at most 30.
fn minor_version(text: &str) -> Option<(u32, u32)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let caps = re(&RE, r"^([23])\.(\d{1,2})(?:\.x)?$").captures(text.trim())?;
    let (major, minor) = (caps[1].parse().ok()?, caps[2].parse().ok()?);
    (minor <= MAX_MINOR).then_some((major, minor))
}

/// One requirement, without commas.
fn one_requirement(text: &str) -> Option<VersionReq> {
    static PREFIX: OnceLock<Regex> = OnceLock::new();
    static RANGE: OnceLock<Regex> = OnceLock::new();
    let prefix = re(
        &PREFIX,
        r"(?i)^(?:(?:on|in|for|with)\s+)?(?:c?python|py)\s*",
    );
    let range = re(&RANGE, r"^(\S+)\s*(?:-|–|—|\bto\b)\s*(\S+)$");
    let mut t = text.trim();
    t = &t[prefix.find(t).map_or(0, |m| m.end())..];
    let lower = t.to_ascii_lowercase();
    let words = |suffixes: &[&str]| {
        suffixes
            .iter()
            .find_map(|s| lower.strip_suffix(s).map(|rest| t[..rest.len()].trim_end()))
    };
    let at_least = |v| VersionReq {
        min: Some(v),
        max: None,
    };
    let at_most = |v| VersionReq {
        min: None,
        max: Some(v),
    };
    let before = |(major, minor): (u32, u32)| minor.checked_sub(1).map(|m| at_most((major, m)));
    if let Some(v) = t.strip_suffix('+') {
        return minor_version(v).map(at_least);
    }
    if let Some(v) = words(&[
        " and later",
        " or later",
        " or newer",
        " and newer",
        " and up",
        " or above",
        " and above",
    ]) {
        return minor_version(v).map(at_least);
    }
    if let Some(v) = words(&[
        " and earlier",
        " or earlier",
        " or older",
        " and older",
        " and below",
        " or below",
    ]) {
        return minor_version(v).map(at_most);
    }
    if let Some(v) = words(&[" only"]) {
        return minor_version(v).map(|v| VersionReq {
            min: Some(v),
            max: Some(v),
        });
    }
    for (op, make) in [
        (">=", 0),
        ("<=", 1),
        ("==", 2),
        (">", 3),
        ("<", 4),
        ("=", 2),
    ] {
        if let Some(v) = t.strip_prefix(op) {
            let v = minor_version(v)?;
            return match make {
                0 => Some(at_least(v)),
                1 => Some(at_most(v)),
                2 => Some(VersionReq {
                    min: Some(v),
                    max: Some(v),
                }),
                3 => Some(at_least((v.0, v.1 + 1))),
                _ => before(v),
            };
        }
    }
    for word in ["before ", "until ", "prior to ", "pre-", "pre "] {
        if lower.starts_with(word) {
            return minor_version(&t[word.len()..]).and_then(before);
        }
    }
    for word in ["since ", "from "] {
        if lower.starts_with(word) {
            return minor_version(&t[word.len()..]).map(at_least);
        }
    }
    if let Some(caps) = range.captures(t) {
        let (lo, hi) = (minor_version(&caps[1])?, minor_version(&caps[2])?);
        return (lo <= hi).then_some(VersionReq {
            min: Some(lo),
            max: Some(hi),
        });
    }
    minor_version(t).map(|v| VersionReq {
        min: Some(v),
        max: Some(v),
    })
}

/// A claim's text without its version qualifier, and the qualifier:
/// a trailing parenthesis (`200 (3.11+)`, `104 (before 3.11)`, `104 (Python 3.10)`),
/// a trailing `on Python 3.11+` / `in Python 3.11+`, or a leading requirement and a
/// colon (`3.11+: 200`, `Python 3.12+: [1, 2]`; a bare version needs `Python` before
/// it there). A text with no qualifier comes back whole: `3.14` is the value 3.14,
/// `99 (Affected)` keeps its remark, and a parenthesis alone (`(3.11)`) is a value.
pub fn split_qualifier(text: &str) -> (String, Option<VersionReq>) {
    let whole = || (text.to_string(), None);
    let t = text.trim_end();
    if t.contains('\n') {
        // several expected lines: a qualifier stands on the first
        let (first, rest) = t.split_once('\n').expect("a line break");
        return match split_qualifier(first) {
            (core, Some(req)) => (format!("{core}\n{rest}"), Some(req)),
            _ => whole(),
        };
    }
    if let Some((core, req)) = trailing_parenthesis(t) {
        return (core.to_string(), Some(req));
    }
    static ON: OnceLock<Regex> = OnceLock::new();
    let on = re(&ON, r"(?i)^(.*\S)\s+(?:on|in)\s+((?:c?python)\s*\S.*)$");
    if let Some(caps) = on.captures(t) {
        if let Some(req) = VersionReq::parse(&caps[2]) {
            return (caps[1].to_string(), Some(req));
        }
    }
    if let Some((core, req)) = leading(t) {
        return (core.to_string(), Some(req));
    }
    whole()
}

/// `core (req)`: the last balanced parenthesis at the end, after a space, with a core
/// before it.
fn trailing_parenthesis(t: &str) -> Option<(&str, VersionReq)> {
    let inner_end = t.strip_suffix(')')?.len();
    let mut depth = 0i32;
    let open = t[..inner_end].char_indices().rev().find_map(|(i, c)| {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => return Some(i),
            '(' => depth -= 1,
            _ => {}
        }
        None
    })?;
    let core = &t[..open];
    if core.trim().is_empty() || !core.ends_with(char::is_whitespace) {
        return None; // `(3.11)` alone is a value; `f(3.11)` a call
    }
    let req = VersionReq::parse(&t[open + 1..inner_end])?;
    Some((core.trim_end(), req))
}

/// `3.11+: 200`, `Python 3.12+: [...]`, `>= 3.11: 200`.
fn leading(t: &str) -> Option<(&str, VersionReq)> {
    let colon = t.find(':')?;
    let (head, core) = (&t[..colon], t[colon + 1..].trim_start());
    if core.is_empty() || !t[colon + 1..].starts_with(char::is_whitespace) {
        return None;
    }
    let req = VersionReq::parse(head)?;
    // a bare `3.10: 104` may be output; `Python 3.10: 104` or `3.10+: 104` is not
    static PLAIN: OnceLock<Regex> = OnceLock::new();
    let plain = re(&PLAIN, r"^\s*[23]\.\d{1,2}\s*$");
    (!plain.is_match(head)).then_some((core, req))
}

/// Whether a claim is judged on an interpreter of version `version`: `None` when it
/// is (no qualifier, or one that holds), else why not
/// (`for Python 3.11+; this is 3.10.14`).
pub fn applies(claim: &Claim, version: &PyVersion) -> Option<String> {
    let req = claim.versions.as_ref()?;
    (!req.matches(version)).then(|| format!("for Python {req}; this is {version}"))
}

/// A `snipcheck: python >= 3.10` directive (the text of a comment, `#`, `<!--` or
/// `..` already removed or not): the requirement it states.
pub fn directive(text: &str) -> Option<VersionReq> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(
        &RE,
        r"(?i)^\s*(?:#|<!--|\.\.)?\s*snipcheck\s*:\s*(?:requires\s+)?(?:python|py)\s*(.*?)\s*(?:-->)?\s*$",
    );
    let caps = re.captures(text)?;
    VersionReq::parse(&caps[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> PyVersion {
        PyVersion::parse(text).unwrap()
    }

    fn req(text: &str) -> VersionReq {
        VersionReq::parse(text).unwrap_or_else(|| panic!("{text} should parse"))
    }

    #[test]
    fn requirements_as_people_write_them() {
        for (text, shown) in [
            (">= 3.10", "3.10+"),
            (">=3.10", "3.10+"),
            ("3.11+", "3.11+"),
            ("Python 3.11+", "3.11+"),
            ("python>=3.9", "3.9+"),
            ("3.10 and later", "3.10+"),
            ("since 3.11", "3.11+"),
            ("Python 3.11 or newer", "3.11+"),
            ("> 3.9", "3.10+"),
            ("<3.11", "<3.11"),
            ("< 3.11", "<3.11"),
            ("before 3.11", "<3.11"),
            ("<= 3.10", "<3.11"),
            ("3.10 and earlier", "<3.11"),
            ("3.8-3.10", "3.8-3.10"),
            ("3.8–3.10", "3.8-3.10"),
            ("3.8 - 3.10", "3.8-3.10"),
            ("3.8 to 3.10", "3.8-3.10"),
            ("3.10", "3.10"),
            ("== 3.10", "3.10"),
            ("3.10 only", "3.10"),
            ("3.10.x", "3.10"),
            (">=3.9,<3.12", "3.9-3.11"),
            (">=3.9, <3.10", "3.9"),
        ] {
            assert_eq!(req(text).to_string(), shown, "{text}");
            // what Display writes reads back as the same requirement
            assert_eq!(req(shown), req(text), "{shown}");
        }
    }

    #[test]
    fn what_is_not_a_requirement() {
        for text in [
            "",
            "Affected",
            "3 items",
            "3",
            "3.14.15",
            "3.31",
            "1.5",
            "4.0+",
            ">=",
            "3.12-3.10",
            ">=3.12,<3.10",
            "not 3.10",
            "x",
            "3.10 bytes",
        ] {
            assert_eq!(VersionReq::parse(text), None, "{text}");
        }
    }

    #[test]
    fn matches_minor_versions_whatever_the_patch() {
        assert!(req("3.11+").matches(&v("3.11.0")));
        assert!(req("3.11+").matches(&v("3.13.1")));
        assert!(!req("3.11+").matches(&v("3.10.14")));
        assert!(req("<3.11").matches(&v("3.10.14")));
        assert!(!req("<3.11").matches(&v("3.11.7")));
        assert!(req("3.8-3.10").matches(&v("3.9.18")));
        assert!(!req("3.8-3.10").matches(&v("3.11")));
        assert!(req("3.10").matches(&v("3.10.13")));
        assert!(!req("3.10").matches(&v("3.1")));
        assert!(!req("3.10").matches(&v("3.9.18")));
    }

    #[test]
    fn a_trailing_qualifier_comes_off_the_claim() {
        let split = |t: &str| split_qualifier(t);
        let q = |t: &str| Some(req(t));
        assert_eq!(split("200 (3.11+)"), ("200".into(), q("3.11+")));
        assert_eq!(split("104 (3.10)"), ("104".into(), q("3.10")));
        assert_eq!(split("104 (<3.11)"), ("104".into(), q("<3.11")));
        assert_eq!(split("104 (before 3.11)"), ("104".into(), q("<3.11")));
        assert_eq!(split("104 (3.8–3.10)"), ("104".into(), q("3.8-3.10")));
        assert_eq!(split("104 (Python 3.10)"), ("104".into(), q("3.10")));
        assert_eq!(split("3.14 (3.11+)"), ("3.14".into(), q("3.11+")));
        assert_eq!(split("~100 bytes (3.10)"), ("~100 bytes".into(), q("3.10")));
        assert_eq!(split("(1, 2) (3.9+)"), ("(1, 2)".into(), q("3.9+")));
        assert_eq!(split("200 on Python 3.11+"), ("200".into(), q("3.11+")));
        assert_eq!(
            split("TypeError: A.m() takes 2 positional arguments but 3 were given (3.10+)"),
            (
                "TypeError: A.m() takes 2 positional arguments but 3 were given".into(),
                q("3.10+")
            )
        );
    }

    #[test]
    fn a_leading_qualifier_comes_off_the_claim() {
        let q = |t: &str| Some(req(t));
        assert_eq!(split_qualifier("3.11+: 200"), ("200".into(), q("3.11+")));
        assert_eq!(
            split_qualifier("Python 3.12+: [1, 2]"),
            ("[1, 2]".into(), q("3.12+"))
        );
        assert_eq!(
            split_qualifier("Python 3.10: 104"),
            ("104".into(), q("3.10"))
        );
        assert_eq!(split_qualifier(">= 3.11: 200"), ("200".into(), q("3.11+")));
        assert_eq!(
            split_qualifier("3.8-3.10: 104"),
            ("104".into(), q("3.8-3.10"))
        );
    }

    #[test]
    fn values_and_remarks_are_not_qualifiers() {
        for text in [
            "3.14",
            "3.11",
            "(3.11)",
            "99 (Affected)",
            "(3 items)",
            "24 bytes (an int object)",
            "f(3.10)",
            "3.1 (not 3.10)",
            "{3.10: 104}",
            "3.10: 104",
            "Output: 5",
            "True in Python 3",
            "1.5 (1.5)",
            "7 (3.99)",
        ] {
            assert_eq!(split_qualifier(text), (text.to_string(), None), "{text}");
        }
    }

    #[test]
    fn several_lines_carry_the_qualifier_on_the_first() {
        assert_eq!(
            split_qualifier("[1,\n 2] (3.11+)"),
            ("[1,\n 2] (3.11+)".into(), None)
        );
        assert_eq!(
            split_qualifier("1 (3.11+)\n2"),
            ("1\n2".into(), Some(req("3.11+")))
        );
    }

    #[test]
    fn directives() {
        assert_eq!(directive("# snipcheck: python >= 3.10"), Some(req("3.10+")));
        assert_eq!(
            directive("<!-- snipcheck: python >= 3.12 -->"),
            Some(req("3.12+"))
        );
        assert_eq!(directive(".. snipcheck: python < 3.11"), Some(req("<3.11")));
        assert_eq!(directive("snipcheck: Python 3.10+"), Some(req("3.10+")));
        assert_eq!(directive("snipcheck: skip"), None);
        assert_eq!(directive("# snipcheck: python >= 4"), None);
    }

    #[test]
    fn applies_says_why_not() {
        let claim = |versions| Claim {
            line: 1,
            kind: super::super::Kind::Output,
            text: "200".into(),
            against: super::super::Against::Text("200".into()),
            statement: Some(1),
            versions,
        };
        assert_eq!(applies(&claim(None), &v("3.10.14")), None);
        assert_eq!(applies(&claim(Some(req("3.11+"))), &v("3.11.7")), None);
        assert_eq!(
            applies(&claim(Some(req("3.11+"))), &v("3.10.14")).as_deref(),
            Some("for Python 3.11+; this is 3.10.14")
        );
    }
}
