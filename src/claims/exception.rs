//! Exception claims: `ValueError`, `raises IndexError`, `KeyError: 'k'`, `# Error`.

use std::sync::OnceLock;

use regex::Regex;

use super::grammar::re;

/// An exception named by a claim: `ValueError`, `raises IndexError`, `KeyError: 'k'`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExceptionClaim {
    pub name: String,
    pub message: Option<String>,
}

impl ExceptionClaim {
    /// `# Error`, `# Exception`, or a traceback whose last line is cut off: some
    /// exception, whichever.
    pub fn any() -> Self {
        ExceptionClaim {
            name: "Exception".into(),
            message: None,
        }
    }
}

/// A claim that names an exception, in parts: 1 what leads it (`raises `, `=> `), 2 an
/// article, 3 the name, 4 what follows (`: message`, a remark). An article with no
/// verb before it (`a ValueError`) is prose: every caller refuses that match. The
/// fixer rewrites claims by these same parts.
pub fn exception_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r"^((?i:(?:it\s+)?(?:raises|raise|throws|throw|->|=>)\s+))?((?i:an?\s+))?((?:[A-Za-z_]\w*\.)*(?:[A-Z]\w*)?(?:Error|Exception|Exit|Interrupt|Iteration|Warning))\b(.*)$",
    )
}

pub fn parse_exception(text: &str) -> Option<ExceptionClaim> {
    static ANY: OnceLock<Regex> = OnceLock::new();
    let any = re(
        &ANY,
        r"(?i)^(?:(?:it\s+)?(?:raises|raise|throws|throw|->|=>)\s+(?:an?\s+)?)?(?:error|an error)!?$",
    );
    if any.is_match(text.trim()) {
        return Some(ExceptionClaim::any());
    }
    let caps = exception_pattern().captures(text.trim())?;
    let led = caps.get(1).is_some();
    if caps.get(2).is_some() && !led {
        return None;
    }
    // `Raise a TypeError, this is a string`: an instruction (what code should do), not
    // what it does, unlike `raises a TypeError` or code-like `raise TypeError`
    let verb = caps
        .get(1)
        .map_or("", |m| m.as_str())
        .trim()
        .to_ascii_lowercase();
    if caps.get(2).is_some() && matches!(verb.as_str(), "raise" | "throw") {
        return None;
    }
    let name = caps[3].rsplit('.').next().unwrap_or(&caps[3]).to_string();
    let rest = caps[4].trim();
    if let Some(message) = rest.strip_prefix(':') {
        let message = message.trim();
        return Some(ExceptionClaim {
            name,
            message: (!message.is_empty()).then(|| message.to_string()),
        });
    }
    let remark =
        rest.is_empty() || rest.starts_with('(') || rest.starts_with('-') || rest.starts_with('—');
    (led || remark).then_some(ExceptionClaim {
        name,
        message: None,
    })
}
