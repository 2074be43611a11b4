//! Exception claims: `ValueError`, `raises IndexError`, `KeyError: 'k'`, tracebacks.

use std::sync::OnceLock;

use regex::Regex;

use super::forms::re;
use super::literal::Literals;
use super::{judge, Judgement, Options, Rule, Verdict};

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

pub fn parse_exception(text: &str) -> Option<ExceptionClaim> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(
        &RE,
        r"^(?i:(it\s+)?(raises|raise|throws|throw|->|=>)\s+(an?\s+)?)?((?:[A-Za-z_]\w*\.)*(?:[A-Z]\w*)?(?:Error|Exception|Exit|Interrupt|Iteration|Warning))\b(.*)$",
    );
    static ANY: OnceLock<Regex> = OnceLock::new();
    let any = super::forms::re(
        &ANY,
        r"(?i)^(?:(?:it\s+)?(?:raises|raise|throws|throw|->|=>)\s+(?:an?\s+)?)?(?:error|an error)!?$",
    );
    if any.is_match(text.trim()) {
        return Some(ExceptionClaim::any());
    }
    let caps = re.captures(text.trim())?;
    let led = caps.get(2).is_some();
    let name = caps[4].rsplit('.').next().unwrap_or(&caps[4]).to_string();
    let rest = caps[5].trim();
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

/// What a statement raised, as the harness saw it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Raised {
    #[serde(rename = "type")]
    pub type_name: String,
    pub message: String,
    #[serde(default)]
    pub mro: Vec<String>,
}

impl Raised {
    pub fn display(&self) -> String {
        if self.message.is_empty() {
            self.type_name.clone()
        } else {
            format!("{}: {}", self.type_name, self.message)
        }
    }
}

/// Judges an exception claim against what the statement raised.
pub fn judge_exception(
    claim: &ExceptionClaim,
    raised: Option<&Raised>,
    opts: &Options,
    lits: &dyn Literals,
) -> Judgement {
    let expected = match &claim.message {
        Some(m) => format!("{}: {m}", claim.name),
        None => claim.name.clone(),
    };
    let Some(raised) = raised else {
        return Judgement::new(Verdict::Mismatch, Some(Rule::Exception), &expected)
            .with_message(format!("expected {}; nothing was raised", claim.name));
    };
    let same = raised.type_name == claim.name || raised.mro.contains(&claim.name);
    if !same {
        return Judgement::new(Verdict::Mismatch, Some(Rule::Exception), &expected).with_message(
            format!("expected {}; {} was raised", claim.name, raised.type_name),
        );
    }
    if let Some(message) = &claim.message {
        let j = judge(message, &raised.message, opts, lits);
        if j.verdict == Verdict::Illustrative {
            return Judgement { expected, ..j };
        }
        if j.verdict != Verdict::Pass {
            return Judgement::new(Verdict::Mismatch, Some(Rule::Exception), &expected)
                .with_message(format!(
                    "{} was raised, with another message",
                    raised.type_name
                ));
        }
    }
    Judgement::pass(Rule::Exception, &expected)
}
