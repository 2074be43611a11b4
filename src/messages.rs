//! Every message snipcheck shows a user about their input or environment, in one place.

pub fn missing_path(path: &str) -> String {
    format!("{path}: no such file or directory")
}

pub fn no_guides_in(dir: &str) -> String {
    format!(
        "{dir}: no guides found in this directory (looked for .md, .markdown, .html, .htm, .txt)"
    )
}

pub fn unreadable(path: &str, why: &str) -> String {
    format!("{path}: cannot be read: {why}")
}

pub fn binary_file(path: &str) -> String {
    format!("{path}: is a binary file, not a guide")
}

pub fn not_utf8(path: &str, line: usize) -> String {
    format!("{path}: is not UTF-8 text (first bad byte on line {line})")
}

pub fn empty_file(path: &str) -> String {
    format!("{path}: is empty")
}

pub fn no_examples(paths: &str) -> String {
    format!("{paths}: no Python examples found")
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
