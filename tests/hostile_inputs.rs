//! Hostile guides and paths: what a guide or its examples print cannot drive the
//! terminal, only regular files are read, symbolic link loops end, and a guide of
//! 200,000 questions is read in linear time.
//!
//! Every run here has a bound: the binary is killed after it and the test fails, so
//! that a hang (a FIFO nobody writes to, a loop of links) fails instead of blocking
//! `cargo test` forever. The bounds are generous and never assert how fast a run is.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::fixture;

/// What a bounded run of snipcheck gave.
struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.stdout)
            .unwrap_or_else(|e| panic!("a JSON report ({e}); stderr: {}", self.stderr))
    }
}

/// Runs snipcheck in a fresh empty directory with `stdin`, killing it and failing the
/// test if it has not finished after `limit`.
fn bounded(args: &[&str], stdin: Stdio, limit: Duration) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let (mut cmd, _cache) = common::snipcheck();
    let mut child = cmd
        .args(args)
        .current_dir(dir.path())
        .env_remove("VIRTUAL_ENV")
        .env_remove("NO_COLOR")
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("snipcheck starts");
    // the pipes are drained while the child runs, so that a big report cannot fill
    // them and stall it
    let drain = |child: &mut Child, out: bool| {
        let mut pipe: Box<dyn Read + Send> = if out {
            Box::new(child.stdout.take().unwrap())
        } else {
            Box::new(child.stderr.take().unwrap())
        };
        std::thread::spawn(move || {
            let mut buf = vec![];
            let _ = pipe.read_to_end(&mut buf);
            buf
        })
    };
    let (out, err) = (drain(&mut child, true), drain(&mut child, false));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("snipcheck {args:?} still ran after {limit:?} and was killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
    }
}

const MINUTE: Duration = Duration::from_secs(60);

fn run(args: &[&str]) -> Run {
    bounded(args, Stdio::null(), MINUTE)
}

/// Exit 2, nothing on stdout, one stderr line that contains `needle`.
fn refused(run: &Run, needle: &str) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "no report");
    let lines: Vec<&str> = run.stderr.trim().lines().collect();
    assert_eq!(lines.len(), 1, "one line: {}", run.stderr);
    assert!(
        lines[0].starts_with("snipcheck: error: ") && lines[0].contains(needle),
        "wanted {needle:?} in: {}",
        run.stderr
    );
}

/// A FIFO at `path`, which nobody will write to.
fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
}

/// The terminal fixture copied to a file whose name holds an escape sequence too.
fn hostile_copy(dir: &Path) -> String {
    let path = dir.join("guide\x1b[2J.md");
    std::fs::copy(fixture("hostile/terminal.md"), &path).unwrap();
    path.to_str().unwrap().to_string()
}

/// Every ESC in `text` starts one of the palette's own colour codes (`ESC [ digits m`).
fn only_palette_escapes(text: &str) -> bool {
    text.split('\x1b').skip(1).all(|rest| {
        rest.strip_prefix('[')
            .and_then(|r| r.split_once('m'))
            .is_some_and(|(params, _)| {
                !params.is_empty() && params.chars().all(|c| c.is_ascii_digit() || c == ';')
            })
    })
}

#[test]
fn nothing_a_guide_prints_reaches_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let guide = hostile_copy(dir.path());
    for color in ["never", "always"] {
        let run = run(&["check", &guide, "--color", color]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let out = String::from_utf8(run.stdout).unwrap();
        if color == "never" {
            assert!(!out.contains('\x1b'), "no ESC at all:\n{out}");
        } else {
            assert!(out.contains("\x1b[31m"), "the palette still colours");
            assert!(only_palette_escapes(&out), "only colour codes:\n{out}");
        }
        for c in out.chars() {
            let allowed = c == '\n' || c == '\x1b' && color == "always";
            assert!(
                !c.is_control() || allowed,
                "control character {c:?} in:\n{out}"
            );
        }
        // what the escaping shows, for each kind of text
        for shown in [
            "guide\\e[2J.md:8",                        // a file name
            "window title\\e]0;pwned\\e\\",            // a heading
            "\\e]0;pwned\\x07",                        // printed output (OSC)
            "\\e[2J",                                  // printed output (CSI)
            "\\u{9b}2J\\x7f\\x08\\rok",                // C1, DEL, C0, CR
            "# 2 \\e[8mhidden",                        // a source line
            "2 \\e[8mhidden",                          // a claim
            "ValueError: \\e[5mboom\\x07",             // an error message
            "raise ValueError(\"\\x1b[5mboom\\x07\")", // source in a traceback
        ] {
            assert!(out.contains(shown), "{shown:?} is shown in:\n{out}");
        }
    }
}

#[test]
fn the_json_report_keeps_the_exact_text() {
    let dir = tempfile::tempdir().unwrap();
    let guide = hostile_copy(dir.path());
    let run = run(&["check", &guide, "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    let q = &report["questions"][0];
    assert_eq!(q["file"], guide.as_str());
    assert!(q["title"]
        .as_str()
        .unwrap()
        .ends_with("title\x1b]0;pwned\x1b\\"));
    let claims = q["examples"][0]["claims"].as_array().unwrap();
    assert_eq!(claims[0]["actual"], "\x1b]0;pwned\x07");
    assert_eq!(claims[1]["actual"], "\x1b[2J");
    assert_eq!(claims[2]["actual"], "\u{9b}2J\x7f\x08\rok");
    assert_eq!(claims[3]["expected"], "2 \x1b[8mhidden");
    let error = &report["questions"][1]["examples"][0]["error"];
    assert_eq!(error["message"], "\x1b[5mboom\x07");
}

#[test]
fn devices_are_not_guides() {
    let run = run(&["check", "/dev/zero"]);
    refused(&run, "/dev/zero: is a character device, not a regular file");
}

#[test]
fn a_fifo_without_a_writer_is_not_a_guide() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("guide.md");
    mkfifo(&fifo);
    let run = run(&["check", fifo.to_str().unwrap()]);
    refused(&run, "guide.md: is a FIFO (named pipe), not a regular file");
}

#[test]
fn standard_input_on_a_pipe_is_not_a_guide() {
    // a pipe whose writer stays open and never writes: reading it would wait forever
    let mut writer = Command::new("sleep")
        .arg("600")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pipe = writer.stdout.take().unwrap();
    let run = bounded(&["check", "/dev/stdin"], Stdio::from(pipe), MINUTE);
    let _ = writer.kill();
    let _ = writer.wait();
    refused(
        &run,
        "/dev/stdin: is a FIFO (named pipe), not a regular file",
    );
}

#[test]
fn a_socket_is_not_a_guide() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guide.md");
    let _listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let run = run(&["check", path.to_str().unwrap()]);
    refused(&run, "guide.md: is a socket, not a regular file");
}

#[test]
fn a_path_that_is_a_loop_of_links_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.md"), dir.path().join("b.md"));
    std::os::unix::fs::symlink(&a, &b).unwrap();
    std::os::unix::fs::symlink(&b, &a).unwrap();
    let run = run(&["check", a.to_str().unwrap()]);
    refused(&run, "a.md: is a loop of symbolic links");
}

/// A folder of one guide, with two links back to itself (which double the paths at
/// every level), a loop of two links, a link to the guide, a link to a directory that
/// holds it too, and a FIFO named like a guide.
#[test]
fn a_folder_search_follows_each_directory_once() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    let sub = docs.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(sub.join("guide.md"), "```python\nprint(1)  # 1\n```\n").unwrap();
    let link = |target: &str, at: &Path| std::os::unix::fs::symlink(target, at).unwrap();
    link(".", &sub.join("again"));
    link("..", &sub.join("up"));
    link("sub", &docs.join("also-sub"));
    link("sub/guide.md", &docs.join("copy.md"));
    link("loop-b", &docs.join("loop-a"));
    link("loop-a", &docs.join("loop-b"));
    mkfifo(&docs.join("pipe.md"));

    let run = run(&["check", docs.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    let files: Vec<&str> = report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["file"].as_str().unwrap())
        .collect();
    let guide = sub.join("guide.md");
    assert_eq!(files, vec![guide.to_str().unwrap()], "the guide once");
    let warnings: Vec<&str> = run.stderr.lines().collect();
    let warned = |needle: &str| {
        warnings
            .iter()
            .any(|w| w.starts_with("snipcheck: warning: ") && w.contains(needle))
    };
    assert!(
        warned("sub/again: is a symbolic link back to"),
        "{warnings:?}"
    );
    assert!(warned("sub/up: is a symbolic link back to"), "{warnings:?}");
    assert!(warned("also-sub: leads to"), "{warnings:?}");
    assert!(
        warned("loop-a: is a loop of symbolic links"),
        "{warnings:?}"
    );
    assert!(
        warned("loop-b: is a loop of symbolic links"),
        "{warnings:?}"
    );
    assert!(warned(
        "pipe.md: is a FIFO (named pipe), not a regular file; skipped"
    ));
    assert_eq!(warnings.len(), 6, "one line each: {warnings:?}");
}

/// 200,000 `## Qn` headings; the first question has the one example a run needs (a
/// guide without any is refused), the others have no code.
#[test]
fn two_hundred_thousand_questions_without_code_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.md");
    let mut text = String::from("## Q0\n\n```python\nprint(1)  # 1\n```\n\n");
    for i in 1..200_000 {
        text.push_str(&format!("## Q{i}\n\nNo code here.\n\n"));
    }
    std::fs::write(&path, text).unwrap();
    let run = bounded(
        &["check", path.to_str().unwrap(), "--format", "json"],
        Stdio::null(),
        Duration::from_secs(120),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["summary"]["questions"], 200_000);
    assert_eq!(report["questions"][199_999]["status"], "no-code");
}

/// 200,000 `## Qn` headings, each with an example that is skipped (so that no code
/// runs): every block is assigned to its heading, which must not cost a scan of the
/// headings per block.
#[test]
fn two_hundred_thousand_questions_are_assigned_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.md");
    let mut text = String::new();
    for i in 0..200_000 {
        text.push_str(&format!("## Q{i}\n\n```python skip\nx = {i}\n```\n\n"));
    }
    std::fs::write(&path, text).unwrap();
    let run = bounded(
        &["check", path.to_str().unwrap(), "--format", "json"],
        Stdio::null(),
        Duration::from_secs(120),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["summary"]["questions"], 200_000);
    assert_eq!(report["summary"]["skipped"], 200_000);
    let last = &report["questions"][199_999];
    assert_eq!(last["id"], "q199999");
    assert_eq!(last["examples"][0]["line"], 200_000 * 6 - 2);
}
