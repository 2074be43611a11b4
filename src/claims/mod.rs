//! Claims found in an example's comments (docs/claims.md, section 3), and the grammar
//! of the claim language they are read with.
//!
//! Before the run, [`candidates`] reads the comments into possible claims and
//! [`expect_raise`] tells the runner which statements may raise. After the run,
//! [`resolve`] decides, from what each line did, which candidates are claims and what
//! each is compared with.

pub mod exception;
pub mod grammar;
pub mod literal;
pub(crate) mod nesting;
pub mod qualifier;
mod saved;

pub use exception::{exception_pattern, parse_exception, ExceptionClaim};
pub use literal::{Lit, Literals};
pub use qualifier::{applies, split_qualifier, VersionReq};

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::model::Example;
use crate::python::worker::{ExampleRun, Raised, Statement};
use crate::python::Comment;

/// Where a comment stands, which decides what it can claim.
#[derive(Debug, Clone, PartialEq)]
pub enum Form {
    /// After code on the same line.
    Trailing,
    /// A comment line right under the code line `after`.
    NextLine { after: usize },
    /// `# Output:` and the comment lines under it.
    Block,
    /// The expected output under a `>>>` statement.
    Repl { statement_line: usize },
    /// An output a notebook saved with its cell, which claims what the whole cell (its
    /// source lines `first..=last`) did: see [`saved`].
    Saved {
        kind: crate::model::SavedKind,
        first: usize,
        last: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub line: usize,
    /// The comment without its `#` (for a block or session: the expected lines), with
    /// any version qualifier (`200 (3.11+)`): [`resolve`] takes it off.
    pub text: String,
    pub form: Form,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Output,
    Value,
    State,
    Exception,
    OutputBlock,
    Repl,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Output => "output",
            Kind::Value => "value",
            Kind::State => "state",
            Kind::Exception => "exception",
            Kind::OutputBlock => "output-block",
            Kind::Repl => "repl",
        }
    }
}

/// What a claim is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Against {
    Text(String),
    /// An expression's value: its repr, and its str() when that differs.
    Value(String, Option<String>),
    Exception(ExceptionClaim, Option<Raised>),
    /// The statement raised an exception nobody claimed: its `Type: message`.
    Failed(String),
    /// The claim's statement did not run, or failed only because the earlier statement
    /// on this line failed.
    NotReached(Option<usize>),
    /// Nothing was observed on the claim's line, which is inside code the question's
    /// process may not have run there: a block not entered, a function not called, or
    /// called in a process the example started that is not forked from it (spawn,
    /// forkserver, a subprocess), whose lines cannot be told.
    Unobserved,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub line: usize,
    pub kind: Kind,
    pub text: String,
    pub against: Against,
    /// The line of the top-level statement the claim is about.
    pub statement: Option<usize>,
    /// The Python versions the guide says the claim holds on (`# 200 (3.11+)`), its
    /// qualifier already taken off `text`; `None`: every version. See
    /// [`qualifier::applies`].
    pub versions: Option<VersionReq>,
}

fn ignored(text: &str) -> bool {
    text.to_ascii_lowercase()
        .trim_end()
        .ends_with("snipcheck: ignore")
}

/// The comment text after `#` (a `#>` marker keeps its `>` for the judge to strip).
fn body(comment: &str) -> String {
    comment
        .strip_prefix('#')
        .unwrap_or(comment)
        .trim()
        .to_string()
}

/// The comment lines right under `line`, each without `# `, marked as used: the
/// expected lines of an output block or of a traceback written as comments.
fn comment_lines_under(
    line: usize,
    own_line: &HashMap<usize, &Comment>,
    used: &mut std::collections::HashSet<usize>,
) -> Vec<String> {
    let mut lines = vec![];
    let mut next = line + 1;
    while let Some(n) = own_line.get(&next) {
        let t = n.text.strip_prefix('#').unwrap_or(&n.text);
        lines.push(t.strip_prefix(' ').unwrap_or(t).trim_end().to_string());
        used.insert(next);
        next += 1;
    }
    lines
}

/// Possible claims of an example, in line order.
pub fn candidates(example: &Example, comments: &[Comment], lits: &dyn Literals) -> Vec<Candidate> {
    let is_code_line = |line: usize| {
        example
            .code_line(line)
            .is_some_and(|l| !l.trim().is_empty() && !l.trim().starts_with('#'))
    };
    // The code line a comment line stands under: a session's bare `...` lines belong
    // to the statement above them.
    let code_above = |line: usize| -> Option<usize> {
        let mut l = line.checked_sub(1)?;
        while example.raw_line(l).map(str::trim) == Some("...") {
            l = l.checked_sub(1)?;
        }
        is_code_line(l).then_some(l)
    };
    let own_line: HashMap<usize, &Comment> = comments
        .iter()
        .filter(|c| !c.trailing)
        .map(|c| (c.line, c))
        .collect();
    let mut out = vec![];
    let mut used = std::collections::HashSet::new();
    for c in comments {
        let text = body(&c.text);
        if used.contains(&c.line) || ignored(&c.text) || text.is_empty() {
            continue;
        }
        if text.chars().all(|ch| ch == '?' || ch.is_whitespace()) {
            continue; // `# ?`: an exercise for the reader, not a claim
        }
        if !c.trailing && lits.is_code(&text) {
            continue; // commented-out code on its own line, not a claim
        }
        if c.trailing {
            if example.repl.iter().any(|r| r.statement_line == c.line) {
                continue; // `>>> 1 + 1  # adding`: the lines under the prompt claim
            }
            out.push(Candidate {
                line: c.line,
                text,
                form: Form::Trailing,
            });
            continue;
        }
        if grammar::is_block_marker(&text) {
            let lines = comment_lines_under(c.line, &own_line, &mut used);
            out.push(Candidate {
                line: c.line,
                text: lines.join("\n"),
                form: Form::Block,
            });
            continue;
        }
        let Some(after) = code_above(c.line) else {
            if grammar::starts_with_colon_marker(&text) {
                out.push(Candidate {
                    line: c.line,
                    text,
                    form: Form::Block,
                });
            }
            continue;
        };
        if is_traceback(&text) {
            // a traceback written as comments: the lines under it belong to it
            let mut lines = vec![text];
            lines.extend(comment_lines_under(c.line, &own_line, &mut used));
            out.push(Candidate {
                line: c.line,
                text: lines.join("\n"),
                form: Form::NextLine { after },
            });
            continue;
        }
        let (core, versions) = split_qualifier(&text);
        let stripped = grammar::strip_markers(&core);
        let claims = grammar::starts_with_colon_marker(&core)
            || grammar::is_value_like(stripped, lits)
            || grammar::value_then_remark(stripped, lits)
            || parse_exception(stripped).is_some();
        if !claims {
            continue;
        }
        // Value lines that follow each other under one statement state one value (a
        // qualified line stands alone: its qualifier is not the next line's).
        let mergeable = versions.is_none() && grammar::is_value_like(stripped, lits);
        let mut text = text;
        let mut next = c.line + 1;
        while let Some(n) = own_line.get(&next) {
            let more = body(&n.text);
            if !mergeable || ignored(&n.text) || !grammar::is_value_like(&more, lits) {
                break;
            }
            text = format!("{text}\n{more}");
            used.insert(next);
            next += 1;
        }
        out.push(Candidate {
            line: c.line,
            text,
            form: Form::NextLine { after },
        });
    }
    for r in &example.repl {
        if r.text.trim().chars().all(|ch| ch == '?') {
            continue; // an exercise for the reader
        }
        out.push(Candidate {
            line: r.line,
            text: r.text.clone(),
            form: Form::Repl {
                statement_line: r.statement_line,
            },
        });
    }
    out.extend(saved::candidates(example));
    out.sort_by_key(|c| c.line);
    out
}

const TRACEBACK: &str = "Traceback (most recent call last)";

/// Comment lines whose statement the guide says raises: the runner goes on after them.
pub fn expect_raise(cands: &[Candidate]) -> Vec<usize> {
    let mut lines: Vec<usize> = cands
        .iter()
        .filter_map(|c| match c.form {
            Form::Trailing | Form::NextLine { .. } => {
                exception_of(&split_qualifier(&c.text).0).map(|_| c.line)
            }
            Form::Repl { statement_line } => is_traceback(&c.text).then_some(statement_line),
            Form::Block | Form::Saved { .. } => None,
        })
        .collect();
    lines.extend(cands.iter().flat_map(saved::expect_raise));
    lines
}

/// A traceback as a REPL shows it: with its header, or (for a SyntaxError) starting
/// at the `File` line.
/// Whether a claim's text is a traceback (the fixer asks too, to rewrite it as one).
pub fn is_traceback(text: &str) -> bool {
    text.starts_with(TRACEBACK)
        || text.starts_with("Traceback (innermost last)")
        || (text.trim_start().starts_with("File \"") && traceback_claim(text).is_some())
}

/// The exception a claim names: a traceback's last line, or `ValueError`-like text.
pub fn exception_of(text: &str) -> Option<ExceptionClaim> {
    if is_traceback(text) {
        traceback_claim(text)
    } else {
        parse_exception(grammar::strip_markers(text))
    }
}

/// The exception a session's traceback ends with; a traceback cut off before its
/// last line claims some exception, whichever.
fn traceback_claim(text: &str) -> Option<ExceptionClaim> {
    let last = text
        .lines()
        .rev()
        .find(|l| !l.starts_with(char::is_whitespace) && !l.trim().is_empty())?;
    if last.starts_with("Traceback (") {
        return Some(ExceptionClaim::any());
    }
    parse_exception(last)
}

/// Everything a question's run observed, as [`resolve`] reads it.
pub struct Observed<'a> {
    pub run: &'a ExampleRun,
    /// Output attributed to each line, over the whole question.
    pub lines: &'a HashMap<usize, String>,
}

impl Observed<'_> {
    fn statements(&self) -> &[Statement] {
        self.run.statements.as_deref().unwrap_or(&[])
    }
    fn containing(&self, line: usize) -> Option<&Statement> {
        self.statements()
            .iter()
            .find(|s| s.line <= line && line <= s.end)
    }
    fn ending_at(&self, line: usize) -> Option<&Statement> {
        self.statements().iter().find(|s| s.end == line)
    }
    fn obs(&self, line: usize) -> Option<&crate::python::worker::Observation> {
        self.run.observed.iter().find(|o| o.line == line)
    }
    fn output(&self, line: usize) -> Option<&str> {
        self.lines
            .get(&line)
            .map(|s| s.as_str())
            .filter(|s| !s.is_empty())
    }
}

/// Whether a comment is a claim whatever happens at run time, so that it is reported
/// as not reached when its line never ran: an output block or session output, a
/// marker (`=> 5`, `Output: 5`), a value or repr, an exception name, or a short
/// comment on a line that prints. Explanations are not.
fn claim_shaped(c: &Candidate, example: &Example, lits: &dyn Literals) -> bool {
    let t = grammar::strip_markers(&c.text);
    match c.form {
        Form::Block | Form::Repl { .. } | Form::Saved { .. } => true,
        Form::Trailing | Form::NextLine { .. } => {
            grammar::starts_with_symbolic_marker(&c.text)
                || grammar::starts_with_colon_marker(&c.text)
                || grammar::is_value_like(t, lits)
                || exception_of(&c.text).is_some()
                || (matches!(c.form, Form::Trailing)
                    && prints_the_claim(example.code_line(c.line).unwrap_or(""), t))
        }
    }
}

/// A comment on a line that prints which reads as that output: one or two words
/// (`print(name)  # Ann`), or a string literal of the line (`print "old style"  # old
/// style`). Longer comments there explain (`# size in bytes`).
fn prints_the_claim(code: &str, claim: &str) -> bool {
    let code = code.trim_start();
    let prints = code.starts_with("print ") || code.contains("print(");
    let quoted = |q: char| code.contains(&format!("{q}{claim}{q}"));
    prints
        && !claim.is_empty()
        && (claim.split_whitespace().count() <= 2 || quoted('"') || quoted('\''))
}

fn not_reached(
    c: &Candidate,
    cause: Option<usize>,
    ex: &Example,
    lits: &dyn Literals,
) -> Option<Resolved> {
    claim_shaped(c, ex, lits).then(|| {
        (
            kind_of(c),
            Against::NotReached(cause),
            cause.unwrap_or(c.line),
        )
    })
}

/// A claim on a line nothing was observed on: said, never dropped (an explanation is).
fn unobserved(c: &Candidate, ex: &Example, lits: &dyn Literals) -> Option<Resolved> {
    claim_shaped(c, ex, lits).then(|| (kind_of(c), Against::Unobserved, c.line))
}

fn kind_of(c: &Candidate) -> Kind {
    match c.form {
        Form::Block => Kind::OutputBlock,
        Form::Repl { .. } => Kind::Repl,
        Form::Saved { kind, .. } => saved::kind(kind),
        _ if exception_of(&c.text).is_some() => Kind::Exception,
        _ => Kind::Output,
    }
}

/// Decides which candidates are claims and what each is compared with.
pub fn resolve(
    example: &Example,
    cands: &[Candidate],
    seen: &Observed,
    lits: &dyn Literals,
) -> Vec<Claim> {
    let stopped = seen.run.stopped; // the first line that did not run, if it ended early
    let mut claims = vec![];
    let mut since = 0usize; // output blocks cover statements after this line
    for c in cands {
        // a version qualifier is no part of what the claim says the code does
        let (c, versions) = match c.form {
            Form::Trailing | Form::NextLine { .. } => {
                let (text, versions) = split_qualifier(&c.text);
                let c = Candidate { text, ..c.clone() };
                (std::borrow::Cow::Owned(c), versions)
            }
            Form::Block | Form::Repl { .. } | Form::Saved { .. } => {
                (std::borrow::Cow::Borrowed(c), None)
            }
        };
        let c: &Candidate = &c;
        let resolved = if stopped.is_some_and(|s| c.line >= s)
            || (seen.run.statements.is_none() && stopped.is_some())
        {
            not_reached(c, None, example, lits)
        } else {
            match c.form {
                Form::Trailing => trailing(c, seen, example, lits),
                Form::NextLine { after } => next_line(c, after, seen, example, lits),
                Form::Block => Some(block(c, since, seen)),
                Form::Repl { statement_line } => repl(c, statement_line, seen, example, lits),
                Form::Saved { kind, .. } => saved::resolve(c, kind, seen),
            }
        };
        if let Some((kind, against, anchor)) = resolved {
            if let Against::NotReached(_) | Against::Unobserved = against {
                claims.push(Claim {
                    line: c.line,
                    kind,
                    text: c.text.clone(),
                    against,
                    statement: None,
                    versions,
                });
                continue;
            }
            if !matches!(c.form, Form::Saved { .. }) {
                // a saved output is about the whole cell, not about the lines above it:
                // the comments after it still claim what the cell's statements print
                since = since.max(anchor);
            }
            claims.push(Claim {
                line: c.line,
                kind,
                text: c.text.clone(),
                against,
                statement: Some(anchor),
                versions,
            });
        }
    }
    claims
}

type Resolved = (Kind, Against, usize);

fn exception_against(claim: ExceptionClaim, raised: Option<&Raised>) -> Against {
    Against::Exception(claim, raised.cloned())
}

fn trailing(
    c: &Candidate,
    seen: &Observed,
    example: &Example,
    lits: &dyn Literals,
) -> Option<Resolved> {
    let text = grammar::strip_markers(&c.text);
    let exception = exception_of(&c.text);
    let stmt = seen.containing(c.line);
    let obs = stmt.and_then(|s| seen.obs(s.line));
    let anchor = stmt.map_or(c.line, |s| s.line);
    if let Some(cause) = obs.and_then(|o| o.blocked_by) {
        return not_reached(c, Some(cause), example, lits);
    }
    if let (Some(e), Some(raised)) = (&exception, obs.and_then(|o| o.raised.as_ref())) {
        return Some((
            Kind::Exception,
            exception_against(e.clone(), Some(raised)),
            anchor,
        ));
    }
    if let Some(out) = seen.output(c.line) {
        return Some((Kind::Output, Against::Text(out.to_string()), anchor));
    }
    let stmt = stmt?;
    let simple = !stmt.compound;
    if let Some(e) = obs.and_then(|o| o.error.as_ref()) {
        let on_statement = simple || stmt.line == c.line;
        return (on_statement && claim_shaped(c, example, lits))
            .then(|| (kind_of(c), Against::Failed(e.display()), anchor));
    }
    if simple && stmt.line != c.line {
        if let Some(out) = seen.output(stmt.line) {
            return Some((Kind::Output, Against::Text(out.to_string()), anchor));
        }
    }
    if !simple && stmt.line != c.line {
        // inside a block that printed nothing on this line: a claim is said so
        return unobserved(c, example, lits);
    }
    let obs = obs?;
    if let Some(e) = exception {
        return Some((Kind::Exception, exception_against(e, None), anchor));
    }
    if let Some(v) = &obs.value {
        let against = Against::Value(v.clone(), obs.value_str.clone());
        return Some((Kind::Value, against, anchor));
    }
    if !simple {
        return unobserved(c, example, lits); // `def f(): print(1)  # 1`, never called
    }
    if !grammar::is_value_like(text, lits) {
        return None;
    }
    match &obs.state {
        Some(s) => Some((Kind::State, Against::Text(s.clone()), anchor)),
        None if obs.none => Some((Kind::Value, Against::Value("None".into(), None), anchor)),
        None => Some((Kind::Output, Against::Text(String::new()), anchor)),
    }
}

fn next_line(
    c: &Candidate,
    after: usize,
    seen: &Observed,
    example: &Example,
    lits: &dyn Literals,
) -> Option<Resolved> {
    let exception = exception_of(&c.text);
    let Some(stmt) = seen.ending_at(after) else {
        // under a line inside a block: what that line printed
        let Some(out) = seen.output(after) else {
            return unobserved(c, example, lits);
        };
        return Some((Kind::Output, Against::Text(out.to_string()), after));
    };
    let obs = seen.obs(stmt.line)?;
    if let Some(cause) = obs.blocked_by {
        return not_reached(c, Some(cause), example, lits);
    }
    if let Some(e) = exception {
        return Some((
            Kind::Exception,
            exception_against(e, obs.raised.as_ref()),
            stmt.line,
        ));
    }
    if let Some(e) = &obs.error {
        return claim_shaped(c, example, lits)
            .then(|| (kind_of(c), Against::Failed(e.display()), stmt.line));
    }
    let (kind, against) = if !obs.stream.is_empty() {
        (Kind::Output, Against::Text(obs.stream.clone()))
    } else if let Some(v) = &obs.value {
        (
            Kind::Value,
            Against::Value(v.clone(), obs.value_str.clone()),
        )
    } else if let Some(s) = &obs.state {
        (Kind::State, Against::Text(s.clone()))
    } else if obs.none {
        (Kind::Value, Against::Value("None".into(), None))
    } else if grammar::starts_with_colon_marker(&c.text) {
        (Kind::Output, Against::Text(String::new()))
    } else {
        // a value-like comment under a statement that produced nothing (an import,
        // a def) explains it; only a marker says "this printed"
        return None;
    };
    Some((kind, against, stmt.line))
}

fn block(c: &Candidate, since: usize, seen: &Observed) -> Resolved {
    let mut text = String::new();
    let mut last = since;
    let mut stale = None;
    for s in seen
        .statements()
        .iter()
        .filter(|s| s.line > since && s.end < c.line)
    {
        if let Some(o) = seen.obs(s.line) {
            text.push_str(&o.stream);
            stale = stale.or(o.blocked_by);
        }
        last = last.max(s.line);
    }
    // output that a statement made from a failed line's stale names claims nothing
    match stale {
        Some(cause) => (Kind::OutputBlock, Against::NotReached(Some(cause)), last),
        None => (Kind::OutputBlock, Against::Text(text), last),
    }
}

fn repl(
    c: &Candidate,
    statement_line: usize,
    seen: &Observed,
    example: &Example,
    lits: &dyn Literals,
) -> Option<Resolved> {
    let obs = seen.obs(statement_line)?;
    if let Some(cause) = obs.blocked_by {
        return not_reached(c, Some(cause), example, lits);
    }
    if is_traceback(&c.text) {
        let claim = traceback_claim(&c.text)?;
        return Some((
            Kind::Exception,
            exception_against(claim, obs.raised.as_ref()),
            statement_line,
        ));
    }
    let mut text = obs.stream.clone();
    if let Some(e) = &obs.error {
        text.push_str(&e.display());
        return Some((Kind::Repl, Against::Failed(text), statement_line));
    }
    if let Some(v) = &obs.value {
        text.push_str(v);
        text.push('\n');
    }
    Some((Kind::Repl, Against::Text(text), statement_line))
}

/// Top-level statements that printed while no claim covers them: what `--strict`
/// calls a print with no claim. An output block covers every statement since the
/// claim before it; the author's `# snipcheck: ignore` covers the print as well as
/// its claim.
pub fn unclaimed_output(
    example: &Example,
    claims: &[Claim],
    seen: &Observed,
) -> Vec<(usize, String)> {
    let mut covered = std::collections::HashSet::new();
    let mut since = 0usize;
    for c in claims {
        let Some(anchor) = c.statement else { continue };
        if c.kind == Kind::OutputBlock {
            for s in seen
                .statements()
                .iter()
                .filter(|s| s.line > since && s.line <= anchor)
            {
                covered.insert(s.line);
            }
        }
        covered.insert(anchor);
        since = since.max(anchor);
    }
    seen.run
        .observed
        .iter()
        .filter(|o| !o.stream.trim().is_empty() && !covered.contains(&o.line))
        .filter(|o| !example.raw_line(o.line).is_some_and(ignored))
        .map(|o| (o.line, o.stream.clone()))
        .collect()
}
