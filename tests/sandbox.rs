//! The worker sandbox (src/python/sandbox.rs), checked on real `python3` processes.
//!
//! These need Landlock with TCP rules and signal scoping (Linux 6.12 or newer); on an
//! older kernel they are skipped with a note, since the sandbox is best effort there.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

use snipcheck::python::sandbox::{apply_on_spawn, status, Policy};
use tempfile::TempDir;

const LIMIT: u64 = 64 * 1024;

fn policy(scratch: &Path, allow_network: bool) -> Policy {
    Policy {
        scratch: scratch.to_path_buf(),
        allow_network,
        max_file_size: LIMIT,
    }
}

/// Whether this kernel enforces everything these tests check.
fn enforced() -> bool {
    let p = status(&policy(Path::new("/"), false));
    let all = p.filesystem && p.truncate && p.network_blocked && p.signals;
    if !all {
        eprintln!("skipped: this kernel does not enforce the whole sandbox ({p})");
    }
    all
}

/// Runs `python3 -c code args...` sandboxed by `policy`; returns its stdout, after
/// checking that it exited successfully.
fn python(policy: &Policy, code: &str, args: &[&str]) -> String {
    let mut cmd = Command::new("python3");
    cmd.arg("-c").arg(code).args(args);
    apply_on_spawn(&mut cmd, policy);
    let out: Output = cmd.output().expect("python3 starts");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}\n{stderr}", out.status);
    String::from_utf8(out.stdout).unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn writes_inside_scratch_succeed() {
    if !enforced() {
        return;
    }
    let scratch = TempDir::new().unwrap();
    let code = r#"
import os, sys, tempfile
d = os.path.join(sys.argv[1], "sub")
os.mkdir(d)
with open(os.path.join(d, "f.txt"), "w") as f:
    f.write("hello")
os.truncate(os.path.join(d, "f.txt"), 2)
os.rename(os.path.join(d, "f.txt"), os.path.join(sys.argv[1], "g.txt"))
print(open(os.path.join(sys.argv[1], "g.txt")).read())
os.remove(os.path.join(sys.argv[1], "g.txt"))
os.rmdir(d)
# TMPDIR points into scratch, so the harness's tempfile calls work.
t = tempfile.mkdtemp()
with tempfile.TemporaryFile() as f:
    f.write(b"x")
print(t.startswith(sys.argv[1]))
with open(os.devnull, "w") as f:
    f.write("discarded")
print("ok")
"#;
    let out = python(
        &policy(scratch.path(), false),
        code,
        &[path(scratch.path())],
    );
    assert_eq!(out, "he\nTrue\nok\n");
}

#[test]
fn writes_outside_scratch_are_denied() {
    if !enforced() {
        return;
    }
    let scratch = TempDir::new().unwrap();
    let outside = TempDir::new().unwrap();
    let existing = outside.path().join("existing.txt");
    std::fs::write(&existing, "keep me").unwrap();
    let code = r#"
import os, subprocess, sys
out, existing = sys.argv[1], sys.argv[2]
attempts = [
    ("create", lambda: open(os.path.join(out, "new.txt"), "w")),
    ("append", lambda: open(existing, "a")),
    ("truncate", lambda: os.truncate(existing, 0)),
    ("remove", lambda: os.remove(existing)),
    ("mkdir", lambda: os.mkdir(os.path.join(out, "d"))),
    ("rename", lambda: os.rename(existing, os.path.join(out, "moved.txt"))),
]
for name, attempt in attempts:
    try:
        attempt()
        print(name, "allowed")
    except PermissionError:
        print(name, "denied")
# A child process (here a shell) inherits the sandbox.
r = subprocess.run(["sh", "-c", 'echo x > "$0/by-shell.txt"', out], capture_output=True)
print("shell", "denied" if r.returncode else "allowed")
"#;
    let out = python(
        &policy(scratch.path(), false),
        code,
        &[path(outside.path()), path(&existing)],
    );
    assert_eq!(
        out,
        "create denied\nappend denied\ntruncate denied\nremove denied\n\
         mkdir denied\nrename denied\nshell denied\n"
    );
    let mut left: Vec<_> = std::fs::read_dir(outside.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    left.sort();
    assert_eq!(left, ["existing.txt"]);
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep me");
}

#[test]
fn reading_and_importing_work() {
    if !enforced() {
        return;
    }
    let scratch = TempDir::new().unwrap();
    let code = r#"
import json, sqlite3, decimal, subprocess
print(open("/etc/hostname").read() == open("/etc/hostname").read())
print(json.dumps([sqlite3.sqlite_version_info >= (3,), str(decimal.Decimal("1.5"))]))
print(subprocess.run(["true"]).returncode)
"#;
    let out = python(&policy(scratch.path(), false), code, &[]);
    assert_eq!(out, "True\n[true, \"1.5\"]\n0\n");
}

const CONNECT: &str = r#"
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5).close()
    print("connect allowed")
except PermissionError:
    print("connect denied")
try:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print("bind allowed")
except PermissionError:
    print("bind denied")
"#;

#[test]
fn tcp_is_blocked_without_network() {
    if !enforced() {
        return;
    }
    let scratch = TempDir::new().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let out = python(&policy(scratch.path(), false), CONNECT, &[&port]);
    assert_eq!(out, "connect denied\nbind denied\n");
}

#[test]
fn tcp_works_with_network_allowed() {
    if !enforced() {
        return;
    }
    let scratch = TempDir::new().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let out = python(&policy(scratch.path(), true), CONNECT, &[&port]);
    assert_eq!(out, "connect allowed\nbind allowed\n");
}

/// Chosen behaviour: SIGXFSZ is ignored, so a write past the limit fails with EFBIG
/// and the file stops at the limit; the process is not killed.
#[test]
fn writes_past_the_file_size_limit_fail_with_efbig() {
    let scratch = TempDir::new().unwrap();
    let code = r#"
import errno, os, sys
p = os.path.join(sys.argv[1], "big")
try:
    with open(p, "wb") as f:
        f.write(b"x" * (int(sys.argv[2]) + 1))
    print("allowed")
except OSError as e:
    print(errno.errorcode[e.errno])
print(os.path.getsize(p))
"#;
    let limit = LIMIT.to_string();
    let out = python(
        &policy(scratch.path(), false),
        code,
        &[path(scratch.path()), &limit],
    );
    assert_eq!(out, format!("EFBIG\n{LIMIT}\n"));

    // Not only CPython (which ignores SIGXFSZ itself): a shell's `head` is not killed.
    let file = scratch.path().join("by-shell");
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(r#"head -c 200000 /dev/zero > "$0"; echo "status $?""#)
        .arg(&file);
    apply_on_spawn(&mut cmd, &policy(scratch.path(), false));
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "status 1\n");
    assert_eq!(std::fs::metadata(&file).unwrap().len(), LIMIT);
}

#[test]
fn signals_reach_only_the_sandbox() {
    if !enforced() {
        return;
    }
    let scratch = TempDir::new().unwrap();
    let mut outsider = Command::new("sleep").arg("30").spawn().unwrap();
    let code = r#"
import os, signal, subprocess, sys
try:
    os.kill(int(sys.argv[1]), signal.SIGTERM)
    print("outside allowed")
except PermissionError:
    print("outside denied")
child = subprocess.Popen(["sleep", "30"])
child.terminate()
print("own child", child.wait())
"#;
    let pid = outsider.id().to_string();
    let out = python(&policy(scratch.path(), false), code, &[&pid]);
    assert_eq!(out, "outside denied\nown child -15\n");
    assert!(
        outsider.try_wait().unwrap().is_none(),
        "the outsider was killed"
    );
    outsider.kill().unwrap();
    outsider.wait().unwrap();
}

#[test]
fn a_missing_scratch_directory_fails_the_spawn() {
    if !enforced() {
        return;
    }
    let scratch = TempDir::new().unwrap();
    let missing = scratch.path().join("missing");
    let mut cmd = Command::new("python3");
    cmd.arg("-c").arg("pass");
    apply_on_spawn(&mut cmd, &policy(&missing, false));
    let err = cmd.spawn().expect_err("spawns unconfined");
    assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
}

#[test]
fn status_describes_this_kernel() {
    let scratch = TempDir::new().unwrap();
    let blocked = status(&policy(scratch.path(), false)).to_string();
    let allowed = status(&policy(scratch.path(), true)).to_string();
    eprintln!("{blocked}");
    assert!(blocked.ends_with("; file size: 64 KiB"), "{blocked}");
    assert!(allowed.contains("network: allowed;"), "{allowed}");
    if enforced() {
        assert_eq!(
            blocked,
            "filesystem: writes only in the question's directory; network: TCP blocked; \
             signals: only to its own processes; file size: 64 KiB"
        );
    }
}
