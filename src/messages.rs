//! Every message snipcheck shows a user about their input or environment, in one place.
//!
//! A path in a message is shown through [`shown`]: file names come from the user's
//! folders, or from whoever made them, and may hold control characters.

use crate::report::Palette;

/// A path or other untrusted text as a message shows it: on one line, its control
/// characters escaped (the same escaping as the human report), so that a file name
/// can neither drive the terminal nor break the one-line form of a message.
fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    Palette::escape_inline(text)
}

pub fn missing_path(path: &str) -> String {
    format!("{}: no such file or directory", shown(path))
}

pub fn no_guides_in(dir: &str) -> String {
    format!(
        "{}: no guides found in this directory (looked for .md, .markdown, .rst, .html, .htm, .txt)",
        shown(dir)
    )
}

pub fn unreadable(path: &str, why: &str) -> String {
    format!("{}: cannot be read: {why}", shown(path))
}

pub fn binary_file(path: &str) -> String {
    format!("{}: is a binary file, not a guide", shown(path))
}

pub fn not_utf8(path: &str, line: usize) -> String {
    format!(
        "{}: is not UTF-8 text (first bad byte on line {line})",
        shown(path)
    )
}

pub fn empty_file(path: &str) -> String {
    format!("{}: is empty", shown(path))
}

/// A guide path that is a FIFO, socket or device: reading it could block forever or
/// never end, so it is refused before it is opened.
pub fn not_a_regular_file(path: &str, kind: &str) -> String {
    format!(
        "{}: is {kind}, not a regular file; a guide must be a file or a directory",
        shown(path)
    )
}

/// A guide path that is a loop of symbolic links (`ln -s a b; ln -s b a`).
pub fn link_loop(path: &str) -> String {
    format!(
        "{}: is a loop of symbolic links, which leads to no file",
        shown(path)
    )
}

/// The warnings of a directory search (see `inputs::Walk`): what was left out, and why.
pub fn link_loop_skipped(path: &str) -> String {
    format!("{}: skipped", link_loop(path))
}

pub fn link_back(link: &str, target: &str) -> String {
    format!(
        "{}: is a symbolic link back to {}, a directory it is inside; not followed (a loop)",
        shown(link),
        shown(target)
    )
}

pub fn already_searched(link: &str, target: &str) -> String {
    format!(
        "{}: leads to {}, already searched; not searched again",
        shown(link),
        shown(target)
    )
}

pub fn special_file_skipped(path: &str, kind: &str) -> String {
    format!("{}: is {kind}, not a regular file; skipped", shown(path))
}

pub fn unreadable_skipped(path: &str, why: &str) -> String {
    format!("{}; skipped", unreadable(path, why))
}

pub fn no_examples(paths: &str) -> String {
    format!("{}: no Python examples found", shown(paths))
}

pub fn no_bundled_guide() -> String {
    "no PATH given and no bundled guide found under guides/".to_string()
}

pub fn python_start(what: &str, why: &str) -> String {
    format!("{what}: could not start the Python interpreter: {why}")
}

pub fn python_too_old(what: &str, version: &str) -> String {
    format!("{what}: is Python {version}; snipcheck needs CPython 3.9 or newer")
}

pub fn unclosed_fence() -> String {
    "this fence is never closed, so (as CommonMark says) the code block runs to the end of the file"
        .to_string()
}

pub fn duplicate_question(id: &str, first: usize) -> String {
    format!("question {id} appears again (first at line {first})")
}

pub fn bad_tolerance(text: &str) -> String {
    format!("--tolerance {text}: expected a fraction like 0.25 or a percentage like 25%")
}

pub fn bad_size(flag: &str, text: &str) -> String {
    format!("{flag} {text}: expected a size like 2G, 512M or a number of bytes")
}

pub fn nothing_matches_filter() -> String {
    "no question matches --question/--filter".to_string()
}

pub fn extract_stale(files: &[String]) -> String {
    let mut s = format!(
        "{} extracted file(s) are out of date with the guide; run `snipcheck extract` again:",
        files.len()
    );
    for f in files.iter().take(20) {
        s.push_str("\n  ");
        s.push_str(f);
    }
    s
}

/// What `--fix` says it wrote, on standard error (standard output may hold a report).
/// What `--fix` did to one guide: the claims it rewrote, and the exceptions it saved
/// as a notebook cell's error output.
pub fn fixed(path: &str, lines: &[usize], saved_errors: &[usize]) -> String {
    // "3 claims", "(lines 31, 72, 99)"
    let counted = |lines: &[usize], one: &str, many: &str| {
        let listed: Vec<String> = lines.iter().map(usize::to_string).collect();
        match lines.len() {
            1 => (format!("1 {one}"), format!("(line {})", listed[0])),
            n => (
                format!("{n} {many}"),
                format!("(lines {})", listed.join(", ")),
            ),
        }
    };
    let path = shown(path);
    let (claims, claim_lines) = counted(lines, "claim", "claims");
    let (errors, error_lines) = counted(saved_errors, "error output", "error outputs");
    match (lines.is_empty(), saved_errors.is_empty()) {
        (false, true) => format!("fixed {claims} in {path} {claim_lines}"),
        (true, false) => format!("saved {errors} in {path} {error_lines}"),
        _ => format!("fixed {claims} {claim_lines} and saved {errors} {error_lines} in {path}"),
    }
}

pub fn no_examples_allowed() -> String {
    "no Python examples in the guides given; nothing to check".to_string()
}

/// The run cache's directory cannot be made: the run goes on without it.
pub fn cache_off(dir: &str, why: &str) -> String {
    format!(
        "the run cache is off for this run: {} cannot be made: {why}",
        shown(dir)
    )
}

/// What `--write-baseline` says it wrote, on standard error.
pub fn baseline_written(path: &std::path::Path, findings: usize) -> String {
    let what = match findings {
        1 => "1 finding".to_string(),
        n => format!("{n} findings"),
    };
    format!("wrote {what} to the baseline {}", path.display())
}
