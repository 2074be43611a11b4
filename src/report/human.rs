//! The human report: a line per question, then every failing claim with its guide
//! location, source line and an expected/actual diff, then a summary.
//!
//! Everything in the report that a guide wrote or an example printed is untrusted: it
//! is escaped once, by [`inert`], before any of it is laid out or coloured.

use std::fmt::Write as _;

use similar::{ChangeTag, TextDiff};

use super::event::{Event, Reporter};
use super::{
    Cells, ClaimReport, ExampleReport, Palette, QuestionReport, Report, RunError, Status,
    WarningReport,
};
use crate::judge::Verdict;
use crate::python::worker::PythonInfo;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub palette: Palette,
    pub quiet: bool,
    pub verbose: bool,
    pub strict: bool,
}

/// The whole report at once: what the streaming [`HumanReporter`] writes, in one string.
pub fn render(report: &Report, style: &Style) -> String {
    let ids: Vec<&str> = report.questions.iter().map(|q| q.id.as_str()).collect();
    let mut out = header(
        &report.python,
        &report.protections,
        &report.warnings,
        &report.cells,
        style,
    );
    if !style.quiet {
        let width = id_width(&ids);
        for q in &report.questions {
            let _ = writeln!(out, "{}", question_line(&inert_question(q), width, style));
        }
    }
    out.push_str(&footer(report, style));
    out
}

/// The interpreter, the protections and the guides' warnings; then a blank line
/// before the question lines.
pub fn header(
    py: &PythonInfo,
    protections: &str,
    warnings: &[WarningReport],
    cells: &Cells,
    style: &Style,
) -> String {
    let p = &style.palette;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "snipcheck {} · {} {} ({})",
        env!("CARGO_PKG_VERSION"),
        // an external `--python` reports these itself
        Palette::escape_inline(&py.implementation),
        Palette::escape_inline(&py.version),
        Palette::escape_inline(&py.mode)
    );
    if !protections.is_empty() {
        let _ = writeln!(out, "{}", p.dim(&format!("contained: {protections}")));
    }
    for w in warnings {
        // the place named from the raw file, the cells' key; then made inert
        let at = Palette::escape_inline(&cells.at(&w.file, w.line)).into_owned();
        let message = inert_warning(w).message;
        let _ = writeln!(out, "{} {at}: {message}", p.yellow("warning:"));
    }
    if !style.quiet {
        out.push('\n');
    }
    out
}

/// Every failing claim and error with its guide line, then the summary.
pub fn footer(report: &Report, style: &Style) -> String {
    let report = &inert(report);
    let mut out = String::new();
    for q in &report.questions {
        for (i, ex) in q.examples.iter().enumerate() {
            details(&mut out, &report.cells, q, ex, i == 0, style);
        }
    }
    stale(&mut out, report, style);
    out.push('\n');
    let _ = writeln!(out, "{}", summary(report, style));
    out
}

/// The width of the id column: the longest id, up to 24 characters.
pub fn id_width(ids: &[&str]) -> usize {
    ids.iter()
        .map(|id| id.chars().count())
        .max()
        .unwrap_or(0)
        .min(24)
}

/// The human report as the run goes: the header when the interpreter answers, a line
/// per question as soon as it and all before it are judged, the details at the end.
/// Under GitHub Actions the annotations follow, so that the findings show on the
/// guide's lines.
pub struct HumanReporter<W: std::io::Write> {
    pub out: W,
    pub style: Style,
    pub annotations: bool,
    /// The progress bar on the same terminal, hidden while a line prints.
    pub bar: Option<indicatif::ProgressBar>,
    width: usize,
}

impl<W: std::io::Write> HumanReporter<W> {
    pub fn new(out: W, style: Style, annotations: bool) -> Self {
        HumanReporter {
            out,
            style,
            annotations,
            bar: None,
            width: 0,
        }
    }
}

impl<W: std::io::Write> Reporter for HumanReporter<W> {
    fn event(&mut self, event: &Event) -> anyhow::Result<()> {
        let text = match event {
            Event::RunStarted {
                python,
                protections,
                warnings,
                cells,
                ids,
            } => {
                self.width = id_width(ids);
                header(python, protections, warnings, cells, &self.style)
            }
            Event::QuestionFinished { question, .. } if !self.style.quiet => {
                let line = question_line(&inert_question(question), self.width, &self.style);
                format!("{line}\n")
            }
            Event::QuestionFinished { .. } => String::new(),
            Event::RunFinished { report } => {
                let mut text = footer(report, &self.style);
                if self.annotations {
                    text.push_str(&super::github::render(report, self.style.strict));
                }
                text
            }
        };
        let out = &mut self.out;
        let mut write = || -> std::io::Result<()> {
            out.write_all(text.as_bytes())?;
            out.flush()
        };
        match &self.bar {
            Some(bar) => bar.suspend(write)?,
            None => write()?,
        }
        Ok(())
    }
}

/// The report with every piece of text from the guide or its examples escaped
/// ([`Palette::escape_inline`], or [`Palette::escape_multiline`] for text shown as
/// lines), so that nothing a guide or an example prints can drive the terminal.
///
/// Why one pass over the whole report rather than escaping where each field is
/// printed: one place to read, and the struct patterns below name every field, so a
/// field added to the report does not compile here until someone decides how it is
/// shown. The renderer then only ever sees inert text, and the palette's colour codes,
/// added afterwards, are the only escape sequences in its output.
fn inert(report: &Report) -> Report {
    let Report {
        snipcheck,
        python,
        protections,
        summary,
        questions,
        warnings,
        seconds,
        not_run,
        cached,
        baseline,
        partition,
        cells,
    } = report;
    Report {
        snipcheck: snipcheck.clone(),
        python: python.clone(),
        protections: protections.clone(),
        summary: summary.clone(),
        questions: questions.iter().map(inert_question).collect(),
        warnings: warnings.iter().map(inert_warning).collect(),
        seconds: *seconds,
        not_run: *not_run,
        cached: *cached,
        baseline: baseline.as_ref().map(crate::baseline::Outcome::inert),
        partition: partition.clone(),
        cells: super::Cells(
            cells
                .0
                .iter()
                .map(|(f, s)| (Palette::escape_inline(f).into_owned(), s.clone()))
                .collect(),
        ),
    }
}

fn inert_question(q: &QuestionReport) -> QuestionReport {
    let line = |t: &String| Palette::escape_inline(t).into_owned();
    let lines = |t: &String| Palette::escape_multiline(t).into_owned();
    let error = |e: &RunError| RunError {
        type_name: line(&e.type_name),
        message: lines(&e.message),
        traceback: e.traceback.as_ref().map(lines),
        ..e.clone()
    };
    let claim = |c: &ClaimReport| {
        let ClaimReport {
            file,
            line: at,
            kind,
            text,
            expected,
            actual,
            verdict,
            rule,
            message,
            notes,
            known,
            source,
        } = c;
        ClaimReport {
            file: line(file),
            line: *at,
            kind: *kind,
            text: line(text),
            expected: lines(expected),
            actual: actual.as_ref().map(lines),
            verdict: *verdict,
            rule: *rule,
            message: message.as_ref().map(lines),
            notes: notes.iter().map(lines).collect(),
            known: *known,
            source: line(source),
        }
    };
    let example = |e: &ExampleReport| {
        let ExampleReport {
            file,
            line: at,
            end_line,
            status,
            error: first,
            more_errors,
            skip_reason,
            claims,
            errors_known,
        } = e;
        ExampleReport {
            file: line(file),
            line: *at,
            end_line: *end_line,
            status: *status,
            error: first.as_ref().map(error),
            more_errors: more_errors.iter().map(error).collect(),
            skip_reason: skip_reason.as_ref().map(line),
            claims: claims.iter().map(claim).collect(),
            errors_known: *errors_known,
        }
    };
    let QuestionReport {
        file,
        line: at,
        id,
        title,
        status,
        examples,
        output_cut,
        ran_after,
        cached,
    } = q;
    QuestionReport {
        file: line(file),
        line: *at,
        id: line(id),
        title: line(title),
        status: *status,
        examples: examples.iter().map(example).collect(),
        output_cut: *output_cut,
        ran_after: ran_after.iter().map(line).collect(),
        cached: *cached,
    }
}

fn inert_warning(w: &WarningReport) -> WarningReport {
    let WarningReport {
        file,
        line: at,
        message,
    } = w;
    WarningReport {
        file: Palette::escape_inline(file).into_owned(),
        line: *at,
        message: Palette::escape_inline(message).into_owned(),
    }
}

fn question_line(q: &QuestionReport, width: usize, style: &Style) -> String {
    let p = &style.palette;
    let claims: Vec<&ClaimReport> = q.examples.iter().flat_map(|e| &e.claims).collect();
    let failing = claims.iter().filter(|c| c.fails(style.strict)).count();
    let (tag, note) = match q.status {
        Status::Passed => (p.green("ok   "), count(claims.len(), "claim")),
        Status::Failed => (
            p.red("FAIL "),
            format!("{failing} of {} claims wrong", claims.len()),
        ),
        Status::Error => {
            let e = q.examples.iter().find_map(|e| e.error.as_ref());
            (
                p.red("ERROR"),
                e.map(|e| e.type_name.clone()).unwrap_or_default(),
            )
        }
        Status::Skipped => (p.yellow("skip "), "skipped".to_string()),
        Status::NoCode => (p.dim("--   "), "no code".to_string()),
    };
    let title: String = q.title.chars().take(60).collect();
    let note = if q.ran_after.is_empty() {
        note
    } else {
        format!("{note} · ran after {}", q.ran_after.join(", "))
    };
    format!("  {tag}  {:>width$}  {title}  {}", q.id, p.dim(&note))
}

fn count(n: usize, what: &str) -> String {
    match n {
        0 => format!("no {what}s"),
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    }
}

fn details(
    out: &mut String,
    cells: &Cells,
    q: &QuestionReport,
    ex: &ExampleReport,
    first: bool,
    style: &Style,
) {
    let p = &style.palette;
    let shown_errors = ex.errors().filter(|_| !ex.errors_known);
    for e in shown_errors {
        let line = e.line.unwrap_or(ex.line);
        out.push('\n');
        let head = e.display();
        let _ = writeln!(
            out,
            "{}  {}  {}",
            p.red("error"),
            cells.at(&ex.file, line),
            p.bold(&head)
        );
        if let Some(tb) = &e.traceback {
            for l in tb.lines() {
                let _ = writeln!(out, "    {}", p.dim(l));
            }
        }
    }
    if q.output_cut && first {
        // said once per question, with its first example
        let _ = writeln!(
            out,
            "\n{}  {}  output of this question was cut at the output cap",
            p.yellow("note"),
            cells.at(&q.file, q.line)
        );
    }
    for c in &ex.claims {
        let show = c.fails(style.strict)
            || c.verdict == Verdict::Unverified
            || (style.verbose && (!c.notes.is_empty() || c.verdict != Verdict::Pass));
        if show {
            claim(out, cells, c, style);
        }
    }
}

fn claim(out: &mut String, cells: &Cells, c: &ClaimReport, style: &Style) {
    let p = &style.palette;
    let rule = c
        .rule
        .map(|r| format!("  [{}]", r.name()))
        .unwrap_or_default();
    let tag = match c.verdict {
        Verdict::Mismatch => p.red("mismatch"),
        Verdict::NotReached => p.red("not-reached"),
        Verdict::Unverified if style.strict => p.red("unverified"),
        Verdict::Unverified => p.dim("unverified"),
        Verdict::Illustrative => p.dim("illustrative"),
        Verdict::Pass => p.green("pass"),
    };
    out.push('\n');
    let _ = writeln!(out, "{tag}  {}{}", cells.at(&c.file, c.line), p.dim(&rule));
    let _ = writeln!(out, "  {:>5} │ {}", c.line, c.source.trim_end());
    match c.verdict {
        Verdict::Unverified if c.message.is_none() => {
            let _ = writeln!(
                out,
                "        │ {}",
                p.dim("reads as an explanation and does not match the output; not checked")
            );
        }
        Verdict::NotReached if c.message.is_none() => {
            let _ = writeln!(out, "        │ {}", p.dim(super::NOT_REACHED));
        }
        _ => {}
    }
    if let Some(m) = &c.message {
        let _ = writeln!(out, "        │ {m}");
    }
    for n in &c.notes {
        let _ = writeln!(out, "        │ {}", p.dim(&format!("note: {n}")));
    }
    if c.verdict == Verdict::Mismatch || (style.strict && c.verdict == Verdict::Unverified) {
        if let Some(actual) = &c.actual {
            diff(out, &c.expected, actual, p);
        }
    }
}

/// The expected/actual diff, line by line (a pure function of the two texts).
pub fn diff(out: &mut String, expected: &str, actual: &str, p: &Palette) {
    for line in diff_lines(expected, actual, p) {
        let _ = writeln!(out, "        {line}");
    }
}

/// The diff's lines: `- ` expected, `+ ` actual, two spaces for a line both have.
pub fn diff_lines(expected: &str, actual: &str, p: &Palette) -> Vec<String> {
    let (expected, actual) = (format!("{expected}\n"), format!("{actual}\n"));
    let diff = TextDiff::from_lines(&expected, &actual);
    diff.iter_all_changes()
        .map(|change| {
            let text = change.value().trim_end_matches('\n');
            let text = if text.chars().count() > 200 {
                format!("{}…", text.chars().take(200).collect::<String>())
            } else {
                text.to_string()
            };
            match change.tag() {
                ChangeTag::Delete => p.red(&format!("- {text}")),
                ChangeTag::Insert => p.green(&format!("+ {text}")),
                ChangeTag::Equal => format!("  {text}"),
            }
        })
        .collect()
}

fn summary(report: &Report, style: &Style) -> String {
    let p = &style.palette;
    let s = &report.summary;
    let mut parts = vec![format!("{} pass", s.pass)];
    for (n, what) in [
        (s.mismatch, "mismatch"),
        (s.not_reached, "not reached"),
        (s.unverified, "unverified"),
        (s.illustrative, "illustrative"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    let mut tail = vec![];
    if s.errors > 0 {
        tail.push(count(s.errors, "example error").replace("example errors", "examples in error"));
    }
    if s.skipped > 0 {
        tail.push(format!("{} skipped", s.skipped));
    }
    let verdict = if report.exit_code(style.strict) == 0 {
        p.green("ok")
    } else {
        p.red("FAILED")
    };
    let cached = if report.cached > 0 {
        format!(" ({} from the cache)", report.cached)
    } else {
        String::new()
    };
    let mut line = format!(
        "{verdict}: {}{cached}, {}, {}: {}",
        count(s.questions, "question"),
        count(s.examples, "example"),
        count(s.claims, "claim"),
        parts.join(", ")
    );
    if !tail.is_empty() {
        line.push_str(&format!("; {}", tail.join(", ")));
    }
    if report.not_run > 0 {
        line.push_str(&format!(
            "; stopped early: {} not run",
            count(report.not_run, "question")
        ));
    }
    if let Some(b) = &report.baseline {
        let known = match b.known {
            1 => "1 known finding".to_string(),
            n => format!("{n} known findings"),
        };
        line.push_str(&format!("; {known} (baseline {})", b.file));
    }
    line.push_str(&format!(" · {:.2} s", report.seconds));
    line
}

/// The baseline's entries no finding of the run matched: they can be dropped.
fn stale(out: &mut String, report: &Report, style: &Style) {
    let Some(b) = &report.baseline else { return };
    if b.stale.is_empty() {
        return;
    }
    let p = &style.palette;
    let what = match b.stale.len() {
        1 => "1 entry".to_string(),
        n => format!("{n} entries"),
    };
    let _ = writeln!(
        out,
        "\n{}  {}: {what} no longer found (stale; `--write-baseline` drops them)",
        p.yellow("stale"),
        b.file
    );
    for l in b.stale_lines() {
        let _ = writeln!(out, "        {l}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_removed_and_added_lines() {
        let mut out = String::new();
        diff(&mut out, "a 1\nb 3", "a 1\nb 2", &Palette::plain());
        assert_eq!(out, "          a 1\n        - b 3\n        + b 2\n");
    }

    #[test]
    fn plain_palette_adds_no_escapes() {
        assert_eq!(Palette::plain().red("x"), "x");
        assert_eq!(
            Palette::choose(crate::cli::ColorChoice::Always, false).red("x"),
            "\x1b[31mx\x1b[0m"
        );
    }
}
