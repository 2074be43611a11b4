//! The parts of a one-line claim as its author wrote it: the marker before it (`=> `,
//! `Output: `, `raises a `), the core a fix replaces, and the remark after it
//! (` (Affected)`, ` bytes`), which a fix keeps.

use crate::claims::grammar::{plain_share, split_remark, strip_markers};
use crate::claims::{grammar::is_value_like, Literals};

/// A claim split at byte offsets: the marker is `text[..marker]`, the core
/// `text[core.0..core.1]`; a derivation's terms (`3 * 4 = `) stand between the two,
/// a remark after the core.
#[derive(Debug, Clone, PartialEq)]
pub struct Parts {
    pub marker: usize,
    pub core: (usize, usize),
}

impl Parts {
    /// The text with its core replaced, marker and remark kept.
    pub fn with_core(&self, text: &str, core: &str) -> String {
        format!("{}{core}{}", &text[..self.core.0], &text[self.core.1..])
    }
    /// The marker and the new core, without the remark.
    pub fn with_core_only(&self, text: &str, core: &str) -> String {
        format!("{}{core}", &text[..self.marker])
    }
    pub fn core<'a>(&self, text: &'a str) -> &'a str {
        &text[self.core.0..self.core.1]
    }
    pub fn tail<'a>(&self, text: &'a str) -> &'a str {
        &text[self.core.1..]
    }
}

/// Where the text left after `strip_markers` starts and ends in `text`.
fn unmarked(text: &str) -> (usize, usize) {
    let stripped = strip_markers(text);
    let start = stripped.as_ptr() as usize - text.as_ptr() as usize;
    (start, start + stripped.len())
}

/// Splits a value claim: markers stripped, then the value the judge compared and the
/// remark after it. A remark is kept only when it reads as one (parenthesised, after
/// a dash, `#` or two spaces, plain words such as ` bytes`): after a text that is not
/// a value, anything is part of the output, and the whole text is the core.
pub fn value_parts(text: &str, lits: &dyn Literals) -> Parts {
    let (start, end) = unmarked(text);
    let stripped = &text[start..end];
    let whole = Parts {
        marker: start,
        core: (start, end),
    };
    // `5  # five`: CPython reads the comment away and calls it all a literal
    let commented = stripped.find(" #").or_else(|| stripped.find("\t#"));
    if let Some(core) = commented.map(|i| stripped[..i].trim_end()) {
        if is_value_like(core, lits) {
            return Parts {
                marker: start,
                core: (start, start + core.len()),
            };
        }
    }
    if stripped.trim().is_empty() || is_value_like(stripped, lits) {
        return whole;
    }
    for (core, remark) in split_remark(stripped, lits) {
        if !is_value_like(&core, lits) {
            continue;
        }
        if stripped.starts_with(core.as_str()) && reads_as_remark(&stripped[core.len()..]) {
            return Parts {
                marker: start,
                core: (start, start + core.len()),
            };
        }
        let derivation = stripped
            .strip_suffix(core.as_str())
            .is_some_and(|terms| terms.trim_end().ends_with('='));
        if derivation && !remark.is_empty() {
            return Parts {
                marker: start,
                core: (end - core.len(), end),
            };
        }
    }
    whole
}

/// Text after a value that an author writes as a remark, not as more output.
fn reads_as_remark(tail: &str) -> bool {
    let t = tail.trim_start();
    let words: Vec<&str> = t.split_whitespace().collect();
    tail.starts_with("  ")
        || ["(", "#", "-", "—", "–", "<-", "←", ";", ",", "!"]
            .iter()
            .any(|p| t.starts_with(p))
        || (!words.is_empty() && plain_share(&words) == words.len())
}

/// An exception claim in parts: what leads it (`raises an `), the exception's name,
/// and what follows (`: message`, or a remark).
#[derive(Debug, Clone, PartialEq)]
pub struct ExceptionParts {
    pub head: String,
    pub article: Option<String>,
    pub rest: String,
}

/// The parts of `ValueError`, `raises a KeyError: 'k'`, `=> IndexError (empty)`, by
/// the claim reader's own pattern ([`crate::claims::exception_pattern`]).
pub fn exception_parts(text: &str) -> Option<ExceptionParts> {
    let (start, end) = unmarked(text);
    let marker = &text[..start];
    let c = crate::claims::exception_pattern().captures(&text[start..end])?;
    if c.get(2).is_some() && c.get(1).is_none() {
        return None; // `a ValueError` with no verb is prose, not a claim
    }
    Some(ExceptionParts {
        head: format!("{marker}{}", c.get(1).map_or("", |m| m.as_str())),
        article: c.get(2).map(|m| m.as_str().to_string()),
        rest: c[4].to_string(),
    })
}

impl ExceptionParts {
    /// The claim naming `actual` (`Type: message`): the type always, the message only
    /// when the author wrote one; a remark stays.
    pub fn rewrite(&self, actual: &str) -> String {
        let (name, message) = match actual.split_once(": ") {
            Some((n, m)) => (n, Some(m)),
            None => (actual, None),
        };
        let article = self.article.as_ref().map(|a| {
            let vowel = name.starts_with(['A', 'E', 'I', 'O', 'U']);
            let capital = a.starts_with('A');
            let word = match (vowel, capital) {
                (true, true) => "An",
                (true, false) => "an",
                (false, true) => "A",
                (false, false) => "a",
            };
            format!("{word}{}", &a[a.trim_end().len()..])
        });
        let rest = match self.rest.strip_prefix(':') {
            Some(after) => match message {
                Some(m) => {
                    let gap = &after[..after.len() - after.trim_start().len()];
                    format!(":{}{m}", if gap.is_empty() { " " } else { gap })
                }
                None => String::new(),
            },
            None => self.rest.clone(),
        };
        format!("{}{}{name}{rest}", self.head, article.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::tests::python;

    fn replace(text: &str, core: &str) -> String {
        value_parts(text, python()).with_core(text, core)
    }

    #[test]
    fn values_keep_their_marker_and_remark() {
        assert_eq!(replace("1 (Unaffected)", "99"), "99 (Unaffected)");
        assert_eq!(replace("~100 bytes", "~200"), "~200 bytes");
        assert_eq!(replace("=> [1, 2]", "[2, 1]"), "=> [2, 1]");
        assert_eq!(replace("-> 5", "4"), "-> 4");
        assert_eq!(replace("==> 5", "4"), "==> 4");
        assert_eq!(replace("returns 5", "4"), "returns 4");
        assert_eq!(replace("Out: 'a'", "'b'"), "Out: 'b'");
        assert_eq!(replace("Output: duo", "solo"), "Output: solo");
        assert_eq!(replace("> 11", "10"), "> 10");
        assert_eq!(replace("3 items", "2"), "2 items");
        assert_eq!(
            replace("True, the same object", "False"),
            "False, the same object"
        );
        assert_eq!(replace("3 * 4 = 12", "13"), "3 * 4 = 13");
        assert_eq!(replace("5  # five", "4"), "4  # five");
    }

    #[test]
    fn output_that_is_not_a_value_is_replaced_whole() {
        assert_eq!(replace("a-b", "a b"), "a b");
        assert_eq!(
            replace("1 2 3", "1 2 4"),
            "1 2 4",
            "`2 3` is output, not a remark"
        );
        assert_eq!(replace("hello world (twice)", "hi"), "hi");
    }

    #[test]
    fn the_remark_can_be_dropped() {
        let text = "=> 1 (Unaffected)";
        let parts = value_parts(text, python());
        assert_eq!(parts.core(text), "1");
        assert_eq!(parts.tail(text), " (Unaffected)");
        assert_eq!(parts.with_core_only(text, "7"), "=> 7");
        let derivation = "3 * 4 = 12";
        let parts = value_parts(derivation, python());
        assert_eq!(parts.with_core_only(derivation, "13"), "13");
    }

    #[test]
    fn exceptions_are_written_as_the_author_wrote_them() {
        let fix = |claim: &str, actual: &str| exception_parts(claim).unwrap().rewrite(actual);
        assert_eq!(
            fix("TypeError", "ValueError: invalid literal"),
            "ValueError"
        );
        assert_eq!(
            fix("raises KeyError: 'pear'", "KeyError: 'apple'"),
            "raises KeyError: 'apple'"
        );
        assert_eq!(
            fix("raises an IndexError", "KeyError: 'x'"),
            "raises a KeyError"
        );
        assert_eq!(
            fix("Raises A KeyError", "IndexError: x"),
            "Raises An IndexError"
        );
        assert_eq!(
            fix("=> ValueError (bad input)", "TypeError: no"),
            "=> TypeError (bad input)"
        );
        assert_eq!(
            fix("ValueError:  oops", "ValueError: bad"),
            "ValueError:  bad"
        );
        assert_eq!(fix("KeyError: 'x'", "StopIteration"), "StopIteration");
        assert_eq!(exception_parts("the value"), None);
    }
}
