//! A guide's text as lines that remember their line breaks and the file's byte order
//! mark, so that a fix changes the lines it rewrites and nothing else.

/// A guide file's text, line by line.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The file starts with a UTF-8 byte order mark (the readers never see it).
    pub bom: bool,
    pub lines: Vec<Line>,
}

/// One line: its text, and the break that ends it (`"\r\n"`, `"\n"`, `"\r"`, or `""`
/// for a last line with no final newline).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub end: &'static str,
}

/// Whole lines `first..first + count` (1-based) replaced by `new`: the unit of a fix.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub first: usize,
    pub count: usize,
    pub new: Vec<String>,
}

impl Edit {
    /// How many lines the edit adds (negative: removes).
    pub fn delta(&self) -> isize {
        self.new.len() as isize - self.count as isize
    }
    /// The line after the last one it replaces.
    pub fn end(&self) -> usize {
        self.first + self.count
    }
}

impl Source {
    /// Splits a file's text at every line break the guide readers count: CRLF, LF and
    /// a lone CR (see `guide::one_newline`), so that line numbers agree with the report.
    pub fn parse(raw: &str) -> Source {
        let (bom, text) = match raw.strip_prefix('\u{feff}') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        let mut lines = vec![];
        let mut rest = text;
        while !rest.is_empty() {
            let Some(i) = rest.find(['\r', '\n']) else {
                lines.push(Line {
                    text: rest.to_string(),
                    end: "",
                });
                break;
            };
            let end = if rest[i..].starts_with("\r\n") {
                "\r\n"
            } else if rest[i..].starts_with('\r') {
                "\r"
            } else {
                "\n"
            };
            lines.push(Line {
                text: rest[..i].to_string(),
                end,
            });
            rest = &rest[i + end.len()..];
        }
        Source { bom, lines }
    }

    /// The text as the guide readers read it (no byte order mark).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for l in &self.lines {
            out.push_str(&l.text);
            out.push_str(l.end);
        }
        out
    }

    /// The file's content, byte order mark and line breaks as they were.
    pub fn render(&self) -> String {
        let body = self.text();
        if self.bom {
            format!("\u{feff}{body}")
        } else {
            body
        }
    }

    /// Line `n` (1-based).
    pub fn line(&self, n: usize) -> Option<&str> {
        n.checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .map(|l| l.text.as_str())
    }

    /// The break most lines end with: what a line the fix inserts ends with when the
    /// lines it replaces do not tell.
    fn usual_end(&self) -> &'static str {
        let count = |e: &str| self.lines.iter().filter(|l| l.end == e).count();
        ["\n", "\r\n", "\r"]
            .into_iter()
            .max_by_key(|e| count(e))
            .filter(|e| count(e) > 0)
            .unwrap_or("\n")
    }

    /// The source with the edits made. Edits must be sorted and must not overlap (the
    /// planner drops the ones that would); one that reaches past the end is ignored.
    pub fn apply(&self, edits: &[Edit]) -> Source {
        let usual = self.usual_end();
        let mut lines = Vec::with_capacity(self.lines.len());
        let mut next = 1; // the next original line to copy
        for e in edits {
            if e.first < next || e.count == 0 || e.end() > self.lines.len() + 1 {
                continue;
            }
            lines.extend(self.lines[next - 1..e.first - 1].iter().cloned());
            let old = &self.lines[e.first - 1..e.end() - 1];
            // a line inside the replaced run ends as that run's lines do; the last one
            // keeps the last old line's break (none, at the end of a file without one)
            let inner = old
                .iter()
                .map(|l| l.end)
                .find(|end| !end.is_empty())
                .unwrap_or(usual);
            let last_end = old.last().map_or(usual, |l| l.end);
            for (i, text) in e.new.iter().enumerate() {
                let end = if i + 1 == e.new.len() {
                    last_end
                } else {
                    inner
                };
                lines.push(Line {
                    text: text.clone(),
                    end,
                });
            }
            next = e.end();
        }
        lines.extend(self.lines[next - 1..].iter().cloned());
        Source {
            bom: self.bom,
            lines,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(first: usize, count: usize, new: &[&str]) -> Edit {
        Edit {
            first,
            count,
            new: new.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn every_break_and_the_bom_survive_a_round_trip() {
        for raw in [
            "a\r\nb\r\n",
            "a\nb",
            "\u{feff}a\n\nb\n",
            "a\rb\r\n\nc",
            "",
            "\n",
        ] {
            assert_eq!(Source::parse(raw).render(), raw, "{raw:?}");
        }
        let s = Source::parse("\u{feff}x\r\ny");
        assert!(s.bom);
        assert_eq!(s.text(), "x\r\ny", "the readers never see the mark");
        assert_eq!(
            (s.line(1), s.line(2), s.line(3)),
            (Some("x"), Some("y"), None)
        );
    }

    #[test]
    fn lines_count_as_the_readers_count_them() {
        // a lone CR is a line break for the readers (guide::one_newline)
        let s = Source::parse("a\rb\r\nc\nd");
        assert_eq!(s.line(2), Some("b"));
        assert_eq!(s.line(4), Some("d"));
    }

    #[test]
    fn inserted_lines_end_as_the_lines_they_replace() {
        let s = Source::parse("code\r\n# 1\r\nafter\r\n");
        let fixed = s.apply(&[edit(2, 1, &["# 1", "# 2"])]);
        assert_eq!(fixed.render(), "code\r\n# 1\r\n# 2\r\nafter\r\n");
        let removed = s.apply(&[edit(2, 2, &["# x"])]);
        assert_eq!(removed.render(), "code\r\n# x\r\n");
    }

    #[test]
    fn a_missing_final_newline_stays_missing() {
        let s = Source::parse("print(1)\n# 2");
        assert_eq!(
            s.apply(&[edit(2, 1, &["# 1", "# 3"])]).render(),
            "print(1)\n# 1\n# 3"
        );
        let one = Source::parse("x  # 2");
        assert_eq!(
            one.apply(&[edit(1, 1, &["x  # 1", "# 3"])]).render(),
            "x  # 1\n# 3"
        );
    }

    #[test]
    fn edits_past_the_end_or_overlapping_are_ignored() {
        let s = Source::parse("a\nb\n");
        assert_eq!(s.apply(&[edit(3, 1, &["z"])]), s);
        let both = s.apply(&[edit(1, 2, &["x"]), edit(2, 1, &["y"])]);
        assert_eq!(both.render(), "x\n");
    }
}
