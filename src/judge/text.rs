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
        r"\b(?:now|today|utcnow|globals|locals)\(|\btime\.(?:time|time_ns|perf_counter|monotonic|process_time|localtime|gmtime|ctime|asctime|strftime)\b|\b(?:os\.getcwd|os\.getpid|os\.getppid|os\.cpu_count|os\.urandom|os\.getlogin|os\.uname|os\.listdir|os\.environ|Path\.cwd|Path\.home|getpass\.getuser|socket\.gethostname|uuid\.uuid[14]|sys\.version|sys\.version_info|sys\.implementation|sys\.platform|sys\.executable|sys\.path|sys\.(?:base_|exec_)?prefix|site\.\w+|\w+\.__file__|__file__|platform\.\w+|secrets\.\w+|tempfile\.\w+)\b",
    )
    .is_match(statement)
}

fn addresses() -> &'static Regex {
    static ADDR: OnceLock<Regex> = OnceLock::new();
    re(&ADDR, r"0x[0-9a-fA-F]{4,}")
}

/// A claim that shows an address (`0x58490`, or `at 10042ed0>` without its `0x`).
pub(crate) fn claims_an_address(claim: &str) -> bool {
    static BARE: OnceLock<Regex> = OnceLock::new();
    addresses().is_match(claim) || re(&BARE, r" at [0-9a-fA-F]{6,}>").is_match(claim)
}

/// Two texts that differ only in the addresses they show.
pub(crate) fn same_but_addresses(a: &str, b: &str) -> bool {
    addresses().replace_all(a, "0x") == addresses().replace_all(b, "0x")
}

/// `<__main__.Dog object>` for `<__main__.Dog object at 0x7f..>`: a repr written
/// without its address, which no two runs share.
pub(crate) fn address_left_out(claim: &str, actual: &str) -> bool {
    static AT: OnceLock<Regex> = OnceLock::new();
    let at = re(&AT, r" at 0x[0-9a-fA-F]{4,}");
    at.is_match(actual) && !addresses().is_match(claim) && at.replace_all(actual, "") == claim
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

/// The names code binds from the clock or the machine, line by line in order:
/// `now = datetime.now()`, then `day = now.day` (each line that reads such a name binds
/// another). Given a line, whether it reads one of the names bound before it.
/// A draw from `random` before the question seeds it (`random.seed(42)`) is chance too.
#[derive(Debug, Default)]
pub struct MachineNames {
    names: std::collections::HashSet<String>,
    seeded: bool,
}

impl MachineNames {
    /// Whether `line` reads a name bound from the machine on an earlier line, or draws
    /// from an unseeded `random`; then notes what `line` itself binds.
    pub fn read(&mut self, line: &str) -> bool {
        static ASSIGN: OnceLock<Regex> = OnceLock::new();
        static WORD: OnceLock<Regex> = OnceLock::new();
        let assign = re(
            &ASSIGN,
            r"^\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=]*)?=[^=]",
        );
        let word = re(&WORD, r"[A-Za-z_]\w*");
        let (targets, value) = match assign.captures(line) {
            Some(c) => (c.get(1).map_or("", |m| m.as_str()), &line[c[0].len() - 1..]),
            None => ("", line),
        };
        let derived = word
            .find_iter(value)
            .any(|w| self.names.contains(w.as_str()) && !value[..w.start()].ends_with('.'));
        static DRAW: OnceLock<Regex> = OnceLock::new();
        let draws = re(&DRAW, r"\brandom\.(\w+)\(");
        self.seeded |= line.contains("random.seed(");
        let chance = !self.seeded && draws.captures_iter(line).any(|c| &c[1] != "seed");
        if derived || chance || from_clock_or_machine(value) {
            self.names
                .extend(word.find_iter(targets).map(|w| w.as_str().to_string()));
        } else {
            for w in word.find_iter(targets) {
                self.names.remove(w.as_str());
            }
        }
        derived || chance
    }
}

#[cfg(test)]
mod tests {
    use super::MachineNames;

    #[test]
    fn names_from_the_clock_are_followed() {
        let mut names = MachineNames::default();
        assert!(!names.read("now = datetime.now()"));
        assert!(names.read("print(now.day)"));
        assert!(names.read("stamp = now.strftime('%Y')"));
        assert!(names.read("print(stamp)"));
        assert!(
            !names.read("print(day)"),
            "an attribute named like it is not it"
        );
        assert!(!names.read("now = 5"));
        assert!(!names.read("print(now)"), "rebound from a constant");
        assert!(!names.read("x == now"));
        assert!(names.read("random.sample(colors, 2)"), "an unseeded draw");
        assert!(!names.read("random.seed(42)"));
        assert!(
            !names.read("print(random.randint(1, 100))"),
            "seeded: the same every run"
        );
    }
}
