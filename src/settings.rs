//! The settings of a run: how questions are run and claims judged, from the command line
//! (after the config file's defaults). `check` and `extract` build them; `evaluate` and
//! the runner read them; nothing here knows about either command.

use anyhow::{anyhow, bail, Result};

use crate::cli::RunArgs;
use crate::judge;
use crate::messages;
use crate::python::worker::{Guard, Mode};
use crate::version::PyVersion;

/// How questions are run and claims judged.
#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: Mode,
    pub jobs: usize,
    pub timeout: f64,
    pub output_cap: usize,
    pub memory: u64,
    pub judge: judge::Options,
    pub strict: bool,
    /// Every question of a guide runs after the ones before it, in their namespace.
    pub shared_namespace: bool,
    /// What confines the workers: the sandbox's settings.
    pub guard: Guard,
    /// The version of the interpreter in `mode`, once known (claims and examples that
    /// name versions are judged against it).
    pub version: Option<PyVersion>,
    /// Answers are looked up in and stored to the run cache.
    pub cache: bool,
    /// The findings the run knows of (`--baseline`, `--write-baseline`): they do not
    /// fail it.
    pub baseline: Option<std::sync::Arc<crate::baseline::Baseline>>,
    /// The part of the run's questions this run checks (`--partition`), for the report.
    pub shard: Option<crate::partition::Shard>,
}

impl Settings {
    pub fn from_args(run: &RunArgs, strict: bool) -> Result<Settings> {
        let jobs = run
            .jobs
            .unwrap_or_else(|| {
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(1)
            })
            .max(1);
        if !(run.timeout > 0.0 && run.timeout.is_finite()) {
            bail!(
                "--timeout {}: expected a positive number of seconds",
                run.timeout
            );
        }
        Ok(Settings {
            mode: Mode::Embedded,
            jobs,
            timeout: run.timeout,
            output_cap: run.max_output.max(16),
            memory: parse_size(&run.memory)
                .ok_or_else(|| anyhow!(messages::bad_size("--memory", &run.memory)))?,
            judge: judge::Options {
                tolerance: parse_tolerance(&run.tolerance)?,
            },
            strict,
            shared_namespace: run.shared_namespace,
            guard: Guard::new(run.allow_network, run.max_output.max(16)),
            version: None,
            cache: crate::cache::wanted(run.cache_asked()),
            baseline: None,
            shard: None,
        })
    }

    /// These settings for one interpreter of the run, its version asked of it.
    pub fn for_interpreter(&self, mode: &Mode) -> Result<Settings> {
        let version = match mode {
            Mode::Embedded => crate::python::embedded_version(),
            Mode::External(_) => {
                crate::python::worker::probe(mode, self.jobs, &self.guard)?.version
            }
        };
        Ok(Settings {
            mode: mode.clone(),
            version: PyVersion::parse(&version),
            ..self.clone()
        })
    }
}

/// The interpreters a run uses, in the order given: the embedded one when none is.
pub fn interpreters(run: &RunArgs) -> Result<Vec<Mode>> {
    if run.python.is_empty() {
        return Ok(vec![Mode::Embedded]);
    }
    let mut modes: Vec<Mode> = vec![];
    for spec in &run.python {
        let mode = Mode::External(crate::python::pythons::resolve(spec)?);
        if !modes.contains(&mode) {
            modes.push(mode);
        }
    }
    Ok(modes)
}

fn parse_tolerance(text: &str) -> Result<f64> {
    let t = text.trim();
    let (num, percent) = match t.strip_suffix('%') {
        Some(n) => (n, true),
        None => (t, false),
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| anyhow!(messages::bad_tolerance(text)))?;
    let v = if percent || v > 1.0 { v / 100.0 } else { v };
    if !(0.0..=10.0).contains(&v) {
        bail!(messages::bad_tolerance(text));
    }
    Ok(v)
}

fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim().to_ascii_uppercase();
    let t = t.trim_end_matches("IB").trim_end_matches('B');
    let (num, mult) = match t.chars().last()? {
        'K' => (&t[..t.len() - 1], 1u64 << 10),
        'M' => (&t[..t.len() - 1], 1 << 20),
        'G' => (&t[..t.len() - 1], 1 << 30),
        'T' => (&t[..t.len() - 1], 1 << 40),
        _ => (t, 1),
    };
    let n: f64 = num.trim().parse().ok()?;
    (n >= 0.0).then_some((n * mult as f64) as u64)
}
