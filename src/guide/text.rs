//! Text guides: a web page saved as text. Questions are numbered lines at column 0;
//! code has no fences, so Python's compiler tells code lines from prose.

use anyhow::Result;

use super::CodeDetector;
use super::{numbered_heading, Block, Heading, Parts};

pub fn read(text: &str, python: &dyn CodeDetector) -> Result<Parts> {
    let lines: Vec<&str> = text.lines().collect();
    let headings: Vec<Heading> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.starts_with(char::is_whitespace) && numbered_heading(l).is_some())
        .map(|(i, l)| Heading {
            line: i + 1,
            text: l.trim().to_string(),
        })
        .collect();
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
