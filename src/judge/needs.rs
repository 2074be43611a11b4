//! What a claim's example needed that this run did not have (docs/claims.md, "Could
//! not check"): a module that is not installed, a file the guide does not make, input
//! from a person. A claim that depends on one is not false; it could not be checked.

use std::sync::OnceLock;

use regex::Regex;

use crate::claims::grammar::re;

/// What an error says was missing: `ModuleNotFoundError: No module named 'stock'`,
/// `FileNotFoundError: ... 'data.csv'`, `EOFError` from `input()`.
pub fn from_error(error: &str) -> Option<String> {
    static QUOTED: OnceLock<Regex> = OnceLock::new();
    let quoted = re(&QUOTED, r"'([^']+)'\s*$");
    let (kind, message) = error.split_once(": ").unwrap_or((error, ""));
    let name = || quoted.captures(message).map(|c| c[1].to_string());
    match kind.trim() {
        "ModuleNotFoundError" => {
            name().map(|m| format!("the module '{m}', which is not installed here"))
        }
        "FileNotFoundError" => {
            name().map(|f| format!("the file '{f}', which the guide does not make"))
        }
        "EOFError" => Some("input from a person (input() read an empty stdin)".to_string()),
        _ => None,
    }
}

/// A file a statement looks at (`os.path.exists('hello.txt')`, `open('data.csv')`)
/// that no earlier line of the question names, so the guide does not make it: what
/// the statement shows depends on the author's machine.
pub fn missing_file(statement: &str, earlier: &str) -> Option<String> {
    static LOOKS: OnceLock<Regex> = OnceLock::new();
    static FILE: OnceLock<Regex> = OnceLock::new();
    let looks = re(
        &LOOKS,
        r"\b(?:exists|isfile|isdir|getsize|getmtime|open|read_text|read_bytes|stat|listdir|is_file|is_dir)\(",
    );
    let file = re(
        &FILE,
        r#"['"]((?:[\w.-]+/)*[\w-]+\.(?:txt|csv|json|py|log|dat|xml|html?|md|ini|cfg|conf|toml|yaml|yml|db|sqlite3?|pkl|pickle|png|jpe?g|gif|gz|zip|bin|pdf|tsv))['"]"#,
    );
    if !looks.is_match(statement) {
        return None;
    }
    file.captures_iter(statement)
        .map(|c| c[1].to_string())
        .find(|f| !earlier.contains(f.as_str()))
        .map(|f| format!("the file '{f}', which the guide does not make"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_an_error_says_was_missing() {
        let rows: &[(&str, Option<&str>)] = &[
            (
                "ModuleNotFoundError: No module named 'stock'",
                Some("the module 'stock', which is not installed here"),
            ),
            (
                "FileNotFoundError: [Errno 2] No such file or directory: 'data.csv'",
                Some("the file 'data.csv', which the guide does not make"),
            ),
            (
                "EOFError: EOF when reading a line",
                Some("input from a person (input() read an empty stdin)"),
            ),
            ("KeyError: 'b'", None),
            ("NameError: name 'x' is not defined", None),
        ];
        for (error, want) in rows {
            assert_eq!(from_error(error).as_deref(), *want, "{error}");
        }
    }

    #[test]
    fn a_file_the_guide_does_not_make() {
        assert!(missing_file("os.path.exists('hello.txt')", "import os").is_some());
        assert!(
            missing_file(
                "os.path.exists('hello.txt')",
                "open('hello.txt', 'w').write('x')"
            )
            .is_none(),
            "the guide wrote it earlier"
        );
        assert!(
            missing_file("print('hello.txt')", "").is_none(),
            "a name, not a look at a file"
        );
        assert!(
            missing_file("len(open(path).read())", "").is_none(),
            "no literal"
        );
    }
}
