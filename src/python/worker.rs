//! Worker processes: each serves one question at a time, running it in a forked child
//! (see DESIGN.md). A worker is this binary's embedded interpreter (`snipcheck
//! __worker`) or another CPython given with `--python`; both speak the same protocol,
//! one JSON line per question each way.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};

use super::pool::{fork_ahead, put_back, take_or_spawn};
pub use super::protocol::{
    ExampleRequest, ExampleRun, Observation, PythonInfo, QuestionRequest, QuestionRun, Raised,
    RunError, Statement,
};
use super::{protocol, sandbox};
use crate::messages;

/// Which interpreter runs the examples.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Embedded,
    External(PathBuf),
}

/// What confines the workers of a run (DESIGN.md, "What is contained").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guard {
    /// Examples may connect and bind TCP sockets (`--allow-network`).
    pub allow_network: bool,
    /// The largest file a question may write, in bytes.
    pub max_file_size: u64,
}

impl Guard {
    pub fn new(allow_network: bool, output_cap: usize) -> Guard {
        // the capture file holds a question's output: leave it room beyond the cap
        let max_file_size = (64u64 << 20).max(8 * output_cap as u64);
        Guard {
            allow_network,
            max_file_size,
        }
    }

    fn policy(&self, scratch: &std::path::Path) -> sandbox::Policy {
        sandbox::Policy {
            scratch: scratch.to_path_buf(),
            allow_network: self.allow_network,
            max_file_size: self.max_file_size,
        }
    }

    /// The protections in force on this machine, for the report's header.
    pub fn describe(&self) -> String {
        sandbox::status(&self.policy(&std::env::temp_dir())).to_string()
    }
}

/// What a worker was started as (mode, hash seed, guard, forks ahead): a worker serves
/// only runs that would start the same.
pub(super) type Kind = (Mode, u32, Guard, bool);

/// A worker process, the thread that reads its answers, and its scratch directory.
pub(super) struct Worker {
    started_as: Kind,
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<String>,
    info: PythonInfo,
    /// TMPDIR of the worker: every question's directory is made in it, and it is
    /// removed with the worker whatever happened to the worker.
    _scratch: tempfile::TempDir,
}

/// How long a new worker may take to say hello.
const START_SECONDS: u64 = 60;

impl Worker {
    /// `ahead`: the worker may fork each question's process while the question
    /// before runs (when a core is free for it; see the harness's `_FORK_AHEAD`).
    pub(super) fn spawn(mode: &Mode, hash_seed: u32, guard: &Guard, ahead: bool) -> Result<Worker> {
        let mut cmd = match mode {
            Mode::Embedded => {
                let mut c = Command::new(
                    std::env::current_exe().context("cannot find snipcheck's own binary")?,
                );
                c.arg("__worker");
                c
            }
            Mode::External(python) => {
                let mut c = Command::new(python);
                c.args(["-c", super::HARNESS, "--worker"]);
                c
            }
        };
        let scratch = tempfile::Builder::new()
            .prefix("snipcheck-worker-")
            .tempdir()
            .context("cannot create a scratch directory for a worker")?;
        sandbox::apply_on_spawn(&mut cmd, &guard.policy(scratch.path()));
        cmd.env("PYTHONHASHSEED", hash_seed.to_string())
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("TMPDIR", scratch.path())
            .env("SNIPCHECK_FORK_AHEAD", if ahead { "1" } else { "0" })
            .env_remove("PYTHONSTARTUP")
            .env_remove("PYTHONINSPECT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let what = match mode {
            Mode::Embedded => "the embedded Python worker".to_string(),
            Mode::External(p) => p.display().to_string(),
        };
        let mut child = super::pool::spawn_process(cmd)
            .map_err(|e| anyhow!(messages::python_start(&what, &e.to_string())))?;
        let stdin = child.stdin.take().expect("piped stdin");
        let answers = read_lines(child.stdout.take().expect("piped stdout"));
        let hello = answers
            .recv_timeout(Duration::from_secs(START_SECONDS))
            .unwrap_or_default();
        let discard = |child: &mut Child| {
            let _ = child.kill();
            let _ = child.wait();
            super::containment::forget_worker(child.id());
        };
        let refuse = |child: &mut Child, why: String| {
            discard(child);
            anyhow!(messages::python_start(&what, &why))
        };
        let mut info = match serde_json::from_str::<protocol::Hello>(&hello) {
            Ok(h) if h.protocol == protocol::VERSION => h.python,
            Ok(h) => {
                return Err(refuse(
                    &mut child,
                    format!(
                        "it speaks protocol {} and this snipcheck {}",
                        h.protocol,
                        protocol::VERSION
                    ),
                ))
            }
            Err(_) => {
                return Err(refuse(
                    &mut child,
                    "it did not answer as a snipcheck worker (is it CPython 3.9 or newer?)".into(),
                ))
            }
        };
        info.mode = match mode {
            Mode::Embedded => "embedded".into(),
            Mode::External(_) => "external".into(),
        };
        let minor: Option<(u32, u32)> = {
            let mut it = info.version.split('.').map(|p| p.parse::<u32>().ok());
            it.next().flatten().zip(it.next().flatten())
        };
        if matches!(minor, Some(v) if v < (3, 9)) {
            discard(&mut child);
            bail!(messages::python_too_old(&what, &info.version));
        }
        Ok(Worker {
            started_as: (mode.clone(), hash_seed, *guard, ahead),
            child,
            stdin,
            answers,
            info,
            _scratch: scratch,
        })
    }

    pub(super) fn fits(&self, kind: &Kind) -> bool {
        self.started_as == *kind
    }

    /// Sends one question and waits, with a deadline, for its answer.
    fn ask(&mut self, req: &QuestionRequest) -> Result<QuestionRun> {
        let mut line = serde_json::to_string(req)?;
        line.push('\n');
        self.stdin.write_all(line.as_bytes())?;
        self.stdin.flush()?;
        let begin = Duration::from_secs_f64(protocol::START_SECONDS);
        protocol::check_started(&self.next_line(begin, "begin the question")?, req)?;
        let wait = Duration::from_secs_f64(req.timeout + protocol::MARGIN_SECONDS);
        protocol::check(&self.next_line(wait, "answer")?, req)
    }

    /// The worker's next line, within `wait`.
    fn next_line(&mut self, wait: Duration, what: &str) -> Result<String> {
        match self.answers.recv_timeout(wait) {
            Ok(line) => Ok(line),
            Err(RecvTimeoutError::Timeout) => bail!(
                "the worker did not {what} within {} s (stopped or stuck); it was replaced",
                seconds(wait)
            ),
            Err(RecvTimeoutError::Disconnected) => bail!("the worker process ended"),
        }
    }
}

/// `4`, `3.5`: a deadline as the user gave its timeout.
fn seconds(wait: Duration) -> String {
    format!("{}", (wait.as_secs_f64() * 10.0).round() / 10.0)
}

/// The worker's output, line by line, on a channel: a read that never returns (a
/// stopped worker) blocks only this thread, and the caller waits with a deadline.
fn read_lines(stdout: ChildStdout) -> Receiver<String> {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if send.send(line).is_err() {
                        break;
                    }
                }
            }
        }
    });
    receive
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        super::containment::forget_worker(self.child.id());
        // what the worker's questions left behind, if it died before it could sweep
        super::containment::sweep_orphans();
    }
}

/// Starts the interpreter once, to learn what it is and fail early when it cannot run.
/// The worker is of the kind a run of `jobs` takes, and stays, idle, for it.
pub fn probe(mode: &Mode, jobs: usize, guard: &Guard) -> Result<PythonInfo> {
    let worker = take_or_spawn(mode, 0, guard, fork_ahead(jobs.max(1)))?;
    let info = worker.info.clone();
    put_back(worker);
    Ok(info)
}

/// What a run of questions tells its caller as it goes, from the threads that drive
/// the workers.
pub enum Answer {
    /// The first worker said hello: the interpreter the questions run in.
    Ready(PythonInfo),
    /// The answer to the request at this index.
    Done(usize, QuestionRun),
}

/// An answer known without running the question (the run cache), given the
/// interpreter that would run it; `None` runs it.
pub type Known<'a> = &'a (dyn Fn(&PythonInfo, &QuestionRequest) -> Option<QuestionRun> + Sync);

/// Nothing is known beforehand: every question runs.
pub fn nothing_known(_: &PythonInfo, _: &QuestionRequest) -> Option<QuestionRun> {
    None
}

/// Runs every question on `jobs` workers whose processes have this hash seed; answers
/// come back in request order.
pub fn run_all(
    mode: &Mode,
    jobs: usize,
    hash_seed: u32,
    guard: &Guard,
    requests: &[QuestionRequest],
    known: Known,
) -> Result<(PythonInfo, Vec<QuestionRun>)> {
    let collected: Mutex<(Option<PythonInfo>, Vec<QuestionRun>)> =
        Mutex::new((None, vec![QuestionRun::default(); requests.len()]));
    let never = AtomicBool::new(false);
    run_streaming(
        mode,
        jobs,
        hash_seed,
        guard,
        requests,
        &never,
        known,
        &|answer| {
            let mut c = collected.lock().unwrap();
            match answer {
                Answer::Ready(info) => c.0 = Some(info),
                Answer::Done(i, run) => c.1[i] = run,
            }
        },
    )?;
    let (info, runs) = collected.into_inner().unwrap();
    Ok((
        info.expect("run_streaming says Ready before it returns Ok"),
        runs,
    ))
}

/// Runs the questions on `jobs` workers, telling `on` each answer as it comes, in
/// whatever order they finish; an answer `known` gives is told without running the
/// question. Once `stop` is set no further question starts; the ones under way
/// finish. Returns how many questions started: the first that many requests, since
/// they start in order.
#[allow(clippy::too_many_arguments)]
pub fn run_streaming(
    mode: &Mode,
    jobs: usize,
    hash_seed: u32,
    guard: &Guard,
    requests: &[QuestionRequest],
    stop: &AtomicBool,
    known: Known,
    on: &(dyn Fn(Answer) + Sync),
) -> Result<usize> {
    // from the jobs asked for, not the questions there are: a follow-up of one
    // question reuses the run's workers
    let ahead = fork_ahead(jobs.max(1));
    let jobs = jobs.clamp(1, requests.len().max(1));
    let first = take_or_spawn(mode, hash_seed, guard, ahead)?;
    let info = first.info.clone();
    on(Answer::Ready(first.info.clone()));
    // idle until a question needs it, whichever thread takes that question: a thread
    // answering from the cache holds no worker that another would start again
    put_back(first);
    let next = AtomicUsize::new(0);
    let turn = Mutex::new(());
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                let mut worker: Option<Worker> = None;
                loop {
                    // the stop check and the claim of an index are one step, so that
                    // the questions started are always the first ones
                    let i = {
                        let _turn = turn.lock().unwrap();
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        next.fetch_add(1, Ordering::SeqCst)
                    };
                    let Some(req) = requests.get(i) else { break };
                    if let Some(mut run) = known(&info, req) {
                        run.cached = true;
                        if let Some(idle) = worker.take() {
                            put_back(idle);
                        }
                        on(Answer::Done(i, run));
                        continue;
                    }
                    if worker.is_none() {
                        worker = take_or_spawn(mode, hash_seed, guard, ahead).ok();
                    }
                    let run = match worker.as_mut().map(|w| w.ask(req)) {
                        Some(Ok(run)) => run,
                        Some(Err(e)) => {
                            worker = None; // replaced before the next question
                            QuestionRun::failed(req, e.to_string())
                        }
                        None => {
                            QuestionRun::failed(req, "no worker process could be started".into())
                        }
                    };
                    on(Answer::Done(i, run));
                }
                if let Some(worker) = worker {
                    put_back(worker);
                }
            });
        }
    });
    Ok(next.load(Ordering::SeqCst).min(requests.len()))
}
