//! The wire protocol between snipcheck and its workers, version [`VERSION`].
//!
//! A worker (`snipcheck __worker`, or `python -c <harness> --worker`) reads requests on
//! its standard input and writes answers on its standard output, one JSON object per
//! line, in UTF-8:
//!
//! 1. On start the worker says hello: `{"python": {"implementation", "version",
//!    "executable"}, "protocol": 2}`. snipcheck refuses any other protocol version.
//! 2. snipcheck sends a [`QuestionRequest`]: `{"id", "file", "timeout", "output_cap",
//!    "memory", "seed", "examples": [{"line", "code", "expect_raise", "prompts"}],
//!    "setup"?}`.
//! 3. The worker says it has begun the question: `{"started": id}`, once the question
//!    before is cleaned up (its processes reaped, its directory emptied), which may
//!    take a while after that question's answer.
//! 4. The worker answers with a [`QuestionRun`]: `{"id", "count", "examples":
//!    [{"statements", "observed": [{"line", "value", "value_str", "none", "state",
//!    "raised", "stream", "error", "blocked_by"}], "error", "stopped"}], "lines",
//!    "cut", "worker_error"}`. Every field is present (`null` where it has no value).
//!
//! The answer fails closed: [`check`] accepts it only if it parses with every field,
//! names the request's `id`, and has exactly as many examples as the request (`count`
//! and the list agree). Anything else, a start not said within [`START_SECONDS`], and
//! an answer that does not come within the question's timeout plus [`MARGIN_SECONDS`]
//! of its start, is a `Crash` of that question and the worker is replaced; it is never
//! taken as another question's result.

use std::collections::HashMap;

use anyhow::{bail, Result};
use serde::{Deserialize, Deserializer, Serialize};

/// The protocol version this snipcheck speaks; the harness's `PROTOCOL`.
pub const VERSION: u32 = 2;

/// How long past a question's own timeout, counted from its start, snipcheck waits for
/// the answer: at the deadline the worker gives the child 0.2 s to stop, kills it and
/// answers at once (reaping comes after the answer). A worker stopped or stuck while
/// the question runs is replaced this long after the question's timeout.
pub const MARGIN_SECONDS: f64 = 1.0;

/// How long snipcheck waits for a worker to begin a question: the question before
/// it may have left processes to kill and files to remove.
pub const START_SECONDS: f64 = 10.0;

/// Reads the worker's word that it has begun `req`.
pub fn check_started(line: &str, req: &QuestionRequest) -> Result<()> {
    #[derive(Deserialize)]
    struct Started {
        started: usize,
    }
    match serde_json::from_str::<Started>(line) {
        Ok(s) if s.started == req.id => Ok(()),
        Ok(s) => bail!(
            "the worker began question {} for question {}",
            s.started,
            req.id
        ),
        Err(e) => bail!("the worker's start does not follow the protocol: {e}"),
    }
}

/// A field that must be present in the JSON, though it may be `null`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    Option::deserialize(d)
}

/// The worker's first line.
#[derive(Debug, Deserialize)]
pub struct Hello {
    pub python: PythonInfo,
    pub protocol: u32,
}

/// Reads an answer line for `req`, or says why it cannot be that question's answer.
pub fn check(line: &str, req: &QuestionRequest) -> Result<QuestionRun> {
    let run: QuestionRun = match serde_json::from_str(line) {
        Ok(run) => run,
        Err(e) => bail!("the worker's answer does not follow the protocol: {e}"),
    };
    if run.id != req.id {
        bail!(
            "the worker answered question {} for question {}",
            run.id,
            req.id
        );
    }
    if let Some(e) = &run.worker_error {
        bail!("the worker failed: {e}");
    }
    if run.count != req.examples.len() || run.examples.len() != req.examples.len() {
        bail!(
            "the worker's answer has {} examples for a question of {}",
            run.examples.len(),
            req.examples.len()
        );
    }
    Ok(run.shrunk())
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
    /// `sys.version`: the build (date, compiler) beside the version, for the run cache.
    #[serde(default, skip_serializing)]
    pub build: String,
    /// A fingerprint of the environment's installed packages, for the run cache.
    #[serde(default, skip_serializing)]
    pub packages: String,
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Statement {
    pub line: usize,
    pub end: usize,
    pub compound: bool,
}

/// What one top-level statement did.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Observation {
    pub line: usize,
    #[serde(deserialize_with = "present")]
    pub value: Option<String>,
    /// `str()` of the value, when it differs from its repr.
    #[serde(deserialize_with = "present")]
    pub value_str: Option<String>,
    /// The expression's value was None.
    pub none: bool,
    #[serde(deserialize_with = "present")]
    pub state: Option<String>,
    #[serde(deserialize_with = "present")]
    pub raised: Option<Raised>,
    /// All output written while the statement ran.
    pub stream: String,
    /// An exception nobody claimed, raised by this statement (the example went on).
    #[serde(deserialize_with = "present")]
    pub error: Option<RunError>,
    /// The statement failed only because the earlier statement on this line failed: a
    /// name it would have bound is missing.
    #[serde(deserialize_with = "present")]
    pub blocked_by: Option<usize>,
}

/// What a statement raised, as the harness saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Raised {
    #[serde(rename = "type")]
    pub type_name: String,
    pub message: String,
    #[serde(default)]
    pub mro: Vec<String>,
}

impl Raised {
    pub fn display(&self) -> String {
        exception_line(&self.type_name, &self.message)
    }
}

impl RunError {
    /// `KeyError: 'b'`, as the last line of a traceback shows it.
    pub fn display(&self) -> String {
        exception_line(&self.type_name, &self.message)
    }
}

fn exception_line(type_name: &str, message: &str) -> String {
    if message.is_empty() {
        type_name.to_string()
    } else {
        format!("{type_name}: {message}")
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

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExampleRun {
    /// The top-level statements, once the example parsed, in line order. Of plain
    /// statements run as one (the harness's together.py) only the first, and those
    /// that wrote: no claim can be about the others.
    #[serde(deserialize_with = "present")]
    pub statements: Option<Vec<Statement>>,
    /// In order, an observation of each statement run alone, and of each statement of
    /// a run of plain statements that wrote.
    pub observed: Vec<Observation>,
    /// The example's error: the first exception nobody claimed, or what ended it.
    #[serde(deserialize_with = "present")]
    pub error: Option<RunError>,
    /// The first guide line that did not run because the example ended there (a parse
    /// error, a timeout, a crash, `SystemExit`); `None` when it ran to its end.
    #[serde(deserialize_with = "present")]
    pub stopped: Option<usize>,
}

/// The answer to one [`QuestionRequest`]. It serializes to the same JSON it was read
/// from, so that a stored answer is read back through [`check`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct QuestionRun {
    /// The request's id, echoed.
    pub id: usize,
    /// The number of examples the request had, echoed.
    pub count: usize,
    pub examples: Vec<ExampleRun>,
    /// Output attributed to each line (JSON object keys are strings).
    pub lines: HashMap<String, String>,
    /// The output cap cut some of it.
    pub cut: bool,
    /// The worker's own failure (not the example's), when it had one.
    #[serde(deserialize_with = "present")]
    pub worker_error: Option<String>,
    /// It came from the run cache, not from a worker (never on the wire).
    #[serde(skip)]
    pub cached: bool,
}

impl QuestionRun {
    /// Without the room JSON parsing left in its lists: a list read from JSON grows to
    /// four places for its first item, and a run is kept until the report is written
    /// (2,000 one-line questions: 3.8 MiB of the main process's 22).
    fn shrunk(mut self) -> QuestionRun {
        self.examples.shrink_to_fit();
        for ex in &mut self.examples {
            ex.observed.shrink_to_fit();
            if let Some(statements) = &mut ex.statements {
                statements.shrink_to_fit();
            }
        }
        self.lines.shrink_to_fit();
        self
    }

    pub fn line_output(&self) -> HashMap<usize, String> {
        self.lines
            .iter()
            .filter_map(|(k, v)| Some((k.parse().ok()?, v.clone())))
            .collect()
    }

    /// A run that never happened because the worker itself failed.
    pub fn failed(req: &QuestionRequest, message: String) -> QuestionRun {
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
            id: req.id,
            count: req.examples.len(),
            examples,
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(examples: usize) -> QuestionRequest {
        QuestionRequest {
            id: 7,
            file: "guide.md".into(),
            timeout: 1.0,
            output_cap: 100,
            memory: 0,
            examples: (0..examples)
                .map(|k| ExampleRequest {
                    line: 3 + 10 * k,
                    code: "print(1)".into(),
                    expect_raise: vec![],
                    prompts: vec![],
                })
                .collect(),
            setup: vec![],
            seed: 0,
        }
    }

    const OBSERVATION: &str = r#"{"line":4,"value":null,"value_str":null,"none":false,"state":null,"raised":null,"stream":"1\n","error":null,"blocked_by":null}"#;

    fn answer(id: usize, examples: usize) -> String {
        let example = format!(
            r#"{{"statements":[{{"line":4,"end":4,"compound":false}}],"observed":[{OBSERVATION}],"error":null,"stopped":null}}"#
        );
        let examples = vec![example; examples].join(",");
        format!(
            r#"{{"id":{id},"count":2,"examples":[{examples}],"lines":{{"4":"1\n"}},"cut":false,"worker_error":null}}"#
        )
    }

    #[test]
    fn an_answer_is_taken_only_for_its_own_question_whole() {
        let req = request(2);
        assert!(check(&answer(7, 2), &req).is_ok());
        assert!(check(&answer(8, 2), &req).is_err(), "another question's id");
        assert!(check(&answer(7, 1), &req).is_err(), "an example short");
        let missing = answer(7, 2).replace(r#""blocked_by":null"#, r#""x":null"#);
        assert!(check(&missing, &req).is_err(), "a field missing");
    }

    #[test]
    fn an_answer_is_kept_without_room_to_spare() {
        // runs are kept until the report is written: a list read from JSON has room
        // for four items after its first
        let run = check(&answer(7, 2), &request(2)).unwrap();
        assert_eq!(run.examples.capacity(), 2);
        for ex in &run.examples {
            assert_eq!(ex.observed.capacity(), 1);
            assert_eq!(ex.statements.as_ref().unwrap().capacity(), 1);
        }
    }
}
