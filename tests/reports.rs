//! The reports CI systems read (GitHub annotations, JUnit read back by a JUnit parser),
//! the terminal report as the run goes, and stopping early.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{fixture, run_with};

fn bundled() -> String {
    format!("{}/guides/python-advanced.txt", env!("CARGO_MANIFEST_DIR"))
}

/// Runs snipcheck in a fresh directory: exit status, stdout, stderr.
fn run_text(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let (mut cmd, _cache) = common::snipcheck();
    cmd.args(args)
        .current_dir(dir.path())
        .env_remove("GITHUB_ACTIONS")
        .env_remove("VIRTUAL_ENV");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn annotations(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.starts_with("::")).collect()
}

#[test]
fn github_format_annotates_the_false_claim_on_its_line() {
    let (code, out, _) = run_text(&["check", &bundled(), "--format", "github"], &[]);
    assert_eq!(code, 1);
    let found = annotations(&out);
    assert_eq!(found.len(), 1, "{out}");
    assert!(found[0].starts_with("::error file="), "{}", found[0]);
    assert!(
        found[0].contains("python-advanced.txt,line=93,title="),
        "{}",
        found[0]
    );
    // the message is one line: its newlines are escaped as the runner wants
    assert!(found[0].contains("%0A- ~100%0A+ "), "{}", found[0]);
}

#[test]
fn annotations_join_the_terminal_report_under_github_actions() {
    let (_, plain, _) = run_text(&["check", &bundled()], &[]);
    assert!(annotations(&plain).is_empty(), "{plain}");
    let (code, out, _) = run_text(&["check", &bundled()], &[("GITHUB_ACTIONS", "true")]);
    assert_eq!(code, 1);
    assert!(out.contains("FAIL   168"), "{out}");
    assert_eq!(annotations(&out).len(), 1, "{out}");
}

#[test]
fn example_errors_and_warnings_are_annotated_too() {
    let (_, out, _) = run_text(
        &["check", &fixture("misbehaving.md"), "--format", "github"],
        &[],
    );
    let found = annotations(&out);
    assert!(!found.is_empty(), "{out}");
    assert!(found
        .iter()
        .all(|a| a.starts_with("::error ") || a.starts_with("::notice ")));
    assert!(
        found.iter().any(|a| a.contains("title=snipcheck%3A ")),
        "{out}"
    );
}

#[test]
fn junit_report_read_by_a_junit_parser() {
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("out.xml");
    let json = dir.path().join("out.json");
    let report_junit = format!("junit={}", xml.display());
    let report_json = format!("json={}", json.display());
    let (code, out, _) = run_text(
        &[
            "check",
            &bundled(),
            "--report",
            &report_junit,
            "--report",
            &report_json,
        ],
        &[],
    );
    assert_eq!(code, 1);
    // the terminal report is still there
    assert!(out.contains("FAIL   168"), "{out}");
    let suites = junit_parser::from_reader(BufReader::new(std::fs::File::open(&xml).unwrap()))
        .expect("a JUnit file");
    assert_eq!(suites.suites.len(), 1);
    let suite = &suites.suites[0];
    assert!(
        suite.name.ends_with("python-advanced.txt"),
        "{}",
        suite.name
    );
    assert_eq!(suite.cases.len(), 40);
    let failing: Vec<_> = suite
        .cases
        .iter()
        .filter(|c| c.status.is_failure() || c.status.is_error())
        .collect();
    assert_eq!(failing.len(), 1);
    assert!(
        failing[0].name.contains("168 What is memory"),
        "{}",
        failing[0].name
    );
    let failure = failing[0].status.failure_as_ref();
    assert!(failure.text.contains("- ~100"), "{}", failure.text);
    assert!(failure.text.contains(":93"), "{}", failure.text);
    // no-code questions are skipped cases
    assert_eq!(
        suite.cases.iter().filter(|c| c.status.is_skipped()).count(),
        30
    );
    // and the JSON report of the same run says the same
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["summary"]["mismatch"], 1);
}

#[test]
fn junit_marks_example_errors_as_errors() {
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("out.xml");
    let (code, _, _) = run_text(
        &[
            "check",
            &fixture("misbehaving.md"),
            "--format",
            "junit",
            "--output",
            xml.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 1);
    let suites = junit_parser::from_reader(BufReader::new(std::fs::File::open(&xml).unwrap()))
        .expect("a JUnit file");
    let errors = suites.suites[0]
        .cases
        .iter()
        .filter(|c| c.status.is_error())
        .count();
    assert!(errors >= 1);
}

#[test]
fn a_bad_report_target_is_one_line_and_exit_2() {
    for bad in ["junit", "xml=out.xml", "json="] {
        let (code, out, err) = run_text(&["check", &bundled(), "--report", bad], &[]);
        assert_eq!(code, 2, "{bad}: {out}{err}");
        assert_eq!(err.lines().count(), 1, "{bad}: {err}");
    }
}

/// Three questions, the first two wrong: `-x` stops after the first failure and says
/// how many were not run; `--maxfail 2` after the second.
const THREE_WRONG: &str = "# One\n\n```python\nprint(1)  # 2\n```\n\n# Two\n\n```python\nprint(3)  # 4\n```\n\n# Three\n\n```python\nprint(5)  # 5\n```\n\n# Four\n\n```python\nprint(6)  # 7\n```\n";

#[test]
fn exitfirst_and_maxfail_stop_early_and_count_what_did_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let guide = dir.path().join("g.md");
    std::fs::write(&guide, THREE_WRONG).unwrap();
    let g = guide.to_str().unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, report, _) = run_with(d, &["check", g, "-x", "-j1", "--format", "json"], &[]);
    assert_eq!(code, 1);
    // one worker: the stop is decided before it takes the next question
    assert_eq!(report["questions"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["summary"]["mismatch"], 1);
    assert_eq!(report["not_run"], 3);
    let (_, text, _) = run_text(&["check", g, "-x", "-j1"], &[]);
    assert!(text.contains("stopped early: "), "{text}");
    let (_, report, _) = run_with(
        d,
        &["check", g, "--maxfail", "2", "-j1", "--format", "json"],
        &[],
    );
    assert_eq!(report["summary"]["mismatch"], 2);
    assert_eq!(report["questions"].as_array().unwrap().len(), 2, "{report}");
    assert_eq!(report["not_run"], 2);
    // without a limit every question runs and nothing says "not run"
    let (_, report, _) = run_with(d, &["check", g, "--format", "json"], &[]);
    assert_eq!(report["questions"].as_array().unwrap().len(), 4);
    assert!(report.get("not_run").is_none());
}

#[test]
fn a_mismatch_that_is_chance_does_not_count_towards_maxfail() {
    // the first question's claim is a random draw: it is illustrative once run again,
    // so `-x` goes on to the real failure after it
    let dir = tempfile::tempdir().unwrap();
    let guide = dir.path().join("g.md");
    std::fs::write(
        &guide,
        "# One\n\n```python\nimport random\nprint(random.randint(1, 10**9))  # 5\n```\n\n# Two\n\n```python\nprint(3)  # 4\n```\n\n# Three\n\n```python\nprint(1)  # 1\n```\n",
    )
    .unwrap();
    let (_, report, _) = run_with(
        dir.path().to_str().unwrap(),
        &[
            "check",
            guide.to_str().unwrap(),
            "-x",
            "-j1",
            "--format",
            "json",
        ],
        &[],
    );
    let statuses: Vec<&str> = report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["passed", "failed"], "{report}");
    assert_eq!(report["not_run"], 1);
}

#[test]
fn questions_print_as_they_finish_in_guide_order() {
    // question 2 waits until this test has read question 1's line: if the terminal
    // report waited for the whole run, question 2 would time out instead
    let dir = tempfile::tempdir().unwrap();
    let go = dir.path().join("go");
    let guide = dir.path().join("g.md");
    std::fs::write(
        &guide,
        format!(
            "# First\n\n```python\nprint(1)  # 1\n```\n\n# Second\n\n```python\nimport os, time\nwhile not os.path.exists({go:?}):\n    time.sleep(0.02)\nprint(2)  # 2\n```\n\n# Third\n\n```python\nprint(3)  # 3\n```\n",
            go = go.to_str().unwrap()
        ),
    )
    .unwrap();
    let (mut cmd, _cache) = common::snipcheck();
    let mut child = cmd
        .args(["check", guide.to_str().unwrap(), "--timeout", "60", "-j2"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = vec![];
    for line in lines.by_ref() {
        let line = line.unwrap();
        let first = line.contains("First");
        seen.push(line);
        if first {
            break;
        }
    }
    assert!(seen.iter().all(|l| !l.contains("Second")), "{seen:?}");
    std::fs::write(&go, "").unwrap();
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(child.wait().unwrap().success(), "{rest:?}");
    let order: Vec<usize> = ["Second", "Third"]
        .iter()
        .map(|t| rest.iter().position(|l| l.contains(t)).expect(t))
        .collect();
    assert!(order[0] < order[1], "{rest:?}");
}

#[test]
fn no_progress_bar_when_standard_error_is_not_a_terminal() {
    // a run longer than a second, with standard error a pipe
    let dir = tempfile::tempdir().unwrap();
    let guide = dir.path().join("g.md");
    std::fs::write(
        &guide,
        "# Slow\n\n```python\nimport time\ntime.sleep(1.5)\nprint(1)  # 1\n```\n",
    )
    .unwrap();
    let (code, out, err) = run_text(&["check", guide.to_str().unwrap()], &[]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(err, "");
    assert!(!out.contains("questions ·"), "{out}");
}

#[test]
fn progress_bar_on_a_terminal_for_a_long_run() {
    // util-linux `script` gives the run a terminal; the bar shows after a second,
    // suspends while question lines print, and is cleared at the end
    let dir = tempfile::tempdir().unwrap();
    let guide = dir.path().join("g.md");
    std::fs::write(
        &guide,
        "# Quick\n\n```python\nprint(1)  # 1\n```\n\n# Slow\n\n```python\nimport time\ntime.sleep(2)\nprint(1)  # 1\n```\n",
    )
    .unwrap();
    let typescript = dir.path().join("typescript");
    let command = format!(
        "{} check {} --color never",
        env!("CARGO_BIN_EXE_snipcheck"),
        guide.display()
    );
    let cache = common::own_cache();
    let status = Command::new("script")
        .args(["-qec", &command, typescript.to_str().unwrap()])
        .env("SNIPCHECK_CACHE_DIR", cache.path())
        .stdout(Stdio::null())
        .status()
        .expect("util-linux script is installed");
    assert!(status.success());
    let seen = String::from_utf8_lossy(&std::fs::read(&typescript).unwrap()).into_owned();
    assert!(seen.contains("1/2 questions"), "{seen}");
    // the line of the slow question comes after the bar was drawn and erased
    let bar = seen.find("1/2 questions").unwrap();
    let slow = seen
        .find("Slow  1 claim")
        .expect("the slow question's line");
    assert!(bar < slow, "{seen}");
    assert!(seen.contains("ok: 2 questions"), "{seen}");
}
