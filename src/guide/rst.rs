//! reStructuredText guides, read line by line as docutils would lay them out.
//!
//! Headings are section titles: a line underlined (and maybe overlined) with a
//! punctuation character, each style a level in the order it first appears. Examples
//! are `code-block` / `code` / `sourcecode` directives in Python (or with no language
//! and a body that reads as Python), `doctest` and `testcode` directives, `::` literal
//! blocks that read as Python, and doctest blocks (a paragraph starting with `>>>`).
//! A block in any language that holds a `>>>` session is one too. A comment
//! `.. snipcheck: skip` right before a block skips it.

use super::{Block, CodeDetector, Heading, Parts};
use crate::claims::qualifier::directive as version_directive;
use crate::claims::VersionReq;

const PYTHON_LANGS: &[&str] = &["python", "py", "python3", "py3", "pycon"];
/// Directives whose body is code in the language their argument names.
const CODE_DIRECTIVES: &[&str] = &["code-block", "code", "sourcecode"];
/// Directives whose body is always Python.
const PYTHON_DIRECTIVES: &[&str] = &["doctest", "testcode"];
/// Directives whose body is not reStructuredText, so holds no headings or blocks.
const OPAQUE_DIRECTIVES: &[&str] = &["testoutput", "raw", "math", "parsed-literal", "ipython"];

pub fn read(text: &str, python: &dyn CodeDetector) -> Parts {
    let lines: Vec<&str> = text.lines().collect();
    let mut reader = Reader {
        lines: &lines,
        python,
        styles: vec![],
        skip_next: false,
        requires_next: None,
        under_heading: None,
        parts: Parts::default(),
    };
    let mut i = 0;
    while i < lines.len() {
        i = reader.element(i);
    }
    let mut parts = reader.parts;
    parts.title = parts.headings.first().map(|h| h.text.clone());
    parts
}

struct Reader<'a> {
    lines: &'a [&'a str],
    python: &'a dyn CodeDetector,
    /// Title styles (adornment character, overlined) in the order they appear.
    styles: Vec<(char, bool)>,
    /// A `.. snipcheck: skip` comment waits for the next block.
    skip_next: bool,
    /// A `.. snipcheck: python ...` comment waiting for the next block or title.
    requires_next: Option<VersionReq>,
    /// The title just read, while nothing but comments followed it.
    under_heading: Option<usize>,
    parts: Parts,
}

impl Reader<'_> {
    /// Reads the element that starts at line `i` (0-based); returns the line after it.
    fn element(&mut self, i: usize) -> usize {
        let line = self.lines[i];
        if line.trim().is_empty() {
            return i + 1;
        }
        if let Some(next) = self.title(i) {
            self.skip_next = false;
            return next;
        }
        let comment = line.trim_start().starts_with("..") && version_directive(line).is_some();
        if !comment {
            self.under_heading = None;
        }
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("..") {
            if rest.is_empty() || rest.starts_with(char::is_whitespace) {
                return self.explicit(i, rest.trim());
            }
        }
        let end = (i..self.lines.len())
            .find(|&j| self.lines[j].trim().is_empty())
            .unwrap_or(self.lines.len());
        let paragraph: Vec<String> = self.lines[i..end].iter().map(|l| l.to_string()).collect();
        if t.starts_with(">>>") && super::is_repl(&paragraph) {
            self.push(i, end); // a doctest block
            return end;
        }
        if self.lines[end - 1].trim_end().ends_with("::") {
            if let Some((first, stop)) = self.indented(end, indent(line)) {
                let code = self.text(first, stop);
                if super::is_repl(&code) || self.reads_as_python(&code) {
                    self.push(first, stop);
                } else {
                    self.skip_next = false;
                    self.requires_next = None;
                }
                return stop;
            }
        }
        // prose between a skip comment and a block cancels it
        self.skip_next = false;
        self.requires_next = None;
        end
    }

    /// A section title at line `i`: records the heading, returns the line after it.
    fn title(&mut self, i: usize) -> Option<usize> {
        let at = |k: usize| self.lines.get(k).copied();
        let (text_at, style, next) = match adornment(self.lines[i]) {
            Some(c) => {
                let (text, under) = (at(i + 1)?, at(i + 2)?);
                let fits = width(self.lines[i]) >= width(text.trim());
                (adornment(under) == Some(c) && fits).then_some((i + 1, (c, true), i + 3))?
            }
            None => {
                let c = adornment(at(i + 1)?)?;
                let (text, under) = (self.lines[i], width(at(i + 1)?));
                let fits = under >= width(text) || under >= 4;
                (indent(text) == 0 && fits).then_some((i, (c, false), i + 2))?
            }
        };
        let text = self.lines[text_at].trim();
        // a prompt over a rule is a doctest block printing one; `..` starts markup
        if text.is_empty()
            || adornment(text).is_some()
            || text.starts_with(">>>")
            || text.starts_with("..")
        {
            return None;
        }
        let level = match self.styles.iter().position(|&s| s == style) {
            Some(p) => p + 1,
            None => {
                self.styles.push(style);
                self.styles.len()
            }
        };
        self.under_heading = Some(self.parts.headings.len());
        self.parts.headings.push(Heading {
            line: text_at + 1,
            level: level.min(u8::MAX as usize) as u8,
            text: text.replace("``", ""),
            requires: self.requires_next.take(),
        });
        Some(next)
    }

    /// Explicit markup at line `i` (`rest` follows the `..`): a directive, or a comment.
    fn explicit(&mut self, i: usize, rest: &str) -> usize {
        let own = indent(self.lines[i]);
        let Some((name, argument)) = directive(rest) else {
            // a comment, target or footnote: its indented lines are not the guide's text
            if rest.to_ascii_lowercase().starts_with("snipcheck: skip") {
                self.skip_next = true;
            }
            if let Some(req) = version_directive(rest) {
                // right under a title it limits the section
                match self.under_heading {
                    Some(h) => self.parts.headings[h].requires = Some(req),
                    None => self.requires_next = Some(req),
                }
            }
            return self.indented(i + 1, own).map_or(i + 1, |(_, stop)| stop);
        };
        let name = name.as_str();
        if OPAQUE_DIRECTIVES.contains(&name) {
            return self.indented(i + 1, own).map_or(i + 1, |(_, stop)| stop);
        }
        if !CODE_DIRECTIVES.contains(&name) && !PYTHON_DIRECTIVES.contains(&name) {
            return i + 1; // a note, a tab...: its content may hold headings and blocks
        }
        let language = argument
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let named_python =
            PYTHON_DIRECTIVES.contains(&name) || PYTHON_LANGS.contains(&language.as_str());
        // options (`:linenos:`) come first, then the body
        let mut from = i + 1;
        while from < self.lines.len() && is_option(self.lines[from], own) {
            from += 1;
        }
        let Some((first, stop)) = self.indented(from, own) else {
            self.skip_next = false;
            self.requires_next = None;
            return from;
        };
        let code = self.text(first, stop);
        // a named language decides (a `>>>` session is Python whatever it says); with
        // none, the body must read as Python
        let example = named_python
            || super::is_repl(&code)
            || (language.is_empty() && self.reads_as_python(&code));
        if example {
            self.push(first, stop);
        } else {
            self.skip_next = false;
            self.requires_next = None;
        }
        stop
    }

    /// The block indented deeper than `than` from line `from` on, past blank lines:
    /// its first line and the line after its last non-blank one.
    fn indented(&self, from: usize, than: usize) -> Option<(usize, usize)> {
        let first = (from..self.lines.len()).find(|&j| !self.lines[j].trim().is_empty())?;
        if indent(self.lines[first]) <= than {
            return None;
        }
        let mut stop = first + 1;
        for j in first + 1..self.lines.len() {
            let l = self.lines[j];
            if l.trim().is_empty() {
                continue;
            }
            if indent(l) <= than {
                break;
            }
            stop = j + 1;
        }
        Some((first, stop))
    }

    fn text(&self, first: usize, stop: usize) -> Vec<String> {
        self.lines[first..stop]
            .iter()
            .map(|l| l.to_string())
            .collect()
    }

    fn reads_as_python(&self, code: &[String]) -> bool {
        self.python.is_python(&super::repl::dedent(code).join("\n"))
    }

    /// An example from lines `first..stop` (0-based).
    fn push(&mut self, first: usize, stop: usize) {
        let skip =
            std::mem::take(&mut self.skip_next).then(|| "marked .. snipcheck: skip".to_string());
        self.parts.blocks.push(Block {
            line: first + 1,
            lines: self.text(first, stop),
            skip,
            requires: self.requires_next.take(),
        });
    }
}

/// `name:: argument` after the `..` of a directive, the name lowercased.
fn directive(rest: &str) -> Option<(String, &str)> {
    let (name, argument) = rest.split_once("::")?;
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || "-_:+.".contains(c));
    valid.then(|| (name.to_ascii_lowercase(), argument.trim()))
}

/// A directive option line (`:linenos:`, `:caption: Lists`) under a directive at `own`.
fn is_option(line: &str, own: usize) -> bool {
    let t = line.trim_start();
    indent(line) > own
        && t.len() > 1
        && t.starts_with(':')
        && t[1..].find(':').is_some_and(|end| end > 0)
}

/// The character of a title adornment line: one punctuation character repeated at
/// least three times (`::` and `..` are markup, `>>>` and `...` are prompts).
fn adornment(line: &str) -> Option<char> {
    let line = line.trim_end();
    let c = line.chars().next()?;
    let repeated = line.chars().all(|x| x == c) && line.chars().count() >= 3;
    (c.is_ascii_punctuation() && repeated && line != ">>>" && line != "...").then_some(c)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn width(text: &str) -> usize {
    text.trim_end().chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Python is whatever has an `=` or a call in it.
    struct Stub;
    impl CodeDetector for Stub {
        fn text_blocks(
            &self,
            _: &[&str],
            _: &[(usize, usize)],
        ) -> anyhow::Result<Vec<(usize, usize)>> {
            Ok(vec![])
        }
        fn is_python(&self, code: &str) -> bool {
            !code.starts_with(char::is_whitespace) && (code.contains('=') || code.contains('('))
        }
    }

    fn blocks(text: &str) -> Vec<(usize, Vec<String>, bool)> {
        read(text, &Stub)
            .blocks
            .into_iter()
            .map(|b| (b.line, b.lines, b.skip.is_some()))
            .collect()
    }

    #[test]
    fn titles_by_style_in_order_of_appearance() {
        let rst = "=====\nGuide\n=====\n\nLists\n-----\n\nText.\n\nSlices\n~~~~~~\n\nSets\n----\n\n----------\n\nHi\n--\n";
        let parts = read(rst, &Stub);
        let got: Vec<_> = parts
            .headings
            .iter()
            .map(|h| (h.line, h.level, h.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, 1, "Guide"),
                (5, 2, "Lists"),
                (10, 3, "Slices"),
                (13, 2, "Sets")
            ]
        );
        assert_eq!(parts.title.as_deref(), Some("Guide"));
    }

    #[test]
    fn code_directives_with_options() {
        let rst = ".. code-block:: python\n   :linenos:\n   :caption: Lists\n\n   x = 1\n\n   y = 2\n\nText.\n\n.. code-block:: bash\n\n   ls -l\n\n.. doctest::\n\n   >>> 1\n   1\n";
        let b = blocks(rst);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].0, 5);
        assert_eq!(b[0].1, vec!["   x = 1", "", "   y = 2"]);
        assert_eq!(b[1].0, 17);
    }

    #[test]
    fn literal_and_doctest_blocks() {
        let rst = "Run this::\n\n    x = f(1)\n\nOutput::\n\n    some output\n\n::\n\n    >>> 2\n    2\n\n>>> 3\n3\n\n- item::\n\n      y = 2\n\n>>> print('-' * 5)\n-----\n";
        let got: Vec<_> = blocks(rst).into_iter().map(|b| b.0).collect();
        assert_eq!(got, vec![3, 11, 14, 19, 21]);
    }

    #[test]
    fn skip_comment_and_nested_blocks() {
        let rst = ".. snipcheck: skip\n\n.. code:: python\n\n   x = 1\n\n.. note::\n\n   Inside::\n\n       y = 2\n\n.. snipcheck: skip\n\nProse.\n\n.. code:: py\n\n   z = 3\n\n..\n   w = (4)\n";
        let got = blocks(rst);
        let got: Vec<_> = got.iter().map(|b| (b.0, b.2)).collect();
        assert_eq!(got, vec![(5, true), (11, false), (19, false)]);
    }
}
