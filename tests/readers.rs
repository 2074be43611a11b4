//! The guide readers through the binary: which headings open questions, which blocks
//! are examples, and the guide lines they report (issue 7, point 2).

mod common;

use common::{claims, example, fixture, run, Claim};
use serde_json::Value;

/// Each question as (id, heading line, title).
fn questions(report: &Value) -> Vec<(String, u64, String)> {
    report["questions"]
        .as_array()
        .expect("a report")
        .iter()
        .map(|q| {
            (
                q["id"].as_str().unwrap().to_string(),
                q["line"].as_u64().unwrap(),
                q["title"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The first code line of each example, by question id.
fn example_lines(report: &Value) -> Vec<(String, Vec<u64>)> {
    report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let lines = q["examples"].as_array().unwrap().iter();
            let lines = lines.map(|e| e["line"].as_u64().unwrap()).collect();
            (q["id"].as_str().unwrap().to_string(), lines)
        })
        .collect()
}

fn q(id: &str, line: u64, title: &str) -> (String, u64, String) {
    (id.to_string(), line, title.to_string())
}

fn at(id: &str, lines: &[u64]) -> (String, Vec<u64>) {
    (id.to_string(), lines.to_vec())
}

fn check(name: &str) -> (i32, Value) {
    let (code, report, stderr) = run(&["check", &fixture(name), "--format", "json"]);
    assert!(report.is_object(), "no report for {name}: {stderr}");
    (code, report)
}

#[test]
fn setext_headings_open_questions_at_their_title_line() {
    let (code, report) = check("setext.md");
    assert_eq!(code, 1);
    assert_eq!(
        questions(&report),
        vec![
            q("working-with-strings", 1, "Working with strings"),
            q("changing-case", 6, "Changing case"),
            q("splitting", 15, "Splitting"),
            q("1", 20, "On whitespace"),
            q("2", 27, "On a separator"),
            q("joining", 33, "Joining"),
        ]
    );
    assert_eq!(
        example_lines(&report),
        vec![
            at("working-with-strings", &[]),
            at("changing-case", &[10]),
            at("splitting", &[]),
            at("1", &[23]),
            at("2", &[30]),
            at("joining", &[37]),
        ]
    );
    // `Joining` runs on its own: `word` from `Changing case` is not defined there
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(11, "output", "pass", Some("exact")),
            Claim::new(12, "output", "pass", Some("exact")),
            Claim::new(24, "output", "pass", Some("exact")),
            Claim::new(30, "output", "pass", Some("exact")),
            Claim::new(37, "output", "pass", Some("exact")),
            Claim::new(38, "output", "mismatch", None),
            Claim::new(39, "output", "pass", Some("exact")),
        ]
    );
}

#[test]
fn stray_numbered_headings_do_not_take_over_a_page() {
    let (code, report) = check("stray-numbers.md");
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        questions(&report),
        vec![
            q("dictionaries-in-practice", 1, "Dictionaries in practice"),
            q("making-a-dict", 5, "Making a dict"),
            q("reading-values", 12, "Reading values"),
            q("1", 16, "Square brackets"),
            q("2", 23, "The get method"),
            q("changing-a-dict", 30, "Changing a dict"),
            q("looping", 38, "Looping"),
            q("sorting-by-value", 48, "Sorting by value"),
        ]
    );
    assert_eq!(example(&report, 43)["status"], "passed");
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(9, "output", "pass", Some("exact")),
            Claim::new(20, "output", "pass", Some("exact")),
            Claim::new(27, "output", "pass", Some("exact")),
            Claim::new(35, "output", "pass", Some("exact")),
            // a section of its own: `ages` from the one above is not defined here
            Claim::new(43, "output", "pass", Some("exact")),
            Claim::new(45, "output", "pass", Some("exact")),
            Claim::new(52, "output", "pass", Some("exact")),
        ]
    );
}

#[test]
fn text_guide_underlined_titles_are_headings() {
    let (code, report) = check("setext.txt");
    assert_eq!(code, 1);
    assert_eq!(
        questions(&report),
        vec![
            q("making-sets", 5, "Making sets"),
            q("set-algebra", 13, "Set algebra"),
            q("frozen-sets", 21, "Frozen sets"),
        ]
    );
    assert_eq!(
        example_lines(&report),
        vec![
            at("making-sets", &[10]),
            at("set-algebra", &[16]),
            at("frozen-sets", &[26]),
        ]
    );
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(11, "output", "pass", Some("exact")),
            Claim::new(18, "output", "pass", Some("exact")),
            Claim::new(19, "output", "mismatch", None),
            Claim::new(26, "output", "pass", Some("exact")),
            Claim::new(28, "output", "pass", Some("exact")),
        ]
    );
}

#[test]
fn restructuredtext_guide_reads_like_markdown() {
    let (code, report) = check("tutorial.rst");
    assert_eq!(code, 1);
    assert_eq!(
        questions(&report),
        vec![
            q("a-tour-of-comprehensions", 2, "A tour of comprehensions"),
            q("list-comprehensions", 7, "List comprehensions"),
            q("filtering", 24, "Filtering"),
            q("dict-comprehensions", 41, "Dict comprehensions"),
            q("set-comprehensions", 63, "Set comprehensions"),
        ]
    );
    // code-block with options, pycon, `::` Python, doctest block, doctest directive,
    // sourcecode, code (skipped), lone `::`; not the shell output nor the bash block
    assert_eq!(
        example_lines(&report),
        vec![
            at("a-tour-of-comprehensions", &[]),
            at("list-comprehensions", &[14, 21]),
            at("filtering", &[29]),
            at("dict-comprehensions", &[44, 49, 54, 61]),
            at("set-comprehensions", &[68]),
        ]
    );
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(15, "output", "pass", Some("exact")),
            Claim::new(22, "repl", "pass", Some("exact")),
            Claim::new(30, "output", "pass", Some("exact")),
            Claim::new(45, "repl", "pass", Some("exact")),
            Claim::new(50, "repl", "pass", Some("exact")),
            Claim::new(55, "output", "mismatch", None),
            Claim::new(69, "output", "pass", Some("exact")),
        ]
    );
    let skipped = example(&report, 61);
    assert_eq!(skipped["skip_reason"], "marked .. snipcheck: skip");
    assert_eq!(skipped["status"], "skipped");
}

#[test]
fn restructuredtext_files_are_guides_in_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("tutorial.rst"), dir.path().join("tutorial.rst")).unwrap();
    let (code, report, stderr) = run(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(report["summary"]["questions"], 5);
}

#[test]
fn sessions_in_fences_of_other_languages_are_examples() {
    let (code, report) = check("sessions-in-text-fences.md");
    assert_eq!(code, 1);
    assert_eq!(
        example_lines(&report),
        vec![
            at("sessions-shown-under-other-labels", &[]),
            at("rounding", &[8]),
            at("ranges", &[17]),
            at("strings", &[26]),
            at("not-sessions", &[]),
        ]
    );
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(9, "repl", "pass", Some("exact")),
            Claim::new(11, "repl", "pass", Some("exact")),
            Claim::new(18, "repl", "pass", Some("exact")),
            Claim::new(20, "repl", "mismatch", None),
            Claim::new(28, "repl", "pass", Some("exact")),
            Claim::new(30, "repl", "mismatch", None),
        ]
    );
}

#[test]
fn sessions_in_pre_blocks_of_other_languages_are_examples() {
    let (code, report) = check("sessions-in-pre.html");
    assert_eq!(code, 1);
    assert_eq!(
        report["summary"]["examples"], 1,
        "the text block is not one"
    );
    assert_eq!(
        claims(&report),
        vec![
            Claim::new(8, "repl", "pass", Some("exact")),
            Claim::new(10, "repl", "mismatch", None),
        ]
    );
}
