//! A filesystem and network sandbox for worker processes, with Linux Landlock.
//!
//! A guide's examples are arbitrary code. The fork per question (DESIGN.md) keeps one
//! question from harming another, but not from harming the machine: an example could
//! still overwrite files in the user's home or talk to the network. [`apply_on_spawn`]
//! confines a worker, and so every child it forks (a Landlock domain is inherited across
//! `fork` and `exec` and can never be lifted), to:
//!
//! * writing only beneath [`Policy::scratch`] (plus `/dev/null` and the fds it already
//!   holds, such as its pipes: Landlock only checks opening by path). Reading and
//!   executing stay allowed everywhere, since imports need them;
//! * no TCP `connect`/`bind` unless [`Policy::allow_network`] (UDP and Unix sockets by
//!   path are not covered by Landlock on Linux 6.18; abstract Unix sockets are);
//! * sending signals only to processes in its own sandbox (e.g. `os.kill(-1, 9)` cannot
//!   reach the user's other processes);
//! * no file larger than [`Policy::max_file_size`] (`RLIMIT_FSIZE`).
//!
//! All of it is best effort: on a kernel without (some of) Landlock the process still
//! runs, without those protections, and [`status`] says what is in force.

use std::error::Error;
use std::fmt;
use std::io;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;

use landlock::{
    Access, AccessFs, AccessNet, CompatLevel, Compatible, PathBeneath, PathFd, Ruleset,
    RulesetAttr, RulesetCreated, RulesetCreatedAttr, RulesetError, Scope, ABI,
};

/// The newest Landlock ABI whose rights this module asks for and was tested with
/// (Linux 6.12). Newer rights are left alone on purpose: the crate asks us to pin a
/// vetted ABI rather than "everything the kernel knows", which could break Python.
const TESTED_ABI: ABI = ABI::V6;

/// What a sandboxed worker may do.
#[derive(Clone, Debug)]
pub struct Policy {
    /// The only directory the process may write beneath. It must exist. `TMPDIR` is set
    /// to it, so that `tempfile` (the harness's per-question directories and capture
    /// files) lands there.
    pub scratch: PathBuf,
    /// Whether TCP `connect` and `bind` are allowed.
    pub allow_network: bool,
    /// The largest file the process may write, in bytes (`u64::MAX`: no limit).
    pub max_file_size: u64,
}

/// Sets up `cmd` so that its process is sandboxed by `policy` from before `exec` on.
///
/// The Landlock ruleset is built here, in the parent; the `pre_exec` closure (which runs
/// between `fork` and `exec`, where only async-signal-safe work is sound) only dups its
/// fd and makes the syscalls `setrlimit`, `signal`, `prctl(NO_NEW_PRIVS)` and
/// `landlock_restrict_self`, none of which allocate.
///
/// Writes past `max_file_size` fail with `EFBIG` ("File too large", an `OSError` in
/// Python): `SIGXFSZ` is set to ignored before `exec` (as CPython itself does when it
/// installs its signal handlers; the embedded interpreter does not, so without this it
/// would be killed by the signal). A program that resets `SIGXFSZ` to its default is
/// killed by it instead; either way the file stays within the limit.
///
/// If the kernel lacks Landlock the process runs unconfined (only the file-size limit
/// applies). If the ruleset cannot be built (`scratch` missing, or an unexpected
/// kernel error) `cmd.spawn()` fails with that errno rather than run unconfined.
pub fn apply_on_spawn(cmd: &mut Command, policy: &Policy) {
    cmd.env("TMPDIR", &policy.scratch);
    let ruleset = ruleset(policy);
    let limit = file_size_limit(policy.max_file_size);
    let body = move || -> io::Result<()> {
        let ruleset = match &ruleset {
            Ok(ruleset) => ruleset.try_clone()?,
            Err(errno) => return Err(io::Error::from_raw_os_error(*errno)),
        };
        // SAFETY: plain syscalls on a valid struct; no allocation, no locks.
        unsafe {
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        }
        ruleset
            .restrict_self()
            .map(drop)
            .map_err(|e| io::Error::from_raw_os_error(errno(&e)))
    };
    // SAFETY: the closure only makes async-signal-safe syscalls (see above); its captures
    // are an fd-owning ruleset and plain data, built before the fork.
    unsafe {
        cmd.pre_exec(body);
    }
}

/// Builds the ruleset in the parent: handled rights are denied unless a rule allows them.
fn ruleset(policy: &Policy) -> Result<RulesetCreated, i32> {
    let fs = AccessFs::from_all(TESTED_ABI);
    let mut ruleset = Ruleset::default()
        .handle_access(fs)
        .map_err(|e| errno(&e))?
        // Only processes of the same sandbox: the worker and its question children.
        .scope(Scope::Signal)
        .map_err(|e| errno(&e))?;
    if !policy.allow_network {
        ruleset = ruleset
            .handle_access(AccessNet::from_all(TESTED_ABI))
            .and_then(|r| r.scope(Scope::AbstractUnixSocket))
            .map_err(|e| errno(&e))?;
    }
    let mut rules = vec![
        ("/".into(), AccessFs::from_read(TESTED_ABI)),
        (policy.scratch.clone(), fs),
        ("/dev/null".into(), AccessFs::from_file(TESTED_ABI)),
    ];
    // POSIX semaphores and shared memory (multiprocessing's locks, queues and pools)
    // live in /dev/shm: a guide about multiprocessing must be able to run. Names there
    // are random and unlinked at once; this is the one place outside the scratch
    // directory a question can write (DESIGN.md says so).
    let shm = PathBuf::from("/dev/shm");
    if shm.is_dir() {
        rules.push((shm, fs));
    }
    let mut created = ruleset.create().map_err(|e| errno(&e))?;
    for (path, access) in rules {
        let fd = PathFd::new::<PathBuf>(path).map_err(|e| errno(&e))?;
        created = created
            .add_rule(PathBeneath::new(fd, access))
            .map_err(|e| errno(&e))?;
    }
    Ok(created)
}

/// `RLIMIT_FSIZE` for `max_file_size`, never above the current hard limit (which an
/// unprivileged process could not raise, so `setrlimit` would fail).
fn file_size_limit(max_file_size: u64) -> libc::rlimit {
    let mut current = libc::rlimit {
        rlim_cur: libc::RLIM_INFINITY,
        rlim_max: libc::RLIM_INFINITY,
    };
    // SAFETY: getrlimit fills the struct we pass.
    unsafe { libc::getrlimit(libc::RLIMIT_FSIZE, &mut current) };
    let value = (max_file_size as libc::rlim_t).min(current.rlim_max);
    libc::rlimit {
        rlim_cur: value,
        rlim_max: value,
    }
}

/// The errno behind a Landlock error (EPERM when it carries none). Walking the source
/// chain does not allocate, so this is usable between fork and exec.
fn errno(error: &(dyn Error + 'static)) -> i32 {
    let mut current = Some(error);
    while let Some(e) = current {
        if let Some(code) = e
            .downcast_ref::<io::Error>()
            .and_then(io::Error::raw_os_error)
        {
            return code;
        }
        current = e.source();
    }
    libc::EPERM
}

/// Which protections [`apply_on_spawn`] puts in force on this kernel, for the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Protections {
    /// Writes are confined to the scratch directory (Landlock ABI 1, Linux 5.13).
    pub filesystem: bool,
    /// `truncate(2)` is confined too (ABI 3, Linux 6.2); before that it is not checked.
    pub truncate: bool,
    /// TCP is blocked: the policy forbids it and the kernel can (ABI 4, Linux 6.7).
    pub network_blocked: bool,
    /// The policy allows the network.
    pub network_allowed: bool,
    /// Signals only reach the sandbox's own processes (ABI 6, Linux 6.12).
    pub signals: bool,
    /// `RLIMIT_FSIZE`, in bytes (`u64::MAX`: none).
    pub max_file_size: u64,
}

/// Probes what the running kernel supports, without restricting this process: asking
/// the crate for a feature as a hard requirement makes it fail to build a ruleset (it
/// never restricts anyone) when the kernel lacks it.
pub fn status(policy: &Policy) -> Protections {
    let supports = |build: fn(Ruleset) -> Result<Ruleset, RulesetError>| {
        build(Ruleset::default().set_compatibility(CompatLevel::HardRequirement))
            .and_then(Ruleset::create)
            .is_ok()
    };
    let limit = file_size_limit(policy.max_file_size).rlim_cur;
    Protections {
        filesystem: supports(|r| r.handle_access(AccessFs::from_all(ABI::V1))),
        truncate: supports(|r| r.handle_access(AccessFs::Truncate)),
        network_blocked: !policy.allow_network
            && supports(|r| r.handle_access(AccessNet::from_all(ABI::V4))),
        network_allowed: policy.allow_network,
        signals: supports(|r| r.scope(Scope::Signal)),
        max_file_size: limit,
    }
}

impl fmt::Display for Protections {
    /// E.g. "filesystem: writes only in the question's directory; network: TCP blocked;
    /// signals: only to its own processes; file size: 64 MiB".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let filesystem = match (self.filesystem, self.truncate) {
            (true, true) => "writes only in the question's directory",
            (true, false) => "writes only in the question's directory (except truncate)",
            (false, _) => "not restricted (Landlock unavailable)",
        };
        let network = match (self.network_allowed, self.network_blocked) {
            (true, _) => "allowed",
            (false, true) => "TCP blocked",
            (false, false) => "not restricted (needs Landlock ABI 4, Linux 6.7)",
        };
        let signals = match self.signals {
            true => "only to its own processes",
            false => "not restricted",
        };
        write!(
            f,
            "filesystem: {filesystem}; network: {network}; signals: {signals}; "
        )?;
        match self.max_file_size {
            u64::MAX => write!(f, "file size: unlimited"),
            n => write!(f, "file size: {}", size(n)),
        }
    }
}

/// `n` bytes in the largest binary unit that divides it.
fn size(n: u64) -> String {
    for (unit, name) in [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")] {
        if n >= unit && n % unit == 0 {
            return format!("{} {name}", n / unit);
        }
    }
    format!("{n} bytes")
}
