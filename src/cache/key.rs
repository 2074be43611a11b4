//! The key of a cached answer: a sha256 of everything that can change what a question
//! observes (docs/cli.md, "The run cache"). Lines are taken relative to the question's
//! first example line, so that a question moved by an edit above it keeps its key.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::python::worker::{ExampleRequest, Guard, PythonInfo, QuestionRequest};

/// What every key of a run shares besides the interpreter: snipcheck, its harness,
/// and the sandbox the questions run in.
#[derive(Debug, Clone, Serialize)]
pub struct Shared {
    snipcheck: &'static str,
    harness: &'static str,
    allow_network: bool,
    max_file_size: u64,
    protections: String,
}

impl Shared {
    pub fn new(guard: &Guard, protections: &str) -> Shared {
        Shared {
            snipcheck: env!("CARGO_PKG_VERSION"),
            harness: harness_digest(),
            allow_network: guard.allow_network,
            max_file_size: guard.max_file_size,
            protections: protections.to_string(),
        }
    }
}

/// The harness is part of every key (a change to it may change every observation):
/// hashed once, not once per question.
pub(super) fn harness_digest() -> &'static str {
    static DIGEST: OnceLock<String> = OnceLock::new();
    DIGEST.get_or_init(|| hex(&Sha256::digest(crate::python::HARNESS.as_bytes())))
}

/// What a question's observations depend on in the interpreter that runs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interpreter {
    implementation: String,
    version: String,
    build: String,
    executable: String,
    mode: String,
    packages: String,
}

impl Interpreter {
    pub fn of(info: &PythonInfo) -> Interpreter {
        Interpreter {
            implementation: info.implementation.clone(),
            version: info.version.clone(),
            build: info.build.clone(),
            executable: info.executable.clone(),
            mode: info.mode.clone(),
            packages: info.packages.clone(),
        }
    }

    /// Whether `info` is this interpreter, as far as keys go.
    pub fn is(&self, info: &PythonInfo) -> bool {
        self.packages == info.packages
            && self.build == info.build
            && self.executable == info.executable
            && self.version == info.version
            && self.mode == info.mode
            && self.implementation == info.implementation
    }
}

/// The part of every key a run shares: snipcheck, the sandbox, the interpreter and
/// the workers' hash seed, hashed once; each request's part is added to a copy.
#[derive(Clone)]
pub struct RunPart {
    pub interpreter: Interpreter,
    pub hash_seed: u32,
    hasher: Sha256,
}

impl RunPart {
    pub fn new(shared: &Shared, interpreter: Interpreter, hash_seed: u32) -> RunPart {
        let material = serde_json::json!({
            "shared": shared,
            "interpreter": interpreter,
            "hash_seed": hash_seed,
        });
        let mut hasher = Sha256::new();
        hasher.update(material.to_string().as_bytes());
        RunPart {
            interpreter,
            hash_seed,
            hasher,
        }
    }
}

/// A request's part of the key, serialized as JSON (unambiguous, and the field names
/// say what each value is). The id is left out: it is only the request's place in
/// this run.
#[derive(Serialize)]
struct Request<'a> {
    file: &'a str,
    timeout: f64,
    output_cap: usize,
    memory: u64,
    seed: u64,
    examples: Vec<Relative<'a>>,
    setup: Vec<Relative<'a>>,
}

/// An example of the request with its lines counted from the question's first line;
/// setup examples come from earlier questions, so theirs are negative.
#[derive(Serialize)]
struct Relative<'a> {
    line: i64,
    code: &'a str,
    expect_raise: Vec<i64>,
    prompts: Vec<i64>,
}

impl Relative<'_> {
    fn new(ex: &ExampleRequest, base: usize) -> Relative<'_> {
        let at = |l: usize| l as i64 - base as i64;
        Relative {
            line: at(ex.line),
            code: &ex.code,
            expect_raise: ex.expect_raise.iter().map(|&l| at(l)).collect(),
            prompts: ex.prompts.iter().map(|&l| at(l)).collect(),
        }
    }
}

/// The key of `req` in this run, and the line its lines were counted from; `None` for
/// a request with no example.
pub fn key(run: &RunPart, req: &QuestionRequest) -> Option<(String, usize)> {
    let base = req.examples.first()?.line;
    let relative = |ex| Relative::new(ex, base);
    let request = Request {
        file: &req.file,
        timeout: req.timeout,
        output_cap: req.output_cap,
        memory: req.memory,
        seed: req.seed,
        examples: req.examples.iter().map(relative).collect(),
        setup: req.setup.iter().map(relative).collect(),
    };
    let mut hasher = run.hasher.clone();
    hasher.update(serde_json::to_vec(&request).expect("a request serializes"));
    Some((hex(&hasher.finalize()), base))
}

pub(super) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> PythonInfo {
        PythonInfo {
            implementation: "CPython".into(),
            version: "3.11.7".into(),
            executable: "/usr/bin/python3".into(),
            mode: "embedded".into(),
            build: "3.11.7 (main, Jan 1 2024) [GCC 12]".into(),
            packages: "abc".into(),
        }
    }

    fn request(first: usize) -> QuestionRequest {
        let example = |line: usize, code: &str| ExampleRequest {
            line,
            code: code.into(),
            expect_raise: vec![line + 1],
            prompts: vec![],
        };
        QuestionRequest {
            id: first,
            file: "guide.md".into(),
            timeout: 10.0,
            output_cap: 1 << 20,
            memory: 2 << 30,
            examples: vec![example(first, "x = 1\nx"), example(first + 5, "print(x)")],
            setup: vec![example(first - 3, "y = 2")],
            seed: 0,
        }
    }

    fn run(hash_seed: u32, info: &PythonInfo) -> RunPart {
        let guard = Guard::new(false, 1 << 20);
        RunPart::new(
            &Shared::new(&guard, "none"),
            Interpreter::of(info),
            hash_seed,
        )
    }

    #[test]
    fn a_question_moved_keeps_its_key_and_its_id_does_not_count() {
        let (at_10, base) = key(&run(0, &info()), &request(10)).unwrap();
        let (at_40, moved) = key(&run(0, &info()), &request(40)).unwrap();
        assert_eq!((at_10, base, moved), (at_40, 10, 40));
    }

    #[test]
    fn what_changes_a_run_changes_the_key() {
        let same = key(&run(0, &info()), &request(10)).unwrap().0;
        let python = |f: &dyn Fn(&mut PythonInfo)| {
            let mut info = info();
            f(&mut info);
            key(&run(0, &info), &request(10)).unwrap().0
        };
        let question = |f: &dyn Fn(&mut QuestionRequest)| {
            let mut req = request(10);
            f(&mut req);
            key(&run(0, &info()), &req).unwrap().0
        };
        let changed = [
            ("hash seed", key(&run(1, &info()), &request(10)).unwrap().0),
            ("installed packages", python(&|i| i.packages = "def".into())),
            ("interpreter build", python(&|i| i.build = "other".into())),
            (
                "interpreter path",
                python(&|i| i.executable = "/other".into()),
            ),
            ("timeout", question(&|r| r.timeout = 5.0)),
            ("memory limit", question(&|r| r.memory = 1 << 30)),
            ("output cap", question(&|r| r.output_cap = 4096)),
            ("random seed", question(&|r| r.seed = 1)),
            ("guide file", question(&|r| r.file = "other.md".into())),
            (
                "code",
                question(&|r| r.examples[1].code = "print(x + 0)".into()),
            ),
            ("a line within", question(&|r| r.examples[1].line += 1)),
            (
                "raise claims",
                question(&|r| r.examples[0].expect_raise.clear()),
            ),
            ("no setup", question(&|r| r.setup.clear())),
            ("setup's line", question(&|r| r.setup[0].line -= 1)),
        ];
        for (what, k) in &changed {
            assert_ne!(k, &same, "{what}");
        }
        let guard = Guard::new(true, 1 << 20);
        let networked = RunPart::new(&Shared::new(&guard, "none"), Interpreter::of(&info()), 0);
        assert_ne!(key(&networked, &request(10)).unwrap().0, same);
    }
}
