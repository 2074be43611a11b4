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

/// The guide line of the first line of the fixture holding `key`.
fn line_of(name: &str, key: &str) -> u64 {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    let i = text.lines().position(|l| l.contains(key));
    i.unwrap_or_else(|| panic!("{key} is not in {name}")) as u64 + 1
}

/// Each claim as (line, text, verdict, message).
fn claim_texts(report: &Value) -> Vec<(u64, String, String, Option<String>)> {
    let mut out = vec![];
    for q in report["questions"].as_array().expect("a report") {
        for e in q["examples"].as_array().unwrap() {
            for c in e["claims"].as_array().unwrap() {
                out.push((
                    c["line"].as_u64().unwrap(),
                    c["text"].as_str().unwrap().to_string(),
                    c["verdict"].as_str().unwrap().to_string(),
                    c["message"].as_str().map(str::to_string),
                ));
            }
        }
    }
    out
}

/// A qualifier comes off before the claim is judged; values that look like versions
/// and remarks in parentheses stay what they were. Every qualifier here holds on the
/// interpreters this project supports, so the guide passes everywhere.
#[test]
fn qualified_claims_compare_what_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let guide = dir.path().join("qualified.md");
    let text = "# Q\n\n```python\nprint(round(3.14159, 2))  # 3.14\n\
                print(round(3.14159, 2))  # 3.14 (3.9+)\nprint(round(3.1, 1))  # 3.1 (not 3.10)\n\
                items = [1, 2, 3]\nlen(items)  # 3 (3 items)\nprint(99)  # 99 (Affected)\n\
                print(len(items))  # Python 3.9+: 3\nprint(len(items))\n# >= 3.9: 3\n\
                print(len(items) * 2)  # 6 (3.9-3.30)\n```\n";
    std::fs::write(&guide, text).unwrap();
    let (code, report, stderr) = run(&["check", guide.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{stderr}\n{report:#}");
    let got: Vec<(u64, String, String)> = claim_texts(&report)
        .into_iter()
        .map(|(line, text, verdict, _)| (line, text, verdict))
        .collect();
    let want = [
        (4, "3.14"),
        (5, "3.14"),
        (6, "3.1 (not 3.10)"),
        (8, "3 (3 items)"),
        (9, "99 (Affected)"),
        (10, "3"),
        (12, "3"),
        (13, "6"),
    ];
    let want: Vec<(u64, String, String)> = want
        .iter()
        .map(|(l, t)| (*l, t.to_string(), "pass".to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn a_version_qualifier_is_taken_off_before_the_claim_is_judged() {
    let (_, report) = check("versions.md");
    let found = claim_texts(&report);
    let at = |key: &str| {
        let line = line_of("versions.md", key);
        found
            .iter()
            .find(|c| c.0 == line)
            .unwrap_or_else(|| panic!("no claim at {line} ({key})"))
            .clone()
    };
    for (key, text) in [
        ("# 200 (3.11)", "200"),
        ("# 104 (3.10)", "104"),
        ("# ~100 bytes (before 3.11)", "~100 bytes"),
        ("# 232 (3.8–3.10)", "232"),
        ("# 3.11+: 184", "184"),
        ("# Python 3.12+: 42", "42"),
        ("# 50 (3.9-3.11)", "50"),
        ("# 160 (>= 3.12)", "160"),
        (
            "were given (3.10+)",
            "TypeError: Account.deposit() takes 2 positional arguments but 3 were given",
        ),
    ] {
        assert_eq!(at(key).1, text, "{key}");
    }
    // values that look like versions, and remarks in parentheses, are what they were
    for (key, text) in [
        ("2))  # 3.14", "3.14"), // the first of the two: no qualifier
        ("# 3.14 (3.9+)", "3.14"),
        ("# 3.1 (not 3.10)", "3.1 (not 3.10)"),
        ("# 3 (3 items)", "3 (3 items)"),
        ("# 99 (Affected)", "99 (Affected)"),
        ("# 1 (3.9+)", "1"),
    ] {
        let line = line_of("versions.md", key);
        let c = found.iter().find(|c| c.0 == line).expect("a claim");
        assert_eq!((c.1.as_str(), c.2.as_str()), (text, "pass"), "{key}");
    }
}

/// Every interpreter of the machine that this fixture names, by its path.
fn installed_pythons() -> Vec<String> {
    let root = std::process::Command::new("pyenv")
        .arg("root")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let Ok(dir) = std::fs::read_dir(format!("{root}/versions")) else {
        return vec![];
    };
    let mut out: Vec<String> = dir
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|v| {
            ["3.9.", "3.10.", "3.11.", "3.12.", "3.13."]
                .iter()
                .any(|p| v.starts_with(p))
        })
        .map(|v| format!("{root}/versions/{v}/bin/python"))
        .filter(|p| std::path::Path::new(p).is_file())
        .collect();
    out.sort();
    out
}

/// Needs the interpreter's version in evaluate: a claim whose qualifier names other
/// versions is `illustrative`, an example whose directive does is skipped.
#[test]

fn a_guide_of_qualified_claims_passes_on_every_python() {
    for python in installed_pythons() {
        let (code, report, stderr) = run(&[
            "check",
            &fixture("versions.md"),
            "--format",
            "json",
            "--python",
            &python,
        ]);
        assert_eq!(code, 0, "under {python}: {stderr}\n{report:#}");
        let version = report["python"]["version"].as_str().unwrap().to_string();
        for (line, text, verdict, message) in claim_texts(&report) {
            match verdict.as_str() {
                "pass" => {}
                "illustrative" => {
                    let m = message.unwrap_or_default();
                    assert!(
                        m.starts_with("for Python ")
                            && m.ends_with(&format!("; this is {version}")),
                        "{line} {text}: {m}"
                    );
                }
                v => panic!("under {version}, line {line} ({text}) is {v}"),
            }
        }
    }
}
