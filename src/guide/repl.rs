//! REPL examples (`>>>` sessions): prompts removed, expected output set aside with the
//! line it stands on, so the session runs as code with guide line numbers.

use super::Block;
use crate::model::{Example, ReplExpectation};

/// A block is a REPL session when its first line of text (after any comment lines,
/// such as `# Python 3.8+`) starts with a prompt.
pub fn is_repl(lines: &[String]) -> bool {
    lines
        .iter()
        .map(|l| l.trim_start())
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l == ">>>" || l.starts_with(">>> "))
}

/// Turns a block into an example, reading a REPL session when it is one.
pub fn to_example(block: Block) -> Example {
    let skip = block.skip.or_else(|| super::first_line_skip(&block.lines));
    let requires = super::both(block.requires, super::first_lines_requirement(&block.lines));
    let lines: Vec<String> = dedent(&block.lines).into_iter().map(untypeset).collect();
    let end_line = block.line + lines.len().saturating_sub(1);
    if !is_repl(&lines) {
        return Example {
            line: block.line,
            end_line,
            code: pasted_output_as_comments(&lines),
            raw: lines,
            prompts: vec![],
            repl: vec![],
            skip,
            requires,
            saved: vec![],
            not_run: vec![],
        };
    }
    let mut code = Vec::with_capacity(lines.len());
    let mut repl: Vec<ReplExpectation> = vec![];
    let mut prompts = vec![];
    let mut statement: Option<usize> = None; // the `>>>` line whose output may follow
    let mut in_output = false;
    let mut blanks = 0; // blank lines seen inside an expected output, not yet kept
    let mut opens_block = false; // the statement so far ends with `:`: a body follows
    let mut depth = 0i32; // brackets the statement so far leaves open
    for (i, raw) in lines.iter().enumerate() {
        let line = block.line + i;
        let t = raw.trim_start();
        if let Some(rest) = prompt(t, ">>>") {
            code.push(rest.to_string());
            prompts.push(line);
            statement = Some(line);
            in_output = false;
            blanks = 0;
            opens_block = ends_with_colon(rest);
            depth = open_brackets(rest);
        } else if let (Some(rest), false, Some(_)) = (prompt(t, "..."), in_output, statement) {
            code.push(rest.to_string());
            opens_block = opens_block || ends_with_colon(rest);
            depth += open_brackets(rest);
        } else if !in_output
            && statement.is_some()
            && !t.is_empty()
            && (depth > 0 || (opens_block && raw.starts_with([' ', '\t'])))
        {
            // the rest of a statement shown without `...` prompts (as IDLE does, or
            // an author who left them out): inside open brackets, or a block's body.
            // Spaces that align it under the code after `>>> ` are not indentation.
            let line = raw.strip_prefix("    ").unwrap_or(raw);
            code.push(line.to_string());
            depth += open_brackets(raw);
        } else if t.is_empty() {
            // expected output runs to the next prompt: blank lines inside it count
            // (`help()` output) once more output follows them
            code.push(String::new());
            if in_output {
                blanks += 1;
            }
            opens_block = false;
        } else if let Some(at) = statement {
            if t.starts_with('#') && !in_output {
                code.push(t.to_string()); // `# value` under a prompt: a comment claim
                continue;
            }
            opens_block = false;
            let text = if t == "<BLANKLINE>" { "" } else { raw.as_str() };
            match repl.last_mut() {
                Some(last) if in_output && last.statement_line == at => {
                    for _ in 0..=blanks {
                        last.text.push('\n');
                    }
                    blanks = 0;
                    last.text.push_str(text);
                }
                _ => repl.push(ReplExpectation {
                    statement_line: at,
                    line,
                    text: text.to_string(),
                }),
            }
            in_output = true;
            code.push(String::new());
        } else {
            code.push(String::new()); // text outside any statement: prose in the block
        }
    }
    Example {
        line: block.line,
        end_line,
        code,
        raw: lines,
        prompts,
        repl,
        skip,
        requires,
        saved: vec![],
        not_run: vec![],
    }
}

/// Brackets a line opens minus those it closes, outside string literals and comments
/// (a line's own quotes are assumed balanced, as in a statement shown in a session).
fn open_brackets(code: &str) -> i32 {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for ch in code.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if ch == '\\' {
                    escaped = true;
                } else if ch == q {
                    quote = None;
                }
            }
            None => match ch {
                '#' => break,
                '\'' | '"' => quote = Some(ch),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                _ => {}
            },
        }
    }
    depth
}

/// Books typeset code: they mark lines with callouts (`type(1)   ①`) that the text
/// then explains, and print `−` (U+2212) for Python's minus. Circled numbers at the
/// end of a line are not code, and a typeset minus is `-` (it is never valid Python).
fn untypeset(line: String) -> String {
    let line = if line.contains('\u{2212}') {
        line.replace('\u{2212}', "-")
    } else {
        line
    };
    without_callouts(line)
}

fn without_callouts(line: String) -> String {
    let is_callout = |c: char| matches!(c, '\u{2460}'..='\u{24FF}' | '\u{2776}'..='\u{2793}');
    let trimmed = line.trim_end();
    let body = trimmed.trim_end_matches(|c: char| is_callout(c) || c == ' ' || c == '\t');
    if body.len() < trimmed.len() && trimmed.ends_with(is_callout) && body.len() < line.len() {
        body.to_string()
    } else {
        line
    }
}

/// A statement line that opens a block (`for x in y:`), its comment aside.
fn ends_with_colon(code: &str) -> bool {
    let code = code.split(" #").next().unwrap_or(code);
    code.trim_end().ends_with(':')
}

/// Plain code with the output its author pasted in without `#`: the lines under an
/// output marker (`# Output:`, `# output`) up to a blank line, and `==> value` lines,
/// become comments, so that they are claims and not code.
fn pasted_output_as_comments(lines: &[String]) -> Vec<String> {
    let mut code = Vec::with_capacity(lines.len());
    let mut pasted = false;
    for raw in lines {
        let t = raw.trim_start();
        if t.is_empty() {
            pasted = false;
            code.push(raw.clone());
        } else if pasted && t.starts_with('#') {
            pasted = false; // the author wrote the output as comments after all
            code.push(raw.clone());
        } else if pasted || t.starts_with("==> ") || t == "==>" {
            code.push(format!("# {t}"));
        } else {
            pasted = is_output_marker(t);
            code.push(raw.clone());
        }
    }
    code
}

/// `# Output:`, `# output`, `# Out:`, `# Prints:`, `# Result:` alone on their line.
fn is_output_marker(comment: &str) -> bool {
    let Some(body) = comment.strip_prefix('#') else {
        return false;
    };
    let body = body
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_ascii_lowercase();
    matches!(
        body.as_str(),
        "output" | "outputs" | "out" | "prints" | "result" | "expected output"
    )
}

fn prompt<'a>(t: &'a str, p: &str) -> Option<&'a str> {
    if t == p {
        Some("")
    } else {
        t.strip_prefix(p).and_then(|r| r.strip_prefix(' '))
    }
}

/// The lines without the indentation they all share (blank lines aside).
pub(crate) fn dedent(lines: &[String]) -> Vec<String> {
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| {
            if l.len() >= indent {
                l[indent..].to_string()
            } else {
                l.trim_start().to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str) -> Block {
        Block {
            line: 10,
            lines: text.lines().map(str::to_string).collect(),
            skip: None,
            requires: None,
        }
    }

    #[test]
    fn session_becomes_code_and_expectations() {
        let ex = to_example(block(
            ">>> 2 + 3\n5\n>>> for c in 'ab':\n...     print(c)\n...\na\nb\n>>> abs(-7)\n# 7",
        ));
        assert_eq!(
            ex.code,
            vec![
                "2 + 3",
                "",
                "for c in 'ab':",
                "    print(c)",
                "",
                "",
                "",
                "abs(-7)",
                "# 7"
            ]
        );
        assert_eq!(
            ex.repl,
            vec![
                ReplExpectation {
                    statement_line: 10,
                    line: 11,
                    text: "5".into()
                },
                ReplExpectation {
                    statement_line: 12,
                    line: 15,
                    text: "a\nb".into()
                },
            ]
        );
    }

    #[test]
    fn plain_code_is_dedented_only() {
        let ex = to_example(block("  x = 1\n  if x:\n      y = 2"));
        assert_eq!(ex.code, vec!["x = 1", "if x:", "    y = 2"]);
        assert!(ex.repl.is_empty());
        assert_eq!(ex.end_line, 12);
    }
}
