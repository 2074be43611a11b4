//! `--fix` and `--diff` on copies of fixture guides: what is rewritten, what is left
//! alone, what a file keeps (line breaks, byte order mark, permissions), and that a
//! fixed guide passes and needs no second fix.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde_json::Value;

struct Run {
    code: i32,
    stdout: String,
}

/// snipcheck run in `dir`, where the guides are copies.
fn snipcheck(dir: &Path, args: &[&str]) -> Run {
    let (mut cmd, _cache) = common::snipcheck();
    let out = cmd
        .args(args)
        .current_dir(dir)
        .env_remove("VIRTUAL_ENV")
        .env("NO_COLOR", "1")
        .output()
        .expect("snipcheck runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    }
}

/// A copy of a fixture (a path under tests/fixtures/) in `dir`, by its file name.
fn copy(dir: &Path, fixture: &str) -> String {
    let from = PathBuf::from(common::fixture(fixture));
    let name = from.file_name().unwrap().to_str().unwrap().to_string();
    fs::copy(&from, dir.join(&name)).unwrap();
    name
}

fn fix(dir: &Path, name: &str) -> i32 {
    snipcheck(dir, &["check", name, "--fix", "--timeout", "5"]).code
}

fn summary(dir: &Path, name: &str) -> Value {
    let run = snipcheck(dir, &["check", name, "--format", "json", "--timeout", "5"]);
    let report: Value = serde_json::from_str(&run.stdout).expect("a JSON report");
    report["summary"].clone()
}

fn mismatch_lines(dir: &Path, name: &str) -> Vec<u64> {
    let run = snipcheck(dir, &["check", name, "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout).expect("a JSON report");
    common::claims(&report)
        .into_iter()
        .filter(|c| c.verdict == "mismatch")
        .map(|c| c.line)
        .collect()
}

/// The lines that differ between two texts: (line number, before, after).
fn changed_lines(before: &str, after: &str) -> Vec<(usize, String, String)> {
    assert_eq!(before.lines().count(), after.lines().count(), "{after}");
    before
        .lines()
        .zip(after.lines())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, (a, b))| (i + 1, a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn every_form_of_claim_is_rewritten_the_way_its_author_wrote_it() {
    let dir = tempfile::tempdir().unwrap();
    let name = copy(dir.path(), "fix/every-form.md");
    assert_eq!(fix(dir.path(), &name), 0, "only fixable claims were false");
    let want = fs::read_to_string(common::fixture("fix/every-form.fixed.md")).unwrap();
    assert_eq!(fs::read_to_string(dir.path().join(&name)).unwrap(), want);
}

#[test]
fn a_statement_that_raised_is_claimed_as_its_exception() {
    let dir = tempfile::tempdir().unwrap();
    let name = copy(dir.path(), "fix/raised.md");
    fix(dir.path(), &name);
    let want = fs::read_to_string(common::fixture("fix/raised.fixed.md")).unwrap();
    assert_eq!(fs::read_to_string(dir.path().join(&name)).unwrap(), want);
    // the exceptions are now claimed, so they are no longer the examples' errors
    assert_eq!(snipcheck(dir.path(), &["check", &name]).code, 0);
}

#[test]
fn fix_exits_zero_when_the_fix_settles_the_examples_errors() {
    let dir = tempfile::tempdir().unwrap();
    let name = copy(dir.path(), "fix/raised.md");
    assert_eq!(fix(dir.path(), &name), 0);
}

#[test]
fn a_second_fix_changes_nothing_and_the_fixed_guide_passes() {
    let dir = tempfile::tempdir().unwrap();
    for fixture in [
        "fix/every-form.md",
        "fix/raised.md",
        "fix/crlf.md",
        "fix/bom.md",
        "fix/no-final-newline.txt",
    ] {
        let name = copy(dir.path(), fixture);
        let before = fs::read(dir.path().join(&name)).unwrap();
        fix(dir.path(), &name);
        let once = fs::read(dir.path().join(&name)).unwrap();
        assert_ne!(once, before, "{fixture}: the first fix changes the guide");
        assert_eq!(fix(dir.path(), &name), 0, "{fixture}");
        let twice = fs::read(dir.path().join(&name)).unwrap();
        assert_eq!(twice, once, "{fixture}: the second fix changed it");
        assert_eq!(
            snipcheck(dir.path(), &["check", &name]).code,
            0,
            "{fixture}"
        );
    }
}

#[test]
fn line_breaks_and_the_byte_order_mark_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let crlf = copy(dir.path(), "fix/crlf.md");
    let text = fs::read_to_string(dir.path().join(&crlf)).unwrap();
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "a CRLF fixture"
    );
    fix(dir.path(), &crlf);
    let text = fs::read_to_string(dir.path().join(&crlf)).unwrap();
    assert!(text.contains("print(3 * 3)  # 9\r\n"), "{text:?}");
    assert!(
        text.contains("# a\r\n# b\r\n```\r\n"),
        "an added line ends in CRLF: {text:?}"
    );
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "{text:?}"
    );

    let bom = copy(dir.path(), "fix/bom.md");
    fix(dir.path(), &bom);
    let text = fs::read_to_string(dir.path().join(&bom)).unwrap();
    assert!(text.starts_with("\u{feff}# A guide"), "{text:?}");
    assert!(text.contains("upper())  # CAFÉ\n"), "{text:?}");
    assert!(
        text.contains("# 5 characters\n"),
        "the remark stays: {text:?}"
    );

    let bare = copy(dir.path(), "fix/no-final-newline.txt");
    fix(dir.path(), &bare);
    let text = fs::read_to_string(dir.path().join(&bare)).unwrap();
    assert!(text.ends_with("# 0\n# 1\n# 4"), "{text:?}");
}

#[test]
fn diff_prints_a_unified_diff_of_guide_lines_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let name = copy(dir.path(), "../../guides/python-advanced.txt");
    let before = fs::read(dir.path().join(&name)).unwrap();
    let run = snipcheck(dir.path(), &["check", &name, "--diff"]);
    let want = "\
--- a/python-advanced.txt
+++ b/python-advanced.txt
@@ -90,7 +90,7 @@
 # Generator Size vs List Size
 gen = (i for i in range(10000))
 lst = [i for i in range(10000)]
-print(sys.getsizeof(gen)) # ~100 bytes
+print(sys.getsizeof(gen)) # ~200 bytes
 print(sys.getsizeof(lst)) # ~85000 bytes
 
 169. What is deepcopy vs shallow copy?
";
    assert_eq!(run.stdout, want);
    assert_eq!(run.code, 1, "the guide on disk is still false");
    assert_eq!(fs::read(dir.path().join(&name)).unwrap(), before);
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no file was written"
    );
}

#[test]
fn the_bundled_guide_is_fixed_at_line_93_only() {
    let dir = tempfile::tempdir().unwrap();
    let name = copy(dir.path(), "../../guides/python-advanced.txt");
    let before = fs::read_to_string(dir.path().join(&name)).unwrap();
    assert_eq!(fix(dir.path(), &name), 0);
    let after = fs::read_to_string(dir.path().join(&name)).unwrap();
    assert_eq!(
        changed_lines(&before, &after),
        vec![(
            93,
            "print(sys.getsizeof(gen)) # ~100 bytes".to_string(),
            "print(sys.getsizeof(gen)) # ~200 bytes".to_string()
        )]
    );
    assert_eq!(snipcheck(dir.path(), &["check", &name]).code, 0);
}

#[test]
fn claims_a_fix_cannot_make_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    // unverified prose, an illustrative value, a block under a statement that printed
    // nothing, and a claim never reached: only the one plain mismatch changes
    let name = copy(dir.path(), "fix/left-alone.md");
    let before = fs::read_to_string(dir.path().join(&name)).unwrap();
    assert_eq!(fix(dir.path(), &name), 1, "what is left is still false");
    let after = fs::read_to_string(dir.path().join(&name)).unwrap();
    assert_eq!(
        changed_lines(&before, &after),
        vec![(7, "print(6 * 7)  # 41".into(), "print(6 * 7)  # 42".into())]
    );

    // in HTML, output written with an entity (`&#52;`) is not found as written, so
    // it stays, and still fails; the others are written escaped
    let html = copy(dir.path(), "fix/session.html");
    let before = fs::read_to_string(dir.path().join(&html)).unwrap();
    assert_eq!(fix(dir.path(), &html), 1);
    let after = fs::read_to_string(dir.path().join(&html)).unwrap();
    assert_eq!(
        changed_lines(&before, &after),
        vec![
            (
                6,
                "&lt;class 'str'&gt;".into(),
                "&lt;class 'int'&gt;".into()
            ),
            (10, "False</pre>".into(), "True</pre>".into()),
        ]
    );
    assert_eq!(mismatch_lines(dir.path(), &html), vec![8]);
}

#[test]
fn exit_non_zero_on_fix_says_that_a_guide_changed() {
    let dir = tempfile::tempdir().unwrap();
    let name = copy(dir.path(), "fix/crlf.md");
    let args = ["check", name.as_str(), "--fix", "--exit-non-zero-on-fix"];
    assert_eq!(snipcheck(dir.path(), &args).code, 1);
    assert_eq!(
        snipcheck(dir.path(), &args).code,
        0,
        "nothing left to change"
    );
}

#[test]
fn the_guide_keeps_its_permissions_and_no_temporary_file_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let name = copy(dir.path(), "fix/bom.md");
    let path = dir.path().join(&name);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    fix(dir.path(), &name);
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o7777,
        0o640
    );
    let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

#[test]
fn a_guide_named_through_a_link_is_fixed_where_it_lives() {
    let dir = tempfile::tempdir().unwrap();
    let name = copy(dir.path(), "fix/crlf.md");
    std::os::unix::fs::symlink(&name, dir.path().join("link.md")).unwrap();
    fix(dir.path(), "link.md");
    assert!(fs::symlink_metadata(dir.path().join("link.md"))
        .unwrap()
        .is_symlink());
    let text = fs::read_to_string(dir.path().join(&name)).unwrap();
    assert!(text.contains("# 9\r\n"), "{text:?}");
}

/// Every fixture guide of the project: a fix leaves no mismatch, a second fix changes
/// nothing, and a guide whose only failures were mismatches then passes.
#[test]
fn every_fixture_guide_is_fixed_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut names: Vec<String> = fs::read_dir(common::fixture(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
        .collect();
    names.sort();
    assert!(names.len() > 10, "{names:?}");
    let mut fixed = 0;
    for fixture in names {
        let name = copy(dir.path(), &fixture);
        let first = summary(dir.path(), &name);
        if first["mismatch"] == 0 {
            continue; // nothing a fix would touch
        }
        fix(dir.path(), &name);
        let once = fs::read(dir.path().join(&name)).unwrap();
        fix(dir.path(), &name);
        assert_eq!(fs::read(dir.path().join(&name)).unwrap(), once, "{fixture}");
        let after = summary(dir.path(), &name);
        assert_eq!(after["mismatch"], 0, "{fixture}: {after}");
        if first["errors"] == 0 && first["not_reached"] == 0 {
            let check = snipcheck(dir.path(), &["check", &name]);
            assert_eq!(check.code, 0, "{fixture}: {}", check.stdout);
        }
        fixed += 1;
    }
    assert!(fixed >= 5, "most fixtures have a false claim to fix");
}
