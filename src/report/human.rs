//! The human report: a line per question, then every failing claim with its guide
//! location, source line and an expected/actual diff, then a summary.
//!
//! Everything in the report that a guide wrote or an example printed is untrusted: it
//! is escaped once, by [`inert`], before any of it is laid out or coloured.

use std::fmt::Write as _;

use similar::{ChangeTag, TextDiff};

use super::{
    ClaimReport, ExampleReport, Palette, QuestionReport, Report, RunError, Status, WarningReport,
};
use crate::judge::Verdict;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub palette: Palette,
    pub quiet: bool,
    pub verbose: bool,
    pub strict: bool,
}

pub fn render(report: &Report, style: &Style) -> String {
    let report = &inert(report);
    let p = &style.palette;
    let mut out = String::new();
    let py = &report.python;
    let _ = writeln!(
        out,
        "snipcheck {} · {} {} ({})",
        report.snipcheck,
        // an external `--python` reports these itself
        Palette::escape_inline(&py.implementation),
        Palette::escape_inline(&py.version),
        Palette::escape_inline(&py.mode)
    );
    if !report.protections.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            p.dim(&format!("contained: {}", report.protections))
        );
    }
    for w in &report.warnings {
        let _ = writeln!(
            out,
            "{} {}:{}: {}",
            p.yellow("warning:"),
            w.file,
            w.line,
            w.message
        );
    }
    if !style.quiet {
        out.push('\n');
        let width = report
            .questions
            .iter()
            .map(|q| q.id.chars().count())
            .max()
            .unwrap_or(0)
            .min(24);
        for q in &report.questions {
            let _ = writeln!(out, "{}", question_line(q, width, style));
        }
    }
    for q in &report.questions {
        for (i, ex) in q.examples.iter().enumerate() {
            details(&mut out, q, ex, i == 0, style);
        }
    }
    out.push('\n');
    let _ = writeln!(out, "{}", summary(report, style));
    out
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
        }
    };
    let question = |q: &QuestionReport| {
        let QuestionReport {
            file,
            line: at,
            id,
            title,
            status,
            examples,
            output_cut,
            ran_after,
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
        }
    };
    let warning = |w: &WarningReport| {
        let WarningReport {
            file,
            line: at,
            message,
        } = w;
        WarningReport {
            file: line(file),
            line: *at,
            message: line(message),
        }
    };
    let Report {
        snipcheck,
        python,
        protections,
        summary,
        questions,
        warnings,
        seconds,
    } = report;
    Report {
        snipcheck: snipcheck.clone(),
        python: python.clone(),
        protections: protections.clone(),
        summary: summary.clone(),
        questions: questions.iter().map(question).collect(),
        warnings: warnings.iter().map(warning).collect(),
        seconds: *seconds,
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

fn details(out: &mut String, q: &QuestionReport, ex: &ExampleReport, first: bool, style: &Style) {
    let p = &style.palette;
    for e in ex.error.iter().chain(&ex.more_errors) {
        let line = e.line.unwrap_or(ex.line);
        out.push('\n');
        let head = e.display();
        let _ = writeln!(
            out,
            "{}  {}:{}  {}",
            p.red("error"),
            ex.file,
            line,
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
            "\n{}  {}:{}  output of this question was cut at the output cap",
            p.yellow("note"),
            q.file,
            q.line
        );
    }
    for c in &ex.claims {
        let show = c.fails(style.strict)
            || c.verdict == Verdict::Unverified
            || (style.verbose && (!c.notes.is_empty() || c.verdict != Verdict::Pass));
        if show {
            claim(out, c, style);
        }
    }
}

fn claim(out: &mut String, c: &ClaimReport, style: &Style) {
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
    let _ = writeln!(out, "{tag}  {}:{}{}", c.file, c.line, p.dim(&rule));
    let _ = writeln!(out, "  {:>5} │ {}", c.line, c.source.trim_end());
    match c.verdict {
        Verdict::Unverified => {
            let _ = writeln!(
                out,
                "        │ {}",
                p.dim("reads as an explanation and does not match the output; not checked")
            );
        }
        Verdict::NotReached if c.message.is_none() => {
            let _ = writeln!(
                out,
                "        │ {}",
                p.dim("the example stopped before this line ran")
            );
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
    let (expected, actual) = (format!("{expected}\n"), format!("{actual}\n"));
    let diff = TextDiff::from_lines(&expected, &actual);
    for change in diff.iter_all_changes() {
        let text = change.value().trim_end_matches('\n');
        let text = if text.chars().count() > 200 {
            format!("{}…", text.chars().take(200).collect::<String>())
        } else {
            text.to_string()
        };
        let _ = match change.tag() {
            ChangeTag::Delete => writeln!(out, "        {}", p.red(&format!("- {text}"))),
            ChangeTag::Insert => writeln!(out, "        {}", p.green(&format!("+ {text}"))),
            ChangeTag::Equal => writeln!(out, "          {text}"),
        };
    }
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
    let mut line = format!(
        "{verdict}: {} questions, {} examples, {}: {}",
        s.questions,
        s.examples,
        count(s.claims, "claim"),
        parts.join(", ")
    );
    if !tail.is_empty() {
        line.push_str(&format!("; {}", tail.join(", ")));
    }
    line.push_str(&format!(" · {:.2} s", report.seconds));
    line
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
