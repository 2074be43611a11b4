//! The run cache: what a question observed, kept by a key of everything that can change
//! it (docs/cli.md, "The run cache"; DESIGN.md, "Run cache"). Only observations are
//! kept: claims are judged afresh from them on every run, so a changed tolerance or
//! `--strict` needs no run (a changed claim does: it is part of the code).
//!
//! An entry is two lines: a header (`{"base":LINE,"movable":BOOL}`) and the answer as
//! the worker sent it, read back through [`protocol::check`] like any answer.

mod comments;
mod files;
mod key;
mod lines;

use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::messages;
use crate::python::protocol;
use crate::python::worker::{Guard, Mode, PythonInfo, QuestionRequest, QuestionRun};
use key::{Interpreter, RunPart};

pub use comments::GuideComments;
pub use files::directory;

/// Whether a run uses the cache: `--cache`/`--no-cache` (or the config's `cache`) when
/// given, else on unless `CI` is `true`.
pub fn wanted(asked: Option<bool>) -> bool {
    asked.unwrap_or_else(|| {
        !std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
    })
}

/// The cache of one run's sandbox.
pub struct Cache {
    entries: files::Entries,
    shared: key::Shared,
    /// The shared part of the keys for the last interpreter and hash seed asked about.
    run: Mutex<Option<Arc<RunPart>>>,
}

#[derive(Serialize, Deserialize)]
struct Header {
    /// The line the answer's lines were made at: the question's first example line.
    base: usize,
    /// The answer's text names no guide line, so it may be shifted to another base.
    movable: bool,
}

impl Cache {
    /// The cache in the directory [`directory`] names, for questions run under this
    /// guard. `None` when there is no directory to use; said once on standard error
    /// when it cannot be made.
    pub fn open(guard: &Guard, protections: &str) -> Option<Cache> {
        let dir = directory()?;
        match files::Entries::open(&dir) {
            Ok(entries) => Some(Cache {
                entries,
                shared: key::Shared::new(guard, protections),
                run: Mutex::new(None),
            }),
            Err(e) => {
                // once, not once per interpreter of a matrix
                static SAID: std::sync::Once = std::sync::Once::new();
                SAID.call_once(|| {
                    let dir = dir.display().to_string();
                    eprintln!("snipcheck: {}", messages::cache_off(&dir, &e.to_string()));
                });
                None
            }
        }
    }

    fn run_part(&self, info: &PythonInfo, hash_seed: u32) -> Arc<RunPart> {
        let mut last = self.run.lock().unwrap();
        match &*last {
            Some(run) if run.hash_seed == hash_seed && run.interpreter.is(info) => run.clone(),
            _ => {
                let interpreter = Interpreter::of(info);
                let run = Arc::new(RunPart::new(&self.shared, interpreter, hash_seed));
                *last = Some(run.clone());
                run
            }
        }
    }

    /// The answer stored for `req` run by `info` in workers with this hash seed, with
    /// its lines moved to where the question now is; `None` to run it. What `ahead`
    /// read is used when it was read for this interpreter.
    pub fn lookup(
        &self,
        info: &PythonInfo,
        hash_seed: u32,
        req: &QuestionRequest,
        ahead: Option<&Ahead>,
    ) -> Option<QuestionRun> {
        let ahead = ahead.filter(|a| a.run.hash_seed == hash_seed && a.run.interpreter.is(info));
        let run = match ahead {
            Some(a) => a.run.clone(),
            None => self.run_part(info, hash_seed),
        };
        let (key, base) = key::key(&run, req)?;
        if let Some(cell) = ahead.and_then(|a| a.answers.get(req.id)) {
            let (read_for, answer) = cell.get_or_init(|| (key.clone(), self.read(&key, base, req)));
            // read for this very request, not one that has its id
            if *read_for == key {
                return answer.clone();
            }
        }
        self.read(&key, base, req)
    }

    /// The entry `key`, as the answer to `req` whose first line is `base`.
    fn read(&self, key: &str, base: usize, req: &QuestionRequest) -> Option<QuestionRun> {
        let text = self.entries.read(key)?;
        let (header, body) = text.split_once('\n')?;
        let header: Header = serde_json::from_str(header).ok()?;
        if header.base != base && !header.movable {
            return None;
        }
        // stored answers name request 0: checked as the answer to this request
        let mut as_stored = req.clone();
        as_stored.id = 0;
        let mut run = protocol::check(body, &as_stored).ok()?;
        run.id = req.id;
        lines::shift(&mut run, base as i64 - header.base as i64)?;
        Some(run)
    }

    /// Keeps `run`, the answer to `req`, unless it came from the cache or depends on
    /// the machine: a worker's failure, a timeout, a crash, or an example not run
    /// because of one.
    pub fn store(
        &self,
        info: &PythonInfo,
        hash_seed: u32,
        req: &QuestionRequest,
        run: &QuestionRun,
    ) {
        if run.cached || !keepable(run) {
            return;
        }
        let Some((key, base)) = key::key(&self.run_part(info, hash_seed), req) else {
            return;
        };
        let mut stored = run.clone();
        stored.id = 0;
        let Ok(body) = serde_json::to_string(&stored) else {
            return;
        };
        let header = Header {
            base,
            movable: lines::movable(run, &body, &req.file),
        };
        let header = serde_json::to_string(&header).expect("a header serializes");
        let _ = self.entries.write(&key, &format!("{header}\n{body}\n"));
    }

    /// The comments known for the examples of this guide (read through Python only
    /// where they are not).
    pub fn comments(&self, guide: &str) -> GuideComments {
        GuideComments::open(self.entries.clone(), guide)
    }

    /// A place for reading the answers to `count` requests ahead, while the workers
    /// start: their keys need the interpreter's hello, so they are read for the
    /// interpreter this mode had last time (if it is another, nothing read is used).
    pub fn ahead(&self, mode: &Mode, hash_seed: u32, count: usize) -> Option<Ahead> {
        let text = self.entries.read(&interpreter_key(mode))?;
        let interpreter: Interpreter = serde_json::from_str(&text).ok()?;
        Some(Ahead {
            run: Arc::new(RunPart::new(&self.shared, interpreter, hash_seed)),
            answers: (0..count).map(|_| OnceLock::new()).collect(),
        })
    }

    /// Remembers the interpreter of this mode for the next run's [`Cache::ahead`].
    pub fn remember(&self, mode: &Mode, info: &PythonInfo, ahead: Option<&Ahead>) {
        if ahead.is_some_and(|a| a.run.interpreter.is(info)) {
            return;
        }
        let text = serde_json::to_string(&Interpreter::of(info)).expect("serializes");
        let _ = self.entries.write(&interpreter_key(mode), &text);
    }

    /// Removes long-unused entries, at most once a day.
    pub fn prune_if_due(&self) {
        self.entries.prune_if_due();
    }
}

/// Answers read ahead, by request id, for one interpreter and hash seed.
pub struct Ahead {
    run: Arc<RunPart>,
    /// By request id: the key read and what it held.
    answers: Vec<OnceLock<(String, Option<QuestionRun>)>>,
}

impl Ahead {
    /// Reads the answers to these requests (each one once, whoever asks first).
    pub fn fill(&self, cache: &Cache, requests: &[QuestionRequest]) {
        for req in requests {
            let (Some(cell), Some((key, base))) =
                (self.answers.get(req.id), key::key(&self.run, req))
            else {
                continue;
            };
            cell.get_or_init(|| {
                let answer = cache.read(&key, base, req);
                (key, answer)
            });
        }
    }
}

/// Where the last interpreter of a mode is kept.
fn interpreter_key(mode: &Mode) -> String {
    let material = format!(
        "interpreter of {mode:?}, snipcheck {}",
        env!("CARGO_PKG_VERSION")
    );
    key::hex(&Sha256::digest(material.as_bytes()))
}

/// An answer that would be the same on another run: no worker failure, and no
/// example ended by the machine (`Timeout`, `Crash`) or not run because of one.
fn keepable(run: &QuestionRun) -> bool {
    run.worker_error.is_none()
        && run.examples.iter().all(|ex| {
            ex.stopped != Some(0)
                && !ex
                    .error
                    .iter()
                    .chain(ex.observed.iter().filter_map(|o| o.error.as_ref()))
                    .any(|e| matches!(e.type_name.as_str(), "Timeout" | "Crash" | "NotRun"))
        })
}
