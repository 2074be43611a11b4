//! Bad input: exit 2 and one clear line naming the file; oddities are warnings.

mod common;

use common::run;

/// Runs snipcheck expecting exit 2 and a single stderr line that contains `needle`.
fn refused(args: &[&str], needle: &str) {
    let (code, report, err) = run(args);
    assert_eq!(code, 2, "{args:?}: {err}");
    assert!(report.is_null(), "no report on stdout");
    let lines: Vec<&str> = err.trim().lines().collect();
    assert_eq!(lines.len(), 1, "one line: {err}");
    assert!(
        lines[0].starts_with("snipcheck: error: ") && lines[0].contains(needle),
        "{err}"
    );
    assert!(!err.contains("panicked") && !err.contains("Traceback"));
}

#[test]
fn missing_path() {
    refused(
        &["check", "/no/such/guide.md"],
        "/no/such/guide.md: no such file",
    );
}

#[test]
fn directory_without_guides() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.rs"), "fn main() {}").unwrap();
    let d = dir.path().to_str().unwrap();
    refused(&["check", d], &format!("{d}: no guides found"));
}

#[test]
fn binary_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("image.md");
    std::fs::write(&f, [0x89u8, b'P', b'N', b'G', 0, 0, 1, 2]).unwrap();
    refused(
        &["check", f.to_str().unwrap()],
        "image.md: is a binary file",
    );
}

#[test]
fn non_utf8_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("latin1.md");
    std::fs::write(&f, b"# Caf\xe9\n\n```python\nprint(1)  # 1\n```\n").unwrap();
    refused(
        &["check", f.to_str().unwrap()],
        "latin1.md: is not UTF-8 text (first bad byte on line 1)",
    );
}

#[test]
fn empty_file_and_file_without_examples() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.md");
    std::fs::write(&empty, "").unwrap();
    refused(&["check", empty.to_str().unwrap()], "empty.md: is empty");
    let prose = dir.path().join("prose.md");
    std::fs::write(&prose, "# Words\n\nNo code here.\n\n```bash\nls\n```\n").unwrap();
    refused(
        &["check", prose.to_str().unwrap()],
        "prose.md: no Python examples found",
    );
}

#[test]
fn unknown_option() {
    refused(&["check", "--frobnicate"], "--frobnicate");
}

#[test]
fn bad_option_values() {
    refused(
        &["check", "x.md", "--tolerance", "lots"],
        "--tolerance lots",
    );
    refused(&["check", "x.md", "--memory", "huge"], "--memory huge");
}

#[test]
fn unclosed_fence_and_duplicate_numbers_are_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("odd.md");
    std::fs::write(
        &f,
        "## 1. One\n\n```python\nprint(1)  # 1\n```\n\n## 1. One again\n\n```python\nprint(2)  # 2\n",
    )
    .unwrap();
    let (code, report, _) = run(&["check", f.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    let warnings: Vec<(u64, String)> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["line"].as_u64().unwrap(),
                w["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings
        .iter()
        .any(|(l, m)| *l == 7 && m.contains("question 1 appears again (first at line 1)")));
    assert!(warnings
        .iter()
        .any(|(l, m)| *l == 9 && m.contains("never closed")));
    assert_eq!(
        report["summary"]["pass"], 2,
        "the open fence still runs to the end"
    );
}
