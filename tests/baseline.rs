//! `--write-baseline` and `--baseline` (issue 20): a guide's findings recorded, and
//! later runs failing only on findings that are new, with the stale entries listed.

mod common;

use std::path::Path;

use common::{run_in, seed};
use serde_json::Value;

/// A copy of the bundled guide in a directory of its own, as `guide.txt`.
fn guide_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(seed(), dir.path().join("guide.txt")).unwrap();
    dir
}

use common::run_text_in as run_text;

/// The report's failing claims that the baseline does not know, as (line, text).
fn new_findings(report: &Value) -> Vec<(u64, String)> {
    let mut out = vec![];
    for q in report["questions"].as_array().unwrap() {
        for e in q["examples"].as_array().unwrap() {
            for c in e["claims"].as_array().unwrap() {
                if c["verdict"] == "mismatch" && c.get("known") != Some(&Value::Bool(true)) {
                    out.push((
                        c["line"].as_u64().unwrap(),
                        c["text"].as_str().unwrap().into(),
                    ));
                }
            }
        }
    }
    out
}

/// Edits one line of the guide: `find` replaced by `with` on the line holding it.
fn edit(dir: &Path, find: &str, with: &str) {
    let path = dir.join("guide.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(find), "{find:?} is not in the guide");
    std::fs::write(&path, text.replacen(find, with, 1)).unwrap();
}

#[test]
fn a_baseline_knows_todays_findings_and_only_new_ones_fail() {
    let dir = guide_copy();
    let (code, out, err) = run_text(
        dir.path(),
        &["check", "guide.txt", "--write-baseline", "base.json"],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("wrote 1 finding to the baseline base.json"),
        "{err}"
    );
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("base.json")).unwrap())
            .unwrap();
    let findings = written["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{written}");
    assert_eq!(findings[0]["question"], "168");
    assert_eq!(findings[0]["claim"], "~100 bytes");
    assert_eq!(findings[0]["verdict"], "mismatch");
    assert!(
        findings[0].get("line").is_none(),
        "no line numbers: {written}"
    );

    let (code, out, err) = run_text(
        dir.path(),
        &["check", "guide.txt", "--baseline", "base.json"],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 known finding"), "{out}");
    assert!(
        !out.contains("mismatch  guide.txt"),
        "a known finding is not shown: {out}"
    );

    // lines added above the known finding do not break it; a second false claim fails
    edit(
        dir.path(),
        "161. What is iterator?",
        "Read this first.\n\n161. What is iterator?",
    );
    edit(dir.path(), "print(next(it)) # 2", "print(next(it)) # 3");
    let (code, out, err) = run_text(
        dir.path(),
        &["check", "guide.txt", "--baseline", "base.json"],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("1 known finding"), "{out}");
    assert!(
        out.contains("mismatch  guide.txt:27"),
        "the new finding: {out}"
    );
    assert_eq!(
        out.matches("mismatch  guide.txt").count(),
        1,
        "only the new one: {out}"
    );

    let (code, report, _) = run_in(
        dir.path().to_str().unwrap(),
        &[
            "check",
            "guide.txt",
            "--baseline",
            "base.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(new_findings(&report), vec![(27, "3".to_string())]);
    assert_eq!(report["summary"]["known"], 1);
    assert_eq!(report["baseline"]["known"], 1);
}

#[test]
fn entries_no_run_finds_are_listed_as_stale() {
    let dir = guide_copy();
    let (code, _, _) = run_text(
        dir.path(),
        &["check", "guide.txt", "--write-baseline", "base.json"],
    );
    assert_eq!(code, 0);
    edit(dir.path(), "# ~100 bytes", "# ~200 bytes");
    let (code, out, err) = run_text(
        dir.path(),
        &["check", "guide.txt", "--baseline", "base.json"],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("base.json: 1 entry no longer found"), "{out}");
    assert!(
        out.contains("guide.txt · question 168 · mismatch · ~100 bytes"),
        "{out}"
    );
    // a run of other questions finds nothing stale: the entry's question did not run
    let (_, out, _) = run_text(
        dir.path(),
        &[
            "check",
            "guide.txt",
            "--baseline",
            "base.json",
            "--question",
            "161",
        ],
    );
    assert!(!out.contains("no longer found"), "{out}");
}

#[test]
fn an_example_error_is_a_finding_too() {
    let dir = tempfile::tempdir().unwrap();
    let guide = dir.path().join("g.md");
    std::fs::write(
        &guide,
        "# Keys\n\n```python\nd = {}\nd['b']\nprint(1)  # 1\n```\n",
    )
    .unwrap();
    let (code, _, err) = run_text(dir.path(), &["check", "g.md", "--write-baseline", "b.json"]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.path().join("b.json")).unwrap();
    assert!(
        text.contains("\"claim\": \"KeyError: 'b'\"") && text.contains("\"error\""),
        "{text}"
    );
    let (code, out, _) = run_text(dir.path(), &["check", "g.md", "--baseline", "b.json"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("1 known finding") && !out.contains("KeyError"),
        "{out}"
    );
}

#[test]
fn the_config_names_the_baseline_beside_it() {
    let dir = guide_copy();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let (code, _, _) = run_text(
        dir.path(),
        &["check", "guide.txt", "--write-baseline", "base.json"],
    );
    assert_eq!(code, 0);
    std::fs::write(
        dir.path().join("snipcheck.toml"),
        "baseline = \"base.json\"\n",
    )
    .unwrap();
    // run from a folder below: the file is found beside the config, not in docs/
    let (code, out, err) = run_text(&docs, &["check", "../guide.txt"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 known finding"), "{out}");
}

#[test]
fn a_bad_baseline_is_one_line_and_exit_2() {
    let dir = guide_copy();
    for (content, says) in [
        (Some("not json"), "base.json: not a snipcheck baseline"),
        (
            Some("{\"findings\": []}"),
            "base.json: not a snipcheck baseline",
        ),
        (
            Some("{\"snipcheck_baseline\": 9, \"findings\": []}"),
            "a baseline of format 9",
        ),
        (None, "base.json: cannot read the baseline"),
    ] {
        let path = dir.path().join("base.json");
        match content {
            Some(c) => std::fs::write(&path, c).unwrap(),
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
        let (code, out, err) = run_text(
            dir.path(),
            &["check", "guide.txt", "--baseline", "base.json"],
        );
        assert_eq!(code, 2, "{content:?}: {out}{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("snipcheck: error: ") && err.contains(says),
            "{err}"
        );
        assert!(out.is_empty(), "nothing ran: {out}");
    }
}
