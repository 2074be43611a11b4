//! `--format github`: GitHub Actions workflow commands. Each false claim and each
//! example error becomes `::error file=…,line=…,title=…::…`, each claim not checked
//! for a reason (nothing was observed on its line) a `::warning`, each guide warning a
//! `::notice`, so that the run's findings show on the guide's lines in a pull request.
//! <https://docs.github.com/actions/reference/workflow-commands-for-github-actions>

use std::fmt::Write as _;

use super::{problem_text, Cells, ClaimReport, Report};
use crate::judge::Verdict;

/// Every annotation of the report, one line each.
pub fn render(report: &Report, strict: bool) -> String {
    render_labelled(report, strict, None)
}

/// The annotations, their titles naming the interpreter (a matrix run) when labelled.
pub fn render_labelled(report: &Report, strict: bool, label: Option<&str>) -> String {
    let mut out = String::new();
    let cells = &report.cells;
    let title = |t: String| match label {
        Some(l) => t.replacen("snipcheck:", &format!("snipcheck ({l}):"), 1),
        None => t,
    };
    for w in &report.warnings {
        let t = title("snipcheck: warning".into());
        command(&mut out, cells, "notice", &w.file, w.line, &t, &w.message);
    }
    for ex in report.questions.iter().flat_map(|q| &q.examples) {
        for e in ex.errors().filter(|_| !ex.errors_known) {
            let t = title(format!("snipcheck: {}", e.type_name));
            let mut text = e.display();
            if let Some(tb) = &e.traceback {
                text = format!("{text}\n{}", tb.trim_end());
            }
            command(
                &mut out,
                cells,
                "error",
                &ex.file,
                e.line.unwrap_or(ex.line),
                &t,
                &text,
            );
        }
        for c in ex.claims.iter().filter(|c| c.fails(strict)) {
            let t = title(claim_title(c));
            command(
                &mut out,
                cells,
                "error",
                &c.file,
                c.line,
                &t,
                &problem_text(c),
            );
        }
        for c in ex.claims.iter().filter(|c| c.unchecked_with_reason(strict)) {
            let t = title(claim_title(c));
            command(
                &mut out,
                cells,
                "warning",
                &c.file,
                c.line,
                &t,
                &problem_text(c),
            );
        }
    }
    out
}

fn claim_title(c: &ClaimReport) -> String {
    let what = match c.verdict {
        Verdict::Mismatch => "false claim",
        Verdict::NotReached => "claim not reached",
        _ => "claim not verified",
    };
    match c.rule {
        Some(rule) => format!("snipcheck: {what} [{}]", rule.name()),
        None => format!("snipcheck: {what}"),
    }
}

/// One annotation at a file line; in a notebook its title names the cell too, as the
/// annotation stands on the notebook's JSON.
fn command(
    out: &mut String,
    cells: &Cells,
    level: &str,
    file: &str,
    line: usize,
    title: &str,
    text: &str,
) {
    let title = match cells.name(file, line) {
        Some(cell) => format!("{title} ({cell})"),
        None => title.to_string(),
    };
    let _ = writeln!(
        out,
        "::{level} file={},line={line},title={}::{}",
        property(file),
        property(&title),
        data(text)
    );
}

/// A command's message: `%`, CR and LF are escaped (the runner's own rule).
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as data, and `:` and `,` too, which end a property.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_ends_a_command_or_a_property() {
        assert_eq!(data("50%\nnext\r"), "50%25%0Anext%0D");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
        let mut out = String::new();
        command(
            &mut out,
            &Cells::default(),
            "error",
            "g,1.md",
            3,
            "t: x",
            "one\ntwo",
        );
        assert_eq!(
            out,
            "::error file=g%2C1.md,line=3,title=t%3A x::one%0Atwo\n"
        );
    }
}
