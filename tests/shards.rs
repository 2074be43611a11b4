//! `--partition` and `snipcheck merge` (issue 20): a run checked in parts, its parts'
//! JSON reports merged, is the run checked whole, in every format.

mod common;

use std::path::Path;

use common::{seed, snipcheck};
use serde_json::Value;

/// A second guide beside the bundled one: an example error, a false claim, passing
/// claims and a guide warning, so that each part has something different in it.
const OTHER: &str = "# Sums\n\n```python\nprint(1 + 1)  # 2\n```\n\n## Keys\n\n```python\n\
d = {}\nd['b']\n```\n\n## Lists\n\n```python\nprint([1] * 2)  # [1, 1]\nprint(3)  # 4\n```\n\n\
## Words\n\n```python\nprint('a b'.split())  # ['a', 'b']\n```\n\n## Open\n\n```python\nx = 1\n";

/// Runs snipcheck in `dir`: exit status and standard output.
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let (code, out, _) = common::run_text_in(dir, args);
    (code, out)
}

/// A directory holding both guides: `seed.txt` and `other.md`.
fn guides() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(seed(), dir.path().join("seed.txt")).unwrap();
    std::fs::write(dir.path().join("other.md"), OTHER).unwrap();
    dir
}

/// A JSON report without what differs between any two runs (the wall time) and
/// the part a run was (the merged report is no part).
fn comparable(text: &str) -> Value {
    let mut v: Value = serde_json::from_str(text).expect("a JSON report");
    let o = v.as_object_mut().unwrap();
    o.remove("seconds");
    o.remove("partition");
    v
}

/// The human report without its timing.
fn untimed(text: &str) -> String {
    let re = regex::Regex::new(r" · \d+\.\d+ s").unwrap();
    re.replace_all(text, "").into_owned()
}

/// Checks the guides in 3 parts with `method`, each part's JSON report in `dir`.
fn parts(dir: &Path, method: &str) -> Vec<String> {
    let mut names = vec![];
    let mut questions = 0;
    for k in 1..=3 {
        let name = format!("{method}-{k}.json");
        let spec = format!("{method}:{k}/3");
        let args = [
            "check",
            "seed.txt",
            "other.md",
            "--partition",
            &spec,
            "--format",
            "json",
            "--output",
            &name,
        ];
        let (code, _) = run(dir, &args);
        assert!(code == 0 || code == 1, "part {spec}: exit {code}");
        let part: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(&name)).unwrap()).unwrap();
        assert_eq!(part["partition"]["part"], spec);
        questions += part["questions"].as_array().unwrap().len();
        names.push(name);
    }
    assert_eq!(questions, 45, "each question in one part");
    names
}

#[test]
fn three_parts_merged_are_the_run_made_whole() {
    let dir = guides();
    let (whole_code, whole) = run(
        dir.path(),
        &["check", "seed.txt", "other.md", "--format", "json"],
    );
    assert_eq!(whole_code, 1);
    let whole = comparable(&whole);
    assert_eq!(whole["summary"]["questions"], 45, "{whole}");
    assert_eq!(whole["summary"]["mismatch"], 2);
    assert_eq!(whole["summary"]["errors"], 1);
    assert_eq!(whole["warnings"].as_array().unwrap().len(), 1);
    for method in ["slice", "hash"] {
        let names = parts(dir.path(), method);
        let mut merge: Vec<&str> = vec!["merge"];
        // the order the parts are given in does not matter
        merge.extend(names.iter().rev().map(String::as_str));
        for format in ["json", "human", "junit", "github", "sarif"] {
            let mut args = merge.clone();
            args.extend(["--format", format, "--color", "never"]);
            let (code, merged) = run(dir.path(), &args);
            assert_eq!(code, whole_code, "{method} {format}");
            let (_, one) = run(
                dir.path(),
                &[
                    "check", "seed.txt", "other.md", "--format", format, "--color", "never",
                ],
            );
            match format {
                "json" => assert_eq!(comparable(&merged), whole, "{method}"),
                "human" => assert_eq!(untimed(&merged), untimed(&one), "{method}"),
                _ => assert_eq!(merged, one, "{method} {format}"),
            }
        }
    }
}

#[test]
fn parts_missing_or_given_twice_or_not_reports_are_refused() {
    let dir = guides();
    let names = parts(dir.path(), "slice");
    std::fs::write(dir.path().join("junk.json"), "{\"snipcheck\": 1}").unwrap();
    for (args, says) in [
        (
            vec!["merge", &names[0], &names[1]],
            "part slice:3/3 is missing",
        ),
        (
            vec!["merge", &names[0], &names[0], &names[1]],
            "is given twice",
        ),
        (
            vec!["merge", &names[0], "junk.json"],
            "junk.json: not a JSON report of snipcheck",
        ),
        (vec!["merge", "none.json"], "none.json: cannot be read"),
        (
            vec!["check", "seed.txt", "--partition", "slice:0/3"],
            "from 1 to N",
        ),
        (
            vec!["check", "seed.txt", "--partition", "shard:1/3"],
            "expected slice:K/N or hash:K/N",
        ),
    ] {
        let (mut cmd, _cache) = snipcheck();
        let out = cmd.args(&args).current_dir(dir.path()).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("snipcheck: error: ") && err.contains(says),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_part_with_no_questions_is_an_empty_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("g.md"), "```python\nprint(1)  # 1\n```\n").unwrap();
    let (code, out) = run(
        dir.path(),
        &[
            "check",
            "g.md",
            "--partition",
            "slice:2/2",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["summary"]["questions"], 0);
}
