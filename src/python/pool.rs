//! Workers kept between runs of questions, and started before they are needed.
//!
//! A check has up to three runs of questions (the first questions, follow-ups that
//! need earlier questions' names, re-runs of mismatches that may be chance): a worker
//! that answered its last question is as clean as a new one, since questions run in
//! its children, and reusing it saves an interpreter start. Workers can also be
//! started while snipcheck plans the run ([`start_early`]); a run that needs one
//! waits for those rather than starting more.

use std::process::{Child, Command};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;

use super::worker::{Guard, Kind, Mode, Worker};

#[derive(Default)]
struct Pool {
    idle: Vec<Worker>,
    /// Workers being started by [`start_early`].
    starting: Vec<Kind>,
}

static POOL: Mutex<Pool> = Mutex::new(Pool {
    idle: Vec::new(),
    starting: Vec::new(),
});
/// Told when a worker started early is ready, or failed to start.
static CHANGED: Condvar = Condvar::new();

/// How long a run waits for a worker started early before it starts one itself.
const WAIT_FOR_EARLY: Duration = Duration::from_secs(60);

fn pool() -> std::sync::MutexGuard<'static, Pool> {
    POOL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether `jobs` workers leave a core free to fork questions' processes ahead.
pub(super) fn fork_ahead(jobs: usize) -> bool {
    std::thread::available_parallelism().map_or(1, |n| n.get()) > jobs
}

/// Starts `count` of the workers a run of `jobs` will take, less those already idle
/// (a probe's), in the background, so that their interpreters start while snipcheck
/// reads claims.
pub fn start_early(mode: &Mode, jobs: usize, count: usize, hash_seed: u32, guard: &Guard) {
    let kind: Kind = (mode.clone(), hash_seed, *guard, fork_ahead(jobs.max(1)));
    let idle = pool().idle.iter().filter(|w| w.fits(&kind)).count();
    for _ in idle..count.clamp(1, jobs.max(1)) {
        pool().starting.push(kind.clone());
        let kind = kind.clone();
        std::thread::spawn(move || {
            let started = Worker::spawn(&kind.0, kind.1, &kind.2, kind.3);
            let mut pool = pool();
            if let Some(i) = pool.starting.iter().position(|k| *k == kind) {
                pool.starting.swap_remove(i);
            }
            if let Ok(worker) = started {
                pool.idle.push(worker);
                at_exit_stop_idle();
            }
            CHANGED.notify_all();
        });
    }
}

/// An idle worker of this kind, one started early once it is ready, or a new one.
pub(super) fn take_or_spawn(
    mode: &Mode,
    hash_seed: u32,
    guard: &Guard,
    ahead: bool,
) -> Result<Worker> {
    let kind: Kind = (mode.clone(), hash_seed, *guard, ahead);
    let deadline = Instant::now() + WAIT_FOR_EARLY;
    let mut pool = pool();
    loop {
        if let Some(i) = pool.idle.iter().position(|w| w.fits(&kind)) {
            return Ok(pool.idle.swap_remove(i));
        }
        let now = Instant::now();
        if now >= deadline || !pool.starting.contains(&kind) {
            break;
        }
        pool = CHANGED
            .wait_timeout(pool, deadline - now)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
    drop(pool);
    Worker::spawn(mode, hash_seed, guard, ahead)
}

pub(super) fn put_back(worker: Worker) {
    pool().idle.push(worker);
    at_exit_stop_idle();
    CHANGED.notify_all();
}

fn at_exit_stop_idle() {
    static AT_EXIT: std::sync::Once = std::sync::Once::new();
    AT_EXIT.call_once(|| {
        // SAFETY: registers a plain function with no arguments, called once at exit
        unsafe { libc::atexit(stop_idle_workers) };
    });
}

/// At exit: idle workers are stopped and their scratch directories removed (they
/// would die with snipcheck anyway, but leave their directories behind). Workers
/// still starting are awaited a little, for the same reason.
extern "C" fn stop_idle_workers() {
    let deadline = Instant::now() + Duration::from_secs(5);
    let Ok(mut pool) = POOL.try_lock() else {
        return;
    };
    while !pool.starting.is_empty() && Instant::now() < deadline {
        pool = match CHANGED.wait_timeout(pool, Duration::from_millis(50)) {
            Ok((pool, _)) => pool,
            Err(_) => return,
        };
    }
    pool.idle.clear();
}

type SpawnOrder = (Command, std::sync::mpsc::Sender<std::io::Result<Child>>);

/// Starts a worker's process from a thread that lives as long as snipcheck: a worker
/// dies with the thread that started it (`PR_SET_PDEATHSIG` follows the parent
/// thread), and an idle worker must outlive the run's threads. Only the process is
/// started there; its hello is awaited by the caller, so workers start side by side.
pub(super) fn spawn_process(cmd: Command) -> std::io::Result<Child> {
    static ORDERS: Mutex<Option<std::sync::mpsc::Sender<SpawnOrder>>> = Mutex::new(None);
    let gone = || std::io::Error::other("the thread that starts workers is gone");
    let orders = {
        let mut orders = ORDERS.lock().unwrap_or_else(|e| e.into_inner());
        orders
            .get_or_insert_with(|| {
                let (send, receive) = std::sync::mpsc::channel::<SpawnOrder>();
                std::thread::spawn(move || {
                    for (mut cmd, reply) in receive {
                        let _ = reply.send(super::containment::spawn_worker(&mut cmd));
                    }
                });
                send
            })
            .clone()
    };
    let (reply, child) = std::sync::mpsc::channel();
    orders.send((cmd, reply)).map_err(|_| gone())?;
    child.recv().map_err(|_| gone())?
}
