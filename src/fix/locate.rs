//! Finding a claim's text in the guide's own lines.
//!
//! A claim's text comes from the guide, but the readers have changed it on the way:
//! stripped the `#` and the spaces around a comment, dedented a block, decoded HTML
//! entities, turned a typeset minus into `-`. A claim is fixed only where its text is
//! found, line by line, standing where a claim stands (after a `#`, or alone on its
//! line after indentation or markup); anywhere else the fix leaves the guide alone.

use std::sync::OnceLock;

use regex::Regex;

use super::source::Source;

/// Where one line of a claim's text stands in the guide: bytes `start..end` of line
/// `line` (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

impl Slot {
    /// What stands before the claim's text on its line (indentation, code and `#`,
    /// markup), which a line the fix adds repeats.
    pub fn prefix<'a>(&self, src: &'a Source) -> &'a str {
        &src.line(self.line).unwrap_or("")[..self.start]
    }
    pub fn suffix<'a>(&self, src: &'a Source) -> &'a str {
        &src.line(self.line).unwrap_or("")[self.end..]
    }
    pub fn text<'a>(&self, src: &'a Source) -> &'a str {
        &src.line(self.line).unwrap_or("")[self.start..self.end]
    }
}

/// The slots of a claim whose text lines stand on the guide lines from `first` on, or
/// `None` when any of them is not where it should be.
pub fn locate(src: &Source, first: usize, texts: &[&str], html: bool) -> Option<Vec<Slot>> {
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let line = first + i;
            let (start, end) = find(src.line(line)?, text, html)?;
            Some(Slot { line, start, end })
        })
        .collect()
}

/// The span of `text` in a guide line, where a claim can stand.
fn find(line: &str, text: &str, html: bool) -> Option<(usize, usize)> {
    if text.trim().is_empty() {
        return empty_slot(line);
    }
    let mut forms = vec![text.to_string()];
    if html {
        forms.push(escape(text));
        forms.push(escape(text).replace('"', "&quot;").replace('\'', "&#39;"));
    }
    if line.contains('\u{2212}') {
        // a book's typeset minus, read as `-`
        let typeset: Vec<String> = forms.iter().map(|f| f.replace('-', "\u{2212}")).collect();
        forms.extend(typeset);
    }
    forms
        .iter()
        .flat_map(|f| {
            line.match_indices(f.as_str())
                .map(|(i, m)| (i, i + m.len()))
        })
        .filter(|&(s, e)| before_ok(&line[..s], html) && after_ok(&line[e..], html))
        .max_by_key(|&(s, _)| s) // the last: a comment ends its line
}

/// An empty line of a claim (a blank line inside a session's output, an empty `#`
/// line of an output block): the place after the indentation or the `#`.
fn empty_slot(line: &str) -> Option<(usize, usize)> {
    let t = line.trim_end();
    if t.trim_start() == "<BLANKLINE>" {
        let at = t.len() - "<BLANKLINE>".len();
        return Some((at, t.len()));
    }
    if t.trim_start().is_empty() || t.ends_with('#') {
        return Some((t.len(), line.len()));
    }
    None
}

/// What may stand before a claim: nothing but indentation, a comment's `#`, a
/// Markdown quote's `>`, or (in HTML) a tag.
fn before_ok(before: &str, html: bool) -> bool {
    static QUOTE: OnceLock<Regex> = OnceLock::new();
    let quote = QUOTE.get_or_init(|| Regex::new(r"^[ \t]*(?:>[ \t]?)+$").expect("valid"));
    let t = before.trim_end();
    t.trim_start().is_empty()
        || t.ends_with('#')
        || (quote.is_match(before) && !before.contains(">>>"))
        || (html && t.ends_with('>') && !t.ends_with("&gt;"))
}

/// What may follow a claim: white space, a book's callouts, or (in HTML) a tag.
fn after_ok(after: &str, html: bool) -> bool {
    let callout = |c: char| matches!(c, '\u{2460}'..='\u{24FF}' | '\u{2776}'..='\u{2793}');
    after.chars().all(|c| c.is_whitespace() || callout(c))
        || (html && after.trim_start().starts_with('<'))
}

/// Text as it must be written inside HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(line: &'a str, text: &str, html: bool) -> Option<&'a str> {
        find(line, text, html).map(|(s, e)| &line[s..e])
    }

    #[test]
    fn a_trailing_comment_is_found_after_its_hash_not_in_the_code() {
        let line = r#"print("5")  # 5"#;
        assert_eq!(find(line, "5", false), Some((14, 15)));
        assert_eq!(at("x = 1  #> 11", "> 11", false), Some("> 11"));
        assert_eq!(find(r##"print("# 5 apples")"##, "5 apples", false), None);
    }

    #[test]
    fn session_output_stands_alone_after_indentation_or_a_quote() {
        assert_eq!(at("   [1, 2]", "[1, 2]", false), Some("[1, 2]"));
        assert_eq!(at("> 3", "3", false), Some("3"));
        assert_eq!(find(">>> 3", "3", false), None, "a prompt is not output");
        assert_eq!(
            find("total 3", "3", false),
            None,
            "nor is the end of other text"
        );
    }

    #[test]
    fn html_is_matched_escaped_and_markup_may_surround_it() {
        assert_eq!(
            at("&lt;class 'int'&gt;</pre>", "<class 'int'>", true),
            Some("&lt;class 'int'&gt;")
        );
        assert_eq!(at(r#"<span class="go">3</span>"#, "3", true), Some("3"));
        assert_eq!(
            find("-3</pre>", "-3", false),
            None,
            "tags only count in HTML"
        );
        assert_eq!(find("&#53;", "5", true), None, "an entity we cannot match");
    }

    #[test]
    fn typeset_minus_and_callouts() {
        assert_eq!(
            at("print(a)  # \u{2212}3  \u{2460}", "-3", false),
            Some("\u{2212}3")
        );
    }

    #[test]
    fn empty_lines_of_a_claim() {
        assert_eq!(find("#", "", false), Some((1, 1)));
        assert_eq!(find("    ", "", false), Some((0, 4)));
        assert_eq!(at("  <BLANKLINE>", "", false), Some("<BLANKLINE>"));
        assert_eq!(find("x = 1", "", false), None);
    }
}
