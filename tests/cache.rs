//! The run cache (docs/cli.md, "The run cache"): real runs of small guides, each with a
//! cache directory of its own, that show which questions came from the cache through
//! the JSON report's `cached` marker.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Three questions: one that prints, one with a false claim (run twice: with the hash
/// seed of every run and with another), one with an output block.
const GUIDE: &str = "# Cached

## 1. Prints

```python
print(1 + 1)  # 2
```

## 2. Wrong

```python
x = [3, 1, 2]
print(sorted(x))  # [1, 2, 4]
```

## 3. Block

```python
for i in range(2):
    print(i)
# Output:
# 0
# 1
```
";

/// A guide and a cache in a directory of their own.
struct Place {
    dir: tempfile::TempDir,
    cache: tempfile::TempDir,
}

impl Place {
    fn new(guide: &str) -> Place {
        let place = Place {
            dir: tempfile::tempdir().unwrap(),
            cache: tempfile::tempdir().unwrap(),
        };
        place.write(guide);
        place
    }

    fn guide(&self) -> String {
        self.dir.path().join("guide.md").display().to_string()
    }

    fn write(&self, guide: &str) {
        std::fs::write(self.guide(), guide).unwrap();
    }

    fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_snipcheck"));
        cmd.args(["check", &self.guide(), "--format", "json"])
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("VIRTUAL_ENV")
            .env_remove("CI")
            .env("SNIPCHECK_CACHE_DIR", self.cache.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    /// The JSON report of a check (exit 0 or 1).
    fn check(&self, args: &[&str], env: &[(&str, &str)]) -> Value {
        report(self.command(args, env).output().unwrap())
    }

    /// The files under the cache directory.
    fn entries(&self) -> Vec<std::path::PathBuf> {
        files_under(self.cache.path())
    }
}

fn report(out: Output) -> Value {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("no report: {stderr}"))
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = vec![];
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.path().is_dir() {
            found.extend(files_under(&entry.path()));
        } else {
            found.push(entry.path());
        }
    }
    found
}

/// Which questions came from the cache, by id.
fn cached(report: &Value) -> Vec<(String, bool)> {
    report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["id"].as_str().unwrap().to_string(),
                q["cached"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

fn ids(marks: &[(&str, bool)]) -> Vec<(String, bool)> {
    marks.iter().map(|(id, c)| (id.to_string(), *c)).collect()
}

/// The report without what may differ between a run and a cached run of the same
/// guide: the time, the markers of the cache and the count of them.
fn without_cache_marks(report: &Value) -> Value {
    let mut r = report.clone();
    let top = r.as_object_mut().unwrap();
    top.remove("seconds");
    top.remove("cached");
    for q in top["questions"].as_array_mut().unwrap() {
        q.as_object_mut().unwrap().remove("cached");
    }
    r
}

#[test]
fn a_second_run_comes_from_the_cache_and_says_the_same() {
    let place = Place::new(GUIDE);
    let first = place.check(&[], &[]);
    assert_eq!(
        cached(&first),
        ids(&[("1", false), ("2", false), ("3", false)])
    );
    assert!(first.get("cached").is_none(), "{first}");
    let second = place.check(&[], &[]);
    assert_eq!(
        cached(&second),
        ids(&[("1", true), ("2", true), ("3", true)])
    );
    assert_eq!(second["cached"], 3);
    assert_eq!(without_cache_marks(&first), without_cache_marks(&second));
    // claims are judged afresh: how they are judged is not part of the key
    let third = place.check(&["--tolerance", "10%", "--strict"], &[]);
    assert_eq!(third["cached"], 3, "{third}");
    assert_eq!(common::failing(&third).len(), 1);
}

#[test]
fn the_human_summary_says_how_many_came_from_the_cache() {
    let place = Place::new(GUIDE);
    let human = |place: &Place| {
        let out = place
            .command(&["--format", "human", "--color", "never"], &[])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(!human(&place).contains("from the cache"));
    let again = human(&place);
    assert!(
        again.contains("FAILED: 3 questions (3 from the cache), 3 examples"),
        "{again}"
    );
}

#[test]
fn editing_one_question_runs_only_that_one() {
    let place = Place::new(GUIDE);
    place.check(&[], &[]);
    place.write(&GUIDE.replace("print(1 + 1)  # 2", "print(2 + 0)  # 2"));
    let edited = place.check(&[], &[]);
    assert_eq!(
        cached(&edited),
        ids(&[("1", false), ("2", true), ("3", true)])
    );
    assert_eq!(edited["summary"]["pass"], 2);
}

#[test]
fn lines_added_above_a_question_still_hit_and_move_its_lines() {
    // the third question raises: its traceback holds guide lines, so it is reused
    // only where it was made
    let guide = format!("{GUIDE}\n## 4. Raises\n\n```python\n{{}}['k']\n```\n");
    let place = Place::new(&guide);
    place.check(&[], &[]);
    let moved = guide.replace(
        "print(1 + 1)  # 2\n",
        "a = 1\nb = 2\nc = 3\nprint(1 + 1)  # 2\n",
    );
    place.write(&moved);
    let report = place.check(&[], &[]);
    assert_eq!(
        cached(&report),
        ids(&[("1", false), ("2", true), ("3", true), ("4", false)])
    );
    // the same report as a run without the cache: every line moved by three
    let fresh = place.check(&["--no-cache"], &[]);
    assert_eq!(without_cache_marks(&report), without_cache_marks(&fresh));
    let mismatch = &common::failing(&report)[0];
    assert_eq!((mismatch.line, mismatch.verdict.as_str()), (16, "mismatch"));
    let block = common::example(&report, 22);
    assert_eq!(block["claims"][0]["line"], 24);
    assert_eq!(block["claims"][0]["kind"], "output-block");
    assert_eq!(block["claims"][0]["verdict"], "pass");
    let error = &common::example(&report, 32)["error"];
    assert_eq!(error["line"], 32);
    assert!(
        error["traceback"].as_str().unwrap().contains("line 32"),
        "{error}"
    );
}

#[test]
fn a_changed_setting_or_interpreter_runs_again() {
    let place = Place::new(GUIDE);
    let none_cached = ids(&[("1", false), ("2", false), ("3", false)]);
    assert_eq!(cached(&place.check(&["--timeout", "5"], &[])), none_cached);
    assert_eq!(cached(&place.check(&["--timeout", "6"], &[])), none_cached);
    assert_eq!(cached(&place.check(&["--memory", "1G"], &[])), none_cached);
    assert_eq!(
        cached(&place.check(&["--max-output", "4096"], &[])),
        none_cached
    );
    assert_eq!(
        cached(&place.check(&["--python", "3.13"], &[])),
        none_cached
    );
    // and each of them is kept beside the others
    for args in [
        &["--timeout", "5"][..],
        &["--memory", "1G"],
        &["--python", "3.13"],
    ] {
        assert_eq!(place.check(args, &[])["cached"], 3, "{args:?}");
    }
}

#[test]
fn timeouts_and_crashes_are_not_kept() {
    let guide = "# Slow\n\n## 1. Loops\n\n```python\nwhile True:\n    pass\n```\n\n\
                 ## 2. Exits\n\n```python\nimport os\nos._exit(3)\n```\n";
    let place = Place::new(guide);
    for _ in 0..2 {
        let report = place.check(&["--timeout", "0.5"], &[]);
        assert_eq!(cached(&report), ids(&[("1", false), ("2", false)]));
        let types: Vec<&str> = report["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["examples"][0]["error"]["type"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["Timeout", "Crash"]);
    }
}

#[test]
fn a_corrupt_entry_is_ignored_and_replaced() {
    let place = Place::new(GUIDE);
    let first = place.check(&[], &[]);
    let entries = place.entries();
    assert!(!entries.is_empty());
    for (n, path) in entries.iter().enumerate() {
        // bad JSON, a truncated entry, an answer to another question
        let junk: &[u8] = match n % 3 {
            0 => b"not json at all",
            1 => b"{\"base\":7,\"movable\":true}\n{\"id\":0,\"count\":1,",
            _ => b"{\"base\":7,\"movable\":true}\n{\"id\":0,\"count\":5,\"examples\":[],\"lines\":{},\"cut\":false,\"worker_error\":null}\n",
        };
        std::fs::write(path, junk).unwrap();
    }
    let second = place.check(&[], &[]);
    assert_eq!(
        cached(&second),
        ids(&[("1", false), ("2", false), ("3", false)])
    );
    assert_eq!(without_cache_marks(&first), without_cache_marks(&second));
    assert_eq!(place.check(&[], &[])["cached"], 3);
}

#[test]
fn no_cache_and_ci_read_and_write_nothing() {
    let place = Place::new(GUIDE);
    let none_cached = ids(&[("1", false), ("2", false), ("3", false)]);
    assert_eq!(cached(&place.check(&["--no-cache"], &[])), none_cached);
    assert_eq!(cached(&place.check(&[], &[("CI", "true")])), none_cached);
    assert!(place.entries().is_empty(), "{:?}", place.entries());
    // the last of --cache and --no-cache wins
    place.check(&["--cache", "--no-cache"], &[]);
    assert!(place.entries().is_empty());
    // asked for, the cache works under CI too
    place.check(&["--cache"], &[("CI", "true")]);
    assert!(!place.entries().is_empty());
    assert_eq!(place.check(&["--cache"], &[("CI", "true")])["cached"], 3);
    // a filled cache is not read with --no-cache or under CI
    assert_eq!(cached(&place.check(&["--no-cache"], &[])), none_cached);
    assert_eq!(cached(&place.check(&[], &[("CI", "true")])), none_cached);
}

#[test]
fn the_config_file_can_turn_the_cache_off() {
    let place = Place::new(GUIDE);
    std::fs::write(place.dir.path().join("snipcheck.toml"), "cache = false\n").unwrap();
    place.check(&[], &[]);
    assert!(place.entries().is_empty());
    // the command line wins
    place.check(&["--cache"], &[]);
    assert_eq!(place.check(&["--cache"], &[])["cached"], 3);
}

#[test]
fn two_runs_at_once_both_succeed() {
    // enough questions that the two runs overlap
    let mut guide = String::from("# Many\n\n");
    for i in 1..=40 {
        guide.push_str(&format!(
            "## {i}. Q\n\n```python\nprint({i} * 2)  # {}\n```\n\n",
            i * 2
        ));
    }
    let place = Place::new(&guide);
    let children: Vec<_> = (0..2)
        .map(|_| {
            let mut cmd = place.command(&["-j", "2"], &[]);
            cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
            cmd.spawn().unwrap()
        })
        .collect();
    let reports: Vec<Value> = children
        .into_iter()
        .map(|c| report(c.wait_with_output().unwrap()))
        .collect();
    for r in &reports {
        assert_eq!(r["summary"]["pass"], 40, "{r}");
    }
    assert_eq!(
        without_cache_marks(&reports[0]),
        without_cache_marks(&reports[1])
    );
    assert_eq!(place.check(&[], &[])["cached"], 40);
}
