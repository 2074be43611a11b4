//! The guide readers on arbitrary text: no panic, and every example's lines lie
//! inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use snipcheck::guide::{self, CodeDetector, Format};

/// Stands in for Python: takes the input's own bytes to decide which lines are code,
/// so that the fuzzer also drives the readers with odd block ranges.
struct Stub;

impl CodeDetector for Stub {
    fn text_blocks(&self, lines: &[&str], bodies: &[(usize, usize)]) -> anyhow::Result<Vec<(usize, usize)>> {
        let mut out = vec![];
        for &(start, end) in bodies {
            let mut i = start;
            while i < end {
                let len = lines.get(i).map_or(1, |l| l.len() % 4 + 1);
                out.push((i + 1, i + len)); // may run past the body or the file
                i += len + 1;
            }
        }
        Ok(out)
    }
    fn is_python(&self, code: &str) -> bool {
        code.len() % 2 == 0
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines = guide::one_newline(text).lines().count().max(1);
    for format in [Format::Text, Format::Markdown, Format::Html] {
        let Ok(g) = guide::read("f", text, format, &Stub) else { continue };
        for q in &g.questions {
            for ex in &q.examples {
                assert!(ex.line >= 1 && ex.line <= ex.end_line.max(ex.line));
                assert!(ex.end_line <= lines + 1, "{format:?}: example ends at {} of {lines}", ex.end_line);
                assert_eq!(ex.code.len(), ex.raw.len());
                for r in &ex.repl {
                    assert!(r.line > r.statement_line);
                }
            }
        }
    }
});
