//! No process outlives its question, even when the worker that ran it dies.
//!
//! Inside a worker, the harness is a child subreaper and sweeps what each question
//! left (see `_sweep_descendants` in harness.py). But a worker that is killed (stopped,
//! stuck, crashed) cannot sweep: its questions' orphans would be handed to init. So
//! snipcheck itself is a child subreaper too: they come back to it, and after a worker
//! is replaced it kills and reaps every child that is not a live worker.

use std::collections::HashSet;
use std::process::{Child, Command};
use std::sync::Mutex;

/// The live workers: the only children snipcheck means to have.
static WORKERS: Mutex<Option<HashSet<u32>>> = Mutex::new(None);

/// Makes this process the one orphans of its descendants are handed to (Linux).
pub fn adopt_orphans() {
    // SAFETY: prctl with integer arguments only changes this process's own setting.
    unsafe {
        libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }
}

/// Starts a worker, registered as live before any sweep can see it.
pub fn spawn_worker(cmd: &mut Command) -> std::io::Result<Child> {
    let mut workers = WORKERS.lock().unwrap_or_else(|e| e.into_inner());
    let child = cmd.spawn()?;
    workers.get_or_insert_with(HashSet::new).insert(child.id());
    Ok(child)
}

/// A worker has ended: it is no longer a child to keep.
pub fn forget_worker(pid: u32) {
    let mut workers = WORKERS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(set) = workers.as_mut() {
        set.remove(&pid);
    }
}

/// Kills and reaps every child of this process that is not a live worker: orphans
/// of questions whose worker died. Killing one hands its own children to us, hence
/// the rounds.
pub fn sweep_orphans() {
    let workers = WORKERS.lock().unwrap_or_else(|e| e.into_inner());
    let live = workers.clone().unwrap_or_default();
    for _ in 0..100 {
        let orphans: Vec<u32> = children()
            .into_iter()
            .filter(|p| !live.contains(p))
            .collect();
        if orphans.is_empty() {
            return;
        }
        for &pid in &orphans {
            // SAFETY: signals and waits on our own children, by pid.
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGKILL);
            }
        }
        for &pid in &orphans {
            let mut status = 0;
            // SAFETY: as above; a SIGKILLed child is reaped at once.
            unsafe {
                libc::waitpid(pid as libc::pid_t, &mut status, 0);
            }
        }
    }
}

/// This process's children, from every thread's `children` file.
fn children() -> Vec<u32> {
    let mut out = vec![];
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return out;
    };
    for task in tasks.flatten() {
        if let Ok(text) = std::fs::read_to_string(task.path().join("children")) {
            out.extend(
                text.split_whitespace()
                    .filter_map(|p| p.parse::<u32>().ok()),
            );
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}
