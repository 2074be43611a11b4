//! Texts as the judge compares them: normalized, measured, read as numbers.

use std::sync::OnceLock;

use regex::Regex;

use crate::claims::grammar::{re, strip_markers};

pub(crate) fn number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    t.replace('_', "")
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
}

pub(crate) fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Text compared line by line, ignoring trailing white space and final newlines.
pub fn normalize(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim_end_matches('\n').to_string()
}

/// An object's id (its address in CPython) differs from run to run: a large integer
/// claimed for a statement that calls `id()` can only illustrate.
pub fn is_identity_claim(statement: &str, claim: &str) -> bool {
    static ID: OnceLock<Regex> = OnceLock::new();
    let id_call = re(&ID, r"(?:^|[^\w.])id\(");
    let core = strip_markers(claim);
    id_call.is_match(statement) && core.len() >= 6 && core.bytes().all(|b| b.is_ascii_digit())
}

/// A statement whose value comes from the clock or the machine (`datetime.now()`,
/// `time.time()`, `os.getcwd()`, `sys.version`, ...): what the guide shows can only
/// illustrate it.
pub fn from_clock_or_machine(statement: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r"\b(?:now|today|utcnow)\(|\btime\.(?:time|time_ns|perf_counter|monotonic|process_time|localtime|gmtime|ctime|asctime|strftime)\b|\b(?:os\.getcwd|os\.getpid|os\.getppid|os\.cpu_count|os\.urandom|os\.getlogin|os\.uname|os\.listdir|os\.environ|Path\.cwd|Path\.home|getpass\.getuser|socket\.gethostname|uuid\.uuid[14]|sys\.version|sys\.platform|sys\.executable|sys\.path|platform\.\w+|secrets\.\w+|tempfile\.\w+)\b",
    )
    .is_match(statement)
}

/// The `similar` crate's ratio of two texts, 0 (nothing alike) to 1 (equal).
pub fn similarity(a: &str, b: &str) -> f32 {
    // A claim is short; a text many times longer than the other is not "like" it, and
    // the diff of two long texts costs more than the answer is worth.
    let (short, long) = if a.len() <= b.len() {
        (a.len(), b.len())
    } else {
        (b.len(), a.len())
    };
    if long > 4 * short + 64 || long > 4_000 {
        return 0.0;
    }
    // By words: two unrelated sentences share many letters but few words.
    similar::TextDiff::configure()
        .timeout(std::time::Duration::from_millis(20))
        .diff_words(a, b)
        .ratio()
}

pub(crate) fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// Paths name the author's machine: `/home/al/spam.txt` and `/tmp/x/spam.txt` differ
/// only in their directories. True when the two texts are equal once every absolute
/// path's directories are masked, and the claim has such a path.
pub(crate) fn same_but_paths(claim: &str, actual: &str) -> bool {
    static DIRS: OnceLock<Regex> = OnceLock::new();
    let dirs = re(
        &DIRS,
        r"(?:\b[A-Za-z]:\\|\\\\|(?:^|[\s'\x22(=])/)(?:[^\s/\\'\x22]+[/\\])+",
    );
    if !dirs.is_match(claim) {
        return false;
    }
    let mask = |t: &str| {
        dirs.replace_all(t, |c: &regex::Captures| {
            let m = &c[0];
            let lead: String = m
                .chars()
                .take_while(|ch| !matches!(ch, '/' | '\\') && !ch.is_ascii_alphabetic())
                .collect();
            format!("{lead}<dir>/")
        })
        .into_owned()
    };
    mask(claim) == mask(actual)
}
