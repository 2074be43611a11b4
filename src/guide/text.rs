//! Text guides: a web page saved as text. Questions are numbered lines at column 0 and
//! underlined titles; code has no fences, so Python's compiler tells code lines from
//! prose.

use anyhow::Result;

use super::CodeDetector;
use super::{numbered_heading, Block, Heading, Parts};

/// The level of a numbered line that no underline ranks: below both underline styles,
/// as questions sit under a page's titled parts.
const NUMBERED_LEVEL: u8 = 3;

pub fn read(text: &str, python: &dyn CodeDetector) -> Result<Parts> {
    let lines: Vec<&str> = text.lines().collect();
    let headings = headings(&lines, python);
    // Each question's body (0-based, end exclusive), and the part before the first one.
    let mut starts = vec![0];
    starts.extend(headings.iter().map(|h| h.line));
    let mut ends: Vec<usize> = headings.iter().map(|h| h.line - 1).collect();
    ends.push(lines.len());
    let bodies: Vec<(usize, usize)> = starts.into_iter().zip(ends).collect();
    let found = python.text_blocks(&lines, &bodies)?;
    let blocks = found
        .into_iter()
        // ranges from the detector are trusted only inside the file
        .filter(|&(first, last)| first >= 1 && first <= last && last <= lines.len())
        .map(|(first, last)| {
            let code: Vec<String> = lines[first - 1..last]
                .iter()
                .map(|s| s.to_string())
                .collect();
            Block {
                line: first,
                lines: code,
                skip: None,
                requires: None,
            }
        })
        .collect();
    let title = lines
        .iter()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_string());
    Ok(Parts {
        title,
        headings,
        blocks,
        warnings: vec![],
    })
}

/// Numbered lines at column 0 (`161. What is iterator?`), and titles underlined with
/// `=` (level 1) or `-` (level 2) after a blank line. A line of code over a rule is
/// code printing a rule (`print("-" * 20)`), not a title.
fn headings(lines: &[&str], python: &dyn CodeDetector) -> Vec<Heading> {
    let mut out = vec![];
    for (i, line) in lines.iter().enumerate() {
        let underlined = lines
            .get(i + 1)
            .and_then(|next| underline_level(line, next))
            .filter(|_| i == 0 || lines[i - 1].trim().is_empty())
            .filter(|_| !python.is_python(line));
        let numbered = !line.starts_with(char::is_whitespace) && numbered_heading(line).is_some();
        if let Some(level) = underlined.or(numbered.then_some(NUMBERED_LEVEL)) {
            out.push(Heading {
                line: i + 1,
                level,
                text: line.trim().to_string(),
                requires: None,
            });
        }
    }
    out
}

/// The level a line under a title gives it: a run of at least three `=` (1) or `-` (2)
/// about as long as the title, which starts at column 0 and is not itself a rule or a
/// comment. A rule far longer or shorter than the line above it separates, not titles.
fn underline_level(title: &str, under: &str) -> Option<u8> {
    let under = under.trim_end();
    let mark = under.chars().next()?;
    let level = match mark {
        '=' => 1,
        '-' => 2,
        _ => return None,
    };
    let title = title.trim_end();
    if title.is_empty()
        || title.starts_with(char::is_whitespace)
        || title.starts_with('#')
        || title.starts_with(">>>")
        || title.chars().all(|c| c == '=' || c == '-')
        || !under.chars().all(|c| c == mark)
    {
        return None;
    }
    let (u, t) = (under.chars().count(), title.chars().count());
    (u >= 3 && u.abs_diff(t) <= (t / 3).max(3)).then_some(level)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Code is whatever has a call in it.
    struct Stub;
    impl CodeDetector for Stub {
        fn text_blocks(&self, _: &[&str], _: &[(usize, usize)]) -> Result<Vec<(usize, usize)>> {
            Ok(vec![])
        }
        fn is_python(&self, code: &str) -> bool {
            code.contains('(')
        }
    }

    #[test]
    fn underlined_titles_and_numbered_lines() {
        let text = "Python notes\n============\n\nStrings\n-------\ns = 'a'\n\n1. What is a set?\nx = 1\n--------------------------------------\n\nLists\n--\n\nprint('-' * 8)\n--------\n";
        let lines: Vec<&str> = text.lines().collect();
        let got: Vec<_> = headings(&lines, &Stub)
            .into_iter()
            .map(|h| (h.line, h.level, h.text))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, 1, "Python notes".to_string()),
                (4, 2, "Strings".to_string()),
                (8, 3, "1. What is a set?".to_string()),
            ]
        );
    }

    #[test]
    fn underlines() {
        assert_eq!(underline_level("Sets", "===="), Some(1));
        assert_eq!(underline_level("Sets", "-------"), Some(2));
        assert_eq!(underline_level("Sets", "----------"), None);
        assert_eq!(underline_level("    x = 1", "-----"), None);
        assert_eq!(underline_level("# note", "------"), None);
        assert_eq!(underline_level("Sets", "==-="), None);
        assert_eq!(underline_level(">>> '-' * 5", "-----"), None);
    }
}
