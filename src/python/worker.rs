//! Worker processes: each serves one question at a time, running it in a forked child
//! (see DESIGN.md). A worker is this binary's embedded interpreter (`snipcheck
//! __worker`) or another CPython given with `--python`; both speak the same protocol,
//! one JSON line per question each way.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::messages;

/// Which interpreter runs the examples.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Embedded,
    External(PathBuf),
}

/// The interpreter that ran the examples, for the report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PythonInfo {
    pub implementation: String,
    pub version: String,
    #[serde(default)]
    pub executable: String,
    #[serde(default)]
    pub mode: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionRequest {
    pub id: usize,
    pub file: String,
    pub timeout: f64,
    pub output_cap: usize,
    pub memory: u64,
    pub examples: Vec<ExampleRequest>,
    /// Examples of earlier questions run first, quietly, in the same namespace: the
    /// question uses names they bind.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub setup: Vec<ExampleRequest>,
    /// The seed of `random` in the question's process.
    pub seed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExampleRequest {
    pub line: usize,
    pub code: String,
    pub expect_raise: Vec<usize>,
    /// For a REPL session: the lines where a prompt starts a statement.
    pub prompts: Vec<usize>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Statement {
    pub line: usize,
    pub end: usize,
    pub compound: bool,
}

/// What one top-level statement did.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Observation {
    pub line: usize,
    pub value: Option<String>,
    /// `str()` of the value, when it differs from its repr.
    pub value_str: Option<String>,
    /// The expression's value was None.
    #[serde(default)]
    pub none: bool,
    pub state: Option<String>,
    pub raised: Option<Raised>,
    /// All output written while the statement ran.
    #[serde(default)]
    pub stream: String,
    /// An exception nobody claimed, raised by this statement (the example went on).
    #[serde(default)]
    pub error: Option<RunError>,
    /// The statement failed only because the earlier statement on this line failed: a
    /// name it would have bound is missing.
    #[serde(default)]
    pub blocked_by: Option<usize>,
}

/// What a statement raised, as the harness saw it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Raised {
    #[serde(rename = "type")]
    pub type_name: String,
    pub message: String,
    #[serde(default)]
    pub mro: Vec<String>,
}

impl Raised {
    pub fn display(&self) -> String {
        if self.message.is_empty() {
            self.type_name.clone()
        } else {
            format!("{}: {}", self.type_name, self.message)
        }
    }
}

/// Why an example stopped: a Python exception, `Timeout`, `Crash`, `NotRun`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunError {
    #[serde(rename = "type")]
    pub type_name: String,
    #[serde(default)]
    pub message: String,
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traceback: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExampleRun {
    pub statements: Option<Vec<Statement>>,
    #[serde(default)]
    pub observed: Vec<Observation>,
    /// The example's error: the first exception nobody claimed, or what ended it.
    pub error: Option<RunError>,
    /// The first guide line that did not run because the example ended there (a parse
    /// error, a timeout, a crash, `SystemExit`); `None` when it ran to its end.
    #[serde(default)]
    pub stopped: Option<usize>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct QuestionRun {
    #[serde(default)]
    pub examples: Vec<ExampleRun>,
    /// Output attributed to each line (JSON object keys are strings).
    #[serde(default)]
    pub lines: HashMap<String, String>,
    /// The output cap cut some of it.
    #[serde(default)]
    pub cut: bool,
    #[serde(default)]
    pub worker_error: Option<String>,
}

impl QuestionRun {
    pub fn line_output(&self) -> HashMap<usize, String> {
        self.lines
            .iter()
            .filter_map(|(k, v)| Some((k.parse().ok()?, v.clone())))
            .collect()
    }

    /// A run that never happened because the worker itself failed.
    fn failed(req: &QuestionRequest, message: String) -> QuestionRun {
        let mut examples: Vec<ExampleRun> =
            req.examples.iter().map(|_| ExampleRun::default()).collect();
        if let (Some(first), Some(ex)) = (examples.first_mut(), req.examples.first()) {
            first.error = Some(RunError {
                type_name: "Crash".into(),
                message,
                line: Some(ex.line),
                traceback: None,
                signal: None,
                exit_code: None,
            });
        }
        for ex in &mut examples {
            ex.stopped = Some(0);
        }
        QuestionRun {
            examples,
            ..Default::default()
        }
    }
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    info: PythonInfo,
}

impl Worker {
    fn spawn(mode: &Mode, hash_seed: u32) -> Result<Worker> {
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
        cmd.env("PYTHONHASHSEED", hash_seed.to_string())
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env_remove("PYTHONSTARTUP")
            .env_remove("PYTHONINSPECT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let what = match mode {
            Mode::Embedded => "the embedded Python worker".to_string(),
            Mode::External(p) => p.display().to_string(),
        };
        let mut child = cmd
            .spawn()
            .map_err(|e| anyhow!(messages::python_start(&what, &e.to_string())))?;
        let stdin = child.stdin.take().expect("piped stdin");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut hello = String::new();
        stdout.read_line(&mut hello).ok();
        #[derive(Deserialize)]
        struct Hello {
            python: PythonInfo,
        }
        let Ok(Hello { python: mut info }) = serde_json::from_str::<Hello>(&hello) else {
            let _ = child.kill();
            let _ = child.wait();
            bail!(messages::python_start(
                &what,
                "it did not answer as a snipcheck worker (is it CPython 3.9 or newer?)"
            ));
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
            let _ = child.kill();
            let _ = child.wait();
            bail!(messages::python_too_old(&what, &info.version));
        }
        Ok(Worker {
            child,
            stdin,
            stdout,
            info,
        })
    }

    fn ask(&mut self, req: &QuestionRequest) -> Result<QuestionRun> {
        let mut line = serde_json::to_string(req)?;
        line.push('\n');
        self.stdin.write_all(line.as_bytes())?;
        self.stdin.flush()?;
        let mut answer = String::new();
        if self.stdout.read_line(&mut answer)? == 0 {
            bail!("the worker process ended");
        }
        let run: QuestionRun =
            serde_json::from_str(&answer).context("unreadable answer from the worker")?;
        if let Some(e) = &run.worker_error {
            bail!("the worker failed: {e}");
        }
        Ok(run)
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the interpreter once, to learn what it is and fail early when it cannot run.
pub fn probe(mode: &Mode) -> Result<PythonInfo> {
    Ok(Worker::spawn(mode, 0)?.info.clone())
}

/// Runs every question on `jobs` workers whose processes have this hash seed; answers
/// come back in request order.
pub fn run_all(
    mode: &Mode,
    jobs: usize,
    hash_seed: u32,
    requests: &[QuestionRequest],
) -> Result<(PythonInfo, Vec<QuestionRun>)> {
    let first = Worker::spawn(mode, hash_seed)?;
    let info = first.info.clone();
    let jobs = jobs.clamp(1, requests.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<QuestionRun>>> = Mutex::new(vec![None; requests.len()]);
    let first = Mutex::new(Some(first));
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                let mut worker: Option<Worker> = first.lock().unwrap().take();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(req) = requests.get(i) else { break };
                    if worker.is_none() {
                        worker = Worker::spawn(mode, hash_seed).ok();
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
                    results.lock().unwrap()[i] = Some(run);
                }
            });
        }
    });
    let runs = results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|r| r.unwrap_or_default())
        .collect();
    Ok((info, runs))
}
