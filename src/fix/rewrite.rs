//! What a false claim could be rewritten to, best first: the author's form (marker,
//! remark, precision and layout kept) before plainer ones. The planner keeps the first
//! that reads back as a claim that holds (see `verify`).

use crate::claims::grammar::{approximate, starts_with_colon_marker};
use crate::claims::{parse_exception, Candidate, Form, Kind, Literals};
use crate::judge::text::number;
use crate::report::ClaimReport;

use super::anatomy::{exception_parts, value_parts};
use super::approx;
use super::layout::compose;
use super::locate::{locate, Slot};
use super::source::{Edit, Source};
use crate::claims::is_traceback;

/// A false claim found in the guide: its form and where each of its lines stands.
#[derive(Debug)]
pub struct Target<'a> {
    pub claim: &'a ClaimReport,
    /// Its statement raised: the actual result is the exception (`Type: message`).
    pub raised: bool,
    /// The fix may claim an exception nobody claimed. Not in a question that ran
    /// after others for their names: the run that follows a rerun is only repeated
    /// while the `NameError` that called for it stays unclaimed.
    pub may_claim_raise: bool,
    pub form: Form,
    /// The claim's text, line by line, as the claim reader saw it.
    pub texts: Vec<String>,
    pub slots: Vec<Slot>,
}

/// What a rewrite needs besides the claim.
pub struct Ctx<'a> {
    pub lits: &'a dyn Literals,
    /// The run's tolerance for `~N` claims.
    pub tolerance: f64,
    pub html: bool,
}

/// The claim's lines from `from` to `to` (indexes into its text lines) replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct Replace {
    pub from: usize,
    pub to: usize,
    pub lines: Vec<String>,
}

/// The claim, located in the guide; `None` when its text is not where it should be.
pub fn target<'a>(
    claim: &'a ClaimReport,
    (raised, may_claim_raise): (bool, bool),
    cand: &Candidate,
    src: &Source,
    html: bool,
) -> Option<Target<'a>> {
    if cand.text.trim().is_empty() {
        return None; // a marker with nothing under it: nothing to rewrite in place
    }
    let texts: Vec<String> = cand.text.split('\n').map(str::to_string).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    // an output block's lines stand under its `# Output:` line; a one-line
    // `# Output: 5` with no code above it is its own text
    let firsts = match cand.form {
        Form::Block if starts_with_colon_marker(&texts[0]) => [cand.line, cand.line + 1],
        Form::Block => [cand.line + 1, cand.line],
        _ => [cand.line, cand.line],
    };
    let slots = firsts
        .iter()
        .find_map(|&first| locate(src, first, &refs, html))?;
    Some(Target {
        claim,
        raised,
        may_claim_raise,
        form: cand.form.clone(),
        texts,
        slots,
    })
}

/// The edits that would fix the claim, best first.
pub fn options(t: &Target, src: &Source, ctx: &Ctx) -> Vec<Edit> {
    let mut out: Vec<Edit> = vec![];
    for r in replacements(t, ctx) {
        let unchanged = r.lines.len() == r.to - r.from
            && r.lines
                .iter()
                .zip(&t.texts[r.from..r.to])
                .all(|(a, b)| a == b);
        if unchanged {
            continue;
        }
        if let Some(e) = compose(t, src, &r, ctx.html) {
            if !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}

fn replacements(t: &Target, ctx: &Ctx) -> Vec<Replace> {
    let actual = t.claim.actual.as_deref().unwrap_or("");
    let lines: Vec<String> = actual.split('\n').map(str::to_string).collect();
    let n = t.texts.len();
    let whole = |lines: Vec<String>| Replace {
        from: 0,
        to: n,
        lines,
    };
    if is_traceback(&t.claim.text) {
        return traceback(t, actual);
    }
    let own_line = t.slots[0].line != t.claim.line; // lines under a `# Output:` marker
    match t.form {
        Form::Repl { .. } if t.raised => {
            let mut out = vec![];
            if let Some(p) = exception_parts(&t.claim.text).filter(|_| n == 1) {
                // the author wrote the exception's line alone: so does the fix
                out.push(whole(vec![p.rewrite(actual)]));
            } else if t.may_claim_raise && lines.len() == 1 && parse_exception(actual).is_some() {
                // what a session shows when the statement raises
                let tb = ["Traceback (most recent call last):", "  ...", actual];
                out.push(whole(tb.iter().map(|s| s.to_string()).collect()));
            }
            out.push(whole(lines));
            out
        }
        Form::Repl { .. } if n > 1 => vec![whole(lines)],
        Form::Block if own_line => vec![whole(lines)],
        _ if n > 1 => {
            // value lines that follow each other under a statement: keep the marker
            // of the first
            let body = &t.texts[0];
            let marker = &body[..value_parts(body, ctx.lits).marker];
            let mut first = lines.clone();
            first[0] = format!("{marker}{}", first[0]);
            let mut out = vec![whole(first)];
            if let Some(j) = joined(&lines) {
                out.push(whole(vec![format!("{marker}{j}")]));
            }
            out
        }
        _ => one_line(t, &lines, actual, ctx)
            .into_iter()
            .map(whole)
            .collect(),
    }
}

/// A traceback claims the exception of its last line; only that line changes.
fn traceback(t: &Target, actual: &str) -> Vec<Replace> {
    let last = t
        .texts
        .iter()
        .rposition(|l| !l.starts_with(char::is_whitespace) && !l.trim().is_empty());
    let (Some(k), Some(raised)) = (last.filter(|&k| k > 0), actual.lines().last()) else {
        return vec![]; // cut off before its last line: it claims any exception
    };
    let mut out = vec![];
    if let Some(p) = exception_parts(&t.texts[k]) {
        out.push(p.rewrite(raised));
    }
    out.push(raised.to_string());
    out.into_iter()
        .map(|line| Replace {
            from: k,
            to: k + 1,
            lines: vec![line],
        })
        .collect()
}

/// Rewrites of a claim written on one line: each a list of lines.
fn one_line(t: &Target, lines: &[String], actual: &str, ctx: &Ctx) -> Vec<Vec<String>> {
    let body = t.texts[0].as_str();
    let mut out: Vec<Vec<String>> = vec![];
    if t.claim.kind == Kind::Exception && lines.len() == 1 {
        if let Some(p) = exception_parts(body) {
            out.push(vec![p.rewrite(actual)]);
        }
    }
    let parts = value_parts(body, ctx.lits);
    let marker = &body[..parts.marker];
    if lines.len() == 1 {
        let core = styled(parts.core(body), actual, ctx);
        let remark = parts.tail(body).trim();
        // a remark the output itself ends with was output, not a remark
        if remark.is_empty() || !actual.trim_end().ends_with(remark) {
            out.push(vec![parts.with_core(body, &core)]);
        }
        out.push(vec![parts.with_core_only(body, actual)]);
        return out;
    }
    if !matches!(t.form, Form::Trailing) {
        let mut many = lines.to_vec();
        many[0] = format!("{marker}{}", many[0]);
        out.push(many);
    }
    if let Some(j) = joined(lines) {
        // one line for several: what the `whitespace` rule reads back
        out.push(vec![parts.with_core(body, &j)]);
        out.push(vec![parts.with_core_only(body, &j)]);
    }
    out
}

/// Lines of output on one line, when none is blank or indented.
fn joined(lines: &[String]) -> Option<String> {
    lines
        .iter()
        .all(|l| !l.trim().is_empty() && !l.starts_with(char::is_whitespace))
        .then(|| lines.join(" "))
}

/// The actual value written the author's way: an approximate claim keeps its `~` and
/// its precision, a double-quoted string stays double-quoted.
fn styled(core: &str, actual: &str, ctx: &Ctx) -> String {
    if approximate(core).is_some() {
        if let Some(s) = number(actual).and_then(|n| approx::restyle(core, n, ctx.tolerance)) {
            return s;
        }
    }
    let inner = actual
        .strip_prefix('\'')
        .and_then(|a| a.strip_suffix('\''))
        .filter(|i| !i.contains(['"', '\'', '\\']));
    match inner {
        Some(i) if core.len() >= 2 && core.starts_with('"') && core.ends_with('"') => {
            format!("\"{i}\"")
        }
        _ => actual.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::tests::python;
    use crate::judge::Verdict;

    fn claim(line: usize, kind: Kind, text: &str, actual: &str) -> ClaimReport {
        ClaimReport {
            file: "guide.md".into(),
            line,
            kind,
            text: text.into(),
            expected: String::new(),
            actual: Some(actual.into()),
            verdict: Verdict::Mismatch,
            rule: None,
            message: None,
            notes: vec![],
            known: false,
            source: String::new(),
        }
    }

    /// The guide lines of each option, first option first.
    fn fixes(guide: &str, c: &ClaimReport, form: Form, html: bool) -> Vec<Vec<String>> {
        let src = Source::parse(guide);
        let cand = Candidate {
            line: c.line,
            text: c.text.clone(),
            form,
        };
        let raised = c.message.is_some();
        let t = target(c, (raised, true), &cand, &src, html).expect("the claim is found");
        let ctx = Ctx {
            lits: python(),
            tolerance: 0.25,
            html,
        };
        options(&t, &src, &ctx)
            .into_iter()
            .map(|e| {
                let fixed = src.apply(&[e]).text();
                fixed.lines().map(str::to_string).collect()
            })
            .collect()
    }

    const REPL: Form = Form::Repl { statement_line: 1 };

    #[test]
    fn an_indented_session_grows_with_its_indentation() {
        let guide = "   >>> for i in range(3):\n   ...     print(i)\n   0\n   1\n";
        let c = claim(3, Kind::Repl, "0\n1", "0\n1\n2");
        let first = &fixes(guide, &c, REPL, false)[0];
        assert_eq!(first[2..], ["   0", "   1", "   2"]);
    }

    #[test]
    fn markup_after_the_last_line_moves_to_the_new_last_line() {
        let guide = "<pre>&gt;&gt;&gt; f()\n1</pre>\n";
        let c = claim(2, Kind::Repl, "1", "1\n<2>");
        assert_eq!(
            fixes(guide, &c, REPL, true)[0][1..],
            ["1", "&lt;2&gt;</pre>"]
        );
    }

    #[test]
    fn code_before_a_comment_is_never_repeated() {
        let guide = "print(1, 2, sep='\\n')  # 1 2\n";
        let c = claim(1, Kind::Output, "1 2", "1\n3");
        let all = fixes(guide, &c, Form::Trailing, false);
        assert_eq!(all[0], ["print(1, 2, sep='\\n')  # 1 3"]);
        assert!(all.iter().all(|lines| lines.len() == 1), "{all:?}");
    }

    #[test]
    fn blank_lines_of_a_session_keep_their_form() {
        let guide = ">>> f()\na\n<BLANKLINE>\nb\n";
        let c = claim(2, Kind::Repl, "a\n\nb", "a\n\nc");
        assert_eq!(
            fixes(guide, &c, REPL, false)[0][1..],
            ["a", "<BLANKLINE>", "c"]
        );
    }

    #[test]
    fn an_output_block_s_lines_stand_under_its_marker() {
        let guide = "f()\n# Output:\n# 1\n#\n# 3\n";
        let c = claim(2, Kind::OutputBlock, "1\n\n3", "1\n\n4\n5");
        let first = &fixes(guide, &c, Form::Block, false)[0];
        assert_eq!(first[1..], ["# Output:", "# 1", "#", "# 4", "# 5"]);
    }

    #[test]
    fn a_traceback_changes_only_its_last_line() {
        let guide = ">>> 1 / 0\nTraceback (most recent call last):\n  File \"<stdin>\", line 1\nValueError: no\n";
        let text = "Traceback (most recent call last):\n  File \"<stdin>\", line 1\nValueError: no";
        let c = claim(
            2,
            Kind::Exception,
            text,
            "ZeroDivisionError: division by zero",
        );
        let first = &fixes(guide, &c, REPL, false)[0];
        assert_eq!(first[1..3], guide.lines().collect::<Vec<_>>()[1..3]);
        assert_eq!(first[3], "ZeroDivisionError: division by zero");
    }

    #[test]
    fn a_statement_that_raised_in_a_session_shows_a_traceback() {
        let guide = ">>> {}['k']\n0\n";
        let mut c = claim(2, Kind::Repl, "0", "KeyError: 'k'");
        c.message = Some("the line raised KeyError: 'k'".into());
        let all = fixes(guide, &c, REPL, false);
        assert_eq!(
            all[0][1..],
            [
                "Traceback (most recent call last):",
                "  ...",
                "KeyError: 'k'"
            ]
        );
        assert_eq!(all[1][1..], ["KeyError: 'k'"], "then the plain line");
    }

    #[test]
    fn no_traceback_where_claiming_the_exception_would_change_the_run() {
        let src = Source::parse(">>> f()\n2\n");
        let mut c = claim(2, Kind::Repl, "2", "NameError: name 'f' is not defined");
        c.message = Some("the line raised NameError".into());
        let cand = Candidate {
            line: 2,
            text: "2".into(),
            form: REPL,
        };
        let t = target(&c, (true, false), &cand, &src, false).unwrap();
        let ctx = Ctx {
            lits: python(),
            tolerance: 0.25,
            html: false,
        };
        let all = options(&t, &src, &ctx);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].new, ["NameError: name 'f' is not defined"]);
    }

    #[test]
    fn an_exception_written_alone_in_a_session_stays_alone() {
        let guide = ">>> float('x')\nValueError: bad\n";
        let mut c = claim(
            2,
            Kind::Repl,
            "ValueError: bad",
            "ValueError: could not convert",
        );
        c.message = Some("the line raised ValueError".into());
        let all = fixes(guide, &c, REPL, false);
        assert_eq!(all[0][1..], ["ValueError: could not convert"]);
        assert_eq!(all.len(), 1, "no traceback is added: {all:?}");
    }

    #[test]
    fn a_syntax_error_traceback_changes_only_its_last_line() {
        let guide =
            ">>> (a, b = 1, 2)\n  File \"<stdin>\", line 1\n    ^\nSyntaxError: invalid syntax\n";
        let text = "  File \"<stdin>\", line 1\n    ^\nSyntaxError: invalid syntax";
        let c = claim(
            2,
            Kind::Exception,
            text,
            "SyntaxError: invalid syntax. Maybe",
        );
        let first = &fixes(guide, &c, REPL, false)[0];
        assert_eq!(first.len(), 4, "{first:?}");
        assert_eq!(first[3], "SyntaxError: invalid syntax. Maybe");
    }

    #[test]
    fn a_double_quoted_string_stays_double_quoted() {
        let guide = "'ab'.upper()  # \"Ab\"\n";
        let c = claim(1, Kind::Value, "\"Ab\"", "'AB'");
        assert_eq!(
            fixes(guide, &c, Form::Trailing, false)[0],
            ["'ab'.upper()  # \"AB\""]
        );
    }

    #[test]
    fn a_claim_not_where_the_reader_put_it_is_not_a_target() {
        let src = Source::parse("x = 1\n# 2\n");
        let c = claim(2, Kind::State, "3", "1");
        let cand = Candidate {
            line: 2,
            text: "3".into(),
            form: Form::NextLine { after: 1 },
        };
        assert!(target(&c, (false, true), &cand, &src, false).is_none());
    }
}
