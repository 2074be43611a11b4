//! Moving a cached answer to where its question now stands. An edit that adds or
//! removes lines above a question moves all of its lines by the same amount, and so
//! every guide line the answer names: the structured ones are shifted here. Lines
//! inside text (a traceback's `File "guide.md", line 42`, a warning's `guide.md:42:`)
//! are not rewritten: an answer whose text may hold them is reused only where it was
//! made ([`movable`]).

use crate::python::worker::{QuestionRun, RunError};

/// Whether the answer's text is free of guide lines, so that it may be shifted: no
/// error carries a traceback, and no text names the guide's file (tracebacks and
/// warnings name it beside each line). `body` is the answer as stored, in JSON, and
/// `file` the guide's name as the request gives it.
pub fn movable(run: &QuestionRun, body: &str, file: &str) -> bool {
    let has_traceback = run.examples.iter().any(|ex| {
        ex.error
            .iter()
            .chain(ex.observed.iter().filter_map(|o| o.error.as_ref()))
            .any(|e| e.traceback.is_some())
    });
    // the name as it appears inside a JSON string, without its quotes
    let quoted = serde_json::to_string(file).expect("a string serializes");
    let name = &quoted[1..quoted.len() - 1];
    !has_traceback && !name.is_empty() && !body.contains(name)
}

/// Moves every guide line of the answer by `delta`; `None` if one would leave the
/// guide (before line 1), which no valid answer to the new request can do.
pub fn shift(run: &mut QuestionRun, delta: i64) -> Option<()> {
    if delta == 0 {
        return Some(());
    }
    let mv = |line: usize| -> Option<usize> {
        usize::try_from(line as i64 + delta)
            .ok()
            .filter(|&l| l >= 1)
    };
    for ex in &mut run.examples {
        for s in ex.statements.iter_mut().flatten() {
            s.line = mv(s.line)?;
            s.end = mv(s.end)?;
        }
        for o in &mut ex.observed {
            o.line = mv(o.line)?;
            if let Some(b) = &mut o.blocked_by {
                *b = mv(*b)?;
            }
            if let Some(e) = &mut o.error {
                shift_error(e, &mv)?;
            }
        }
        if let Some(e) = &mut ex.error {
            shift_error(e, &mv)?;
        }
        // 0 means "not run", not a line
        if let Some(s) = ex.stopped.as_mut().filter(|s| **s != 0) {
            *s = mv(*s)?;
        }
    }
    let mut lines = std::collections::HashMap::with_capacity(run.lines.len());
    for (k, v) in run.lines.drain() {
        let k = match k.parse::<usize>() {
            Ok(l) => mv(l)?.to_string(),
            Err(_) => k, // not a line: kept as it came
        };
        lines.insert(k, v);
    }
    run.lines = lines;
    Some(())
}

fn shift_error(e: &mut RunError, mv: &impl Fn(usize) -> Option<usize>) -> Option<()> {
    if let Some(l) = &mut e.line {
        *l = mv(*l)?;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::worker::{ExampleRun, Observation, Statement};

    fn error(line: Option<usize>, traceback: Option<&str>) -> RunError {
        RunError {
            type_name: "KeyError".into(),
            message: "'b'".into(),
            line,
            traceback: traceback.map(str::to_string),
            signal: None,
            exit_code: None,
        }
    }

    fn answer() -> QuestionRun {
        let observed = vec![
            Observation {
                line: 10,
                stream: "1\n".into(),
                ..Default::default()
            },
            Observation {
                line: 11,
                error: Some(error(Some(11), None)),
                ..Default::default()
            },
            Observation {
                line: 11,
                blocked_by: Some(11),
                ..Default::default()
            },
        ];
        let first = ExampleRun {
            statements: Some(vec![
                Statement {
                    line: 10,
                    end: 10,
                    compound: false,
                },
                Statement {
                    line: 11,
                    end: 13,
                    compound: true,
                },
            ]),
            observed,
            error: Some(error(Some(11), None)),
            stopped: Some(14),
        };
        let second = ExampleRun {
            error: Some(RunError {
                type_name: "NotRun".into(),
                line: None,
                ..error(None, None)
            }),
            stopped: Some(0),
            ..Default::default()
        };
        QuestionRun {
            id: 0,
            count: 2,
            examples: vec![first, second],
            lines: [("10".to_string(), "1\n".to_string())].into(),
            ..Default::default()
        }
    }

    #[test]
    fn every_structured_line_moves_and_not_run_stays_zero() {
        let mut run = answer();
        shift(&mut run, 5).unwrap();
        let ex = &run.examples[0];
        let st = ex.statements.as_ref().unwrap();
        assert_eq!(
            (st[0].line, st[0].end, st[1].line, st[1].end),
            (15, 15, 16, 18)
        );
        assert_eq!(
            ex.observed.iter().map(|o| o.line).collect::<Vec<_>>(),
            [15, 16, 16]
        );
        assert_eq!(ex.observed[1].error.as_ref().unwrap().line, Some(16));
        assert_eq!(ex.observed[2].blocked_by, Some(16));
        assert_eq!(ex.error.as_ref().unwrap().line, Some(16));
        assert_eq!(ex.stopped, Some(19));
        assert_eq!(run.examples[1].stopped, Some(0));
        assert_eq!(run.examples[1].error.as_ref().unwrap().line, None);
        assert_eq!(run.line_output().get(&15).map(String::as_str), Some("1\n"));
        assert!(!run.lines.contains_key("10"));
    }

    #[test]
    fn moving_back_and_forth_gives_the_answer_again() {
        let mut run = answer();
        shift(&mut run, -7).unwrap();
        shift(&mut run, 7).unwrap();
        let before = serde_json::to_value(answer()).unwrap();
        assert_eq!(serde_json::to_value(&run).unwrap(), before);
    }

    #[test]
    fn a_line_before_the_guide_is_no_answer() {
        assert!(shift(&mut answer(), -10).is_none());
        assert!(shift(&mut answer(), -9).is_some());
    }

    #[test]
    fn text_with_guide_lines_pins_the_answer_to_its_place() {
        let run = answer();
        let body = serde_json::to_string(&run).unwrap();
        assert!(movable(&run, &body, "guide.md"));
        // a warning names the file and its line in the output
        let warned = body.replace("1\\n", "guide.md:10: UserWarning: w\\n");
        assert!(!movable(&run, &warned, "guide.md"));
        // a traceback holds lines, whatever file it names
        let mut raised = answer();
        raised.examples[0].error = Some(error(Some(11), Some("line 11")));
        let body = serde_json::to_string(&raised).unwrap();
        assert!(!movable(&raised, &body, "other.md"));
    }
}
