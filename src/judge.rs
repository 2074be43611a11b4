//! Observation x claim -> verdict: the rules of CLAIMS.md section 4, tried in order.
//!
//! Everything here is a pure function of the claim text and the actual text; what a
//! Python literal is comes from CPython's own parser through [`Literals`].

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

/// A Python literal, read by CPython's parser, in source order.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    None,
    Bool(bool),
    Int(String),
    Float(String),
    Complex(String),
    Str(String),
    Bytes(String),
    List(Vec<Lit>),
    Tuple(Vec<Lit>),
    Set(Vec<Lit>),
    Dict(Vec<(Lit, Lit)>),
}

impl Lit {
    /// Reads the harness's tagged JSON (`["int", "5"]`, `["list", [...]]`, ...).
    pub fn from_json(v: &serde_json::Value) -> Option<Lit> {
        let arr = v.as_array()?;
        let tag = arr.first()?.as_str()?;
        let arg = arr.get(1);
        let text = || arg.and_then(|a| a.as_str()).map(str::to_string);
        let items =
            || -> Option<Vec<Lit>> { arg?.as_array()?.iter().map(Lit::from_json).collect() };
        Some(match tag {
            "None" => Lit::None,
            "bool" => Lit::Bool(arg?.as_bool()?),
            "int" => Lit::Int(text()?),
            "float" => Lit::Float(text()?),
            "complex" => Lit::Complex(text()?),
            "str" => Lit::Str(text()?),
            "bytes" => Lit::Bytes(text()?),
            "list" => Lit::List(items()?),
            "tuple" => Lit::Tuple(items()?),
            "set" => Lit::Set(items()?),
            "dict" => Lit::Dict(
                arg?.as_array()?
                    .iter()
                    .map(|pair| {
                        let p = pair.as_array()?;
                        Some((Lit::from_json(p.first()?)?, Lit::from_json(p.get(1)?)?))
                    })
                    .collect::<Option<Vec<_>>>()?,
            ),
            _ => return None,
        })
    }

    /// A key equal for two literals exactly when they are equal with the same types all
    /// the way down; `ordered` false ignores the order of sets and dicts.
    fn key(&self, ordered: bool) -> String {
        self.key_with(ordered, false)
    }

    /// `numbers` true reads ints, floats and bools as numbers, ignoring their types.
    fn key_with(&self, ordered: bool, numbers: bool) -> String {
        let seq = |tag: &str, items: &[Lit], sort: bool| {
            let mut keys: Vec<String> =
                items.iter().map(|i| i.key_with(ordered, numbers)).collect();
            if sort {
                keys.sort();
            }
            format!("{tag}[{}]", keys.join(","))
        };
        if numbers {
            let n = match self {
                Lit::Int(s) | Lit::Float(s) => s.parse::<f64>().ok(),
                Lit::Bool(b) => Some(f64::from(u8::from(*b))),
                _ => None,
            };
            if let Some(n) = n {
                return format!("n{n}");
            }
        }
        match self {
            Lit::None => "N".into(),
            Lit::Bool(b) => format!("b{b}"),
            Lit::Int(s) => format!("i{s}"),
            Lit::Float(s) => format!("f{s}"),
            Lit::Complex(s) => format!("c{s}"),
            Lit::Str(s) => format!("s{s:?}"),
            Lit::Bytes(s) => format!("y{s:?}"),
            Lit::List(v) => seq("L", v, false),
            Lit::Tuple(v) => seq("T", v, false),
            Lit::Set(v) => seq("S", v, !ordered),
            Lit::Dict(pairs) => {
                let mut keys: Vec<String> = pairs
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "{}:{}",
                            k.key_with(ordered, numbers),
                            v.key_with(ordered, numbers)
                        )
                    })
                    .collect();
                if !ordered {
                    keys.sort();
                }
                format!("D[{}]", keys.join(","))
            }
        }
    }
}

/// Where literals come from: CPython's parser in the product, anything in a fuzz target.
pub trait Literals {
    fn literal(&self, text: &str) -> Option<Lit>;
}

impl Literals for crate::python::Interpreter {
    fn literal(&self, text: &str) -> Option<Lit> {
        crate::python::Interpreter::literal(self, text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    Mismatch,
    Unverified,
    Illustrative,
    NotReached,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    Exact,
    Masked,
    Annotation,
    Approximate,
    Value,
    Quotes,
    Label,
    Whitespace,
    Exception,
}

impl Rule {
    pub fn name(self) -> &'static str {
        match self {
            Rule::Exact => "exact",
            Rule::Masked => "masked",
            Rule::Annotation => "annotation",
            Rule::Approximate => "approximate",
            Rule::Value => "value",
            Rule::Quotes => "quotes",
            Rule::Label => "label",
            Rule::Whitespace => "whitespace",
            Rule::Exception => "exception",
        }
    }
}

/// The outcome for one claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub verdict: Verdict,
    pub rule: Option<Rule>,
    /// The claim's core: markers stripped, remark removed.
    pub expected: String,
    pub message: Option<String>,
    pub notes: Vec<String>,
}

impl Judgement {
    fn new(verdict: Verdict, rule: Option<Rule>, expected: &str) -> Self {
        Judgement {
            verdict,
            rule,
            expected: expected.to_string(),
            message: None,
            notes: vec![],
        }
    }
    fn pass(rule: Rule, expected: &str) -> Self {
        Self::new(Verdict::Pass, Some(rule), expected)
    }
    fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Relative tolerance of `~N` claims.
    pub tolerance: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options { tolerance: 0.25 }
    }
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("a valid built-in pattern"))
}

/// The claim text with its output marker removed (`Output:`, `=>`, `returns`, ...).
pub fn strip_markers(text: &str) -> &str {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(
        &RE,
        r"(?i)^\s*(?:outputs?\s*:|out\s*:|prints?\s*:|result\s*:|returns?\s*:?|prints\b|=>|->|#>|>)\s*",
    );
    let mut t = text.trim();
    while let Some(m) = re.find(t) {
        if m.end() == 0 {
            break;
        }
        t = t[m.end()..].trim();
    }
    t
}

/// A marker that stands alone on its line and opens an output block (`# Output:`).
pub fn is_block_marker(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r"(?i)^(?:outputs?|out|prints?|result|expected output)\s*:$",
    )
    .is_match(text.trim())
}

/// A marker ending in a colon at the start of the text (`Output: 5`).
pub fn starts_with_colon_marker(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"(?i)^(?:outputs?|out|prints?|result)\s*:").is_match(text.trim())
}

/// The guide itself says the value is only an example.
pub fn is_illustrative(text: &str) -> bool {
    static WORDS: OnceLock<Regex> = OnceLock::new();
    static TIME: OnceLock<Regex> = OnceLock::new();
    let words = re(
        &WORDS,
        r"(?i)^(?:e\.\s?g\.?|eg\.|for example|for instance|something like|might be|may be|could be|varies|random)",
    );
    let time = re(
        &TIME,
        r"(?i)(?:^|[\s~≈(])\d+(?:\.\d+)?\s*(?:s|ms|µs|us|ns|sec|secs|seconds?|minutes?|mins?|hours?)(?:$|[\s).,;])",
    );
    words.is_match(text.trim()) || time.is_match(text.trim())
}

/// Four or more words, mostly plain ones: an explanation rather than a value.
/// Also prose: a comment that opens with a connective (`or s1 | s2`, `same as x`),
/// which points elsewhere rather than stating a result.
pub fn reads_as_prose(text: &str) -> bool {
    static CONNECTIVE: OnceLock<Regex> = OnceLock::new();
    let connective = re(
        &CONNECTIVE,
        r"(?i)^(?:or|and|same as|equivalent to|equivalently|i\.e\.|see|note:|alternatively|also|aka|versus|vs\.?)\s+\S",
    );
    let words: Vec<&str> = text.split_whitespace().collect();
    connective.is_match(text.trim()) || (words.len() >= 4 && plain_share(&words) * 2 > words.len())
}

/// How many of the words are plain English words.
fn plain_share(words: &[&str]) -> usize {
    static WORD: OnceLock<Regex> = OnceLock::new();
    let word = re(&WORD, r"^[A-Za-z][A-Za-z'’-]*[.,;:!?]?$");
    words.iter().filter(|w| word.is_match(w)).count()
}

/// Reads as a value: a Python literal, a repr shape, or an approximate number.
pub fn is_value_like(text: &str, lits: &dyn Literals) -> bool {
    let t = text.trim();
    !t.is_empty() && (lits.literal(t).is_some() || is_repr_shape(t) || approximate(t).is_some())
}

/// `<class 'int'>`, `<generator object ...>`, or a constructor call such as
/// `date(2020, 1, 2)` or `Point(x=1, y=2)`.
fn is_repr_shape(t: &str) -> bool {
    static CALL: OnceLock<Regex> = OnceLock::new();
    let call = re(&CALL, r"^[A-Za-z_][\w.]*\(.*\)$");
    (t.starts_with('<') && t.ends_with('>') && t.len() > 2) || call.is_match(t)
}

/// `~N`, `≈N`, `about N`, ... : the number N.
pub fn approximate(core: &str) -> Option<f64> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(
        &RE,
        r"(?i)^(?:~|≈|about|approx\.?|approximately|around|roughly)\s*([-+]?\d[\d_,]*(?:\.\d+)?(?:e[-+]?\d+)?)$",
    );
    let caps = re.captures(core.trim())?;
    caps[1].replace(['_', ','], "").parse().ok()
}

fn number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    t.replace('_', "")
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
}

fn fmt_num(n: f64) -> String {
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

/// Ways to split a claim into a core and a remark, most specific first.
pub fn split_remark(text: &str, lits: &dyn Literals) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![];
    let mut push = |core: &str, remark: &str| {
        let (core, remark) = (core.trim(), remark.trim());
        if !core.is_empty() && !remark.is_empty() && !out.iter().any(|(c, _)| c == core) {
            out.push((core.to_string(), remark.to_string()));
        }
    };
    if let Some(i) = text.find(" #").or_else(|| text.find("\t#")) {
        push(&text[..i], text[i..].trim_start().trim_start_matches('#'));
    }
    for sep in [" — ", " – ", " -- ", " - ", "; ", ", because", "<-", " ← "] {
        if let Some(i) = text.find(sep) {
            push(&text[..i], &text[i + sep.len()..]);
        }
    }
    // `True, a and b refer to the same object`: a value, a comma, then words
    for (i, _) in text.match_indices(", ") {
        let (core, rest) = (&text[..i], &text[i + 2..]);
        let words: Vec<&str> = rest.split_whitespace().collect();
        if !words.is_empty() && plain_share(&words) * 2 >= words.len() && is_value_like(core, lits)
        {
            push(core, rest);
            break;
        }
    }
    if let Some(core) = text.strip_suffix(')') {
        // the last balanced " (...)" at the end
        let mut depth = 0i32;
        for (i, c) in core.char_indices().rev() {
            match c {
                ')' => depth += 1,
                '(' if depth == 0 => {
                    if core[..i].ends_with(' ') {
                        push(&core[..i], &core[i + 1..]);
                    }
                    break;
                }
                '(' => depth -= 1,
                _ => {}
            }
        }
    }
    static WORD: OnceLock<Regex> = OnceLock::new();
    let word = re(&WORD, r"^[A-Za-z][A-Za-z'’-]*[.,;:!?]?$");
    let words: Vec<&str> = text.split_whitespace().collect();
    for k in (1..words.len()).rev() {
        if words[k..].iter().all(|w| word.is_match(w)) {
            let core = words[..k].join(" ");
            if is_value_like(&core, lits) {
                push(&core, &words[k..].join(" "));
                break;
            }
        } else {
            break;
        }
    }
    out
}

/// Part of rule 2: a repr written with the imported name, `date(2020, 1, 2)` for
/// `datetime.date(2020, 1, 2)`.
fn without_module_prefixes(text: &str) -> std::borrow::Cow<'_, str> {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"\b(?:[a-z_][a-z0-9_]*\.)+([A-Za-z_]\w*\()").replace_all(text, "$1")
}

/// Rule 2: `...`/`…` match any text and memory addresses match any address.
fn masked(claim: &str, actual: &str) -> bool {
    let bare = without_module_prefixes(actual);
    if bare != actual && (claim == bare || masked_exactly(claim, &bare)) {
        return true;
    }
    masked_exactly(claim, actual)
}

fn masked_exactly(claim: &str, actual: &str) -> bool {
    static ADDR: OnceLock<Regex> = OnceLock::new();
    let addr = re(&ADDR, r"0x[0-9a-fA-F]{4,}");
    let has_ellipsis = claim.contains("...") || claim.contains('…');
    if !has_ellipsis && !addr.is_match(claim) {
        return false;
    }
    let mut pattern = String::from("(?s)^");
    for (i, piece) in claim.split("...").flat_map(|p| p.split('…')).enumerate() {
        if i > 0 {
            pattern.push_str(".*?");
        }
        let mut last = 0;
        for m in addr.find_iter(piece) {
            pattern.push_str(&regex::escape(&piece[last..m.start()]));
            pattern.push_str("0x[0-9a-fA-F]+");
            last = m.end();
        }
        pattern.push_str(&regex::escape(&piece[last..]));
    }
    pattern.push('$');
    regex::RegexBuilder::new(&pattern)
        .size_limit(1 << 22)
        .build()
        .map(|r| r.is_match(actual))
        .unwrap_or(false)
}

/// Rule 5: both sides are literals, equal with the same types all the way down.
fn value(claim: &str, actual: &str, lits: &dyn Literals) -> Option<Vec<String>> {
    if actual.len() > 200_000 {
        return None;
    }
    let (c, a) = (lits.literal(claim)?, lits.literal(actual)?);
    if c.key(false) != a.key(false) {
        return None;
    }
    let mut notes = vec![];
    if c.key(true) != a.key(true) {
        notes.push("only the order differs".to_string());
    }
    if claim.trim() != actual.trim() {
        if claim.replace('"', "'") == actual.replace('"', "'") {
            notes.push("quote style differs".to_string());
        } else if notes.is_empty() {
            notes.push("written differently".to_string());
        }
    }
    Some(notes)
}

/// Rule 8, also reading `a, then b` and `a, b` as successive lines.
fn whitespace(claim: &str, actual: &str) -> bool {
    if !actual.contains('\n') || claim.contains('\n') {
        return false;
    }
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    if squash(actual) == squash(claim) {
        return true;
    }
    static SEP: OnceLock<Regex> = OnceLock::new();
    let sep = re(&SEP, r",\s*then\s+|\s+then\s+|,\s+");
    let items: Vec<String> = sep.split(claim).map(squash).collect();
    let lines: Vec<String> = actual
        .lines()
        .map(squash)
        .filter(|l| !l.is_empty())
        .collect();
    items.len() > 1 && items == lines
}

fn approximate_verdict(n: f64, core: &str, actual: &str, opts: &Options) -> Judgement {
    let (lo, hi) = (
        n - (n * opts.tolerance).abs(),
        n + (n * opts.tolerance).abs(),
    );
    match number(actual) {
        Some(a) if a >= lo && a <= hi => Judgement::pass(Rule::Approximate, core),
        Some(a) => {
            Judgement::new(Verdict::Mismatch, Some(Rule::Approximate), core).with_message(format!(
                "{} is outside {} ± {}% ({} to {})",
                fmt_num(a),
                core,
                fmt_num(opts.tolerance * 100.0),
                fmt_num(lo),
                fmt_num(hi)
            ))
        }
        None => {
            Judgement::new(Verdict::Mismatch, Some(Rule::Approximate), core).with_message(format!(
                "{} is not a number, so it cannot be {core}",
                first_line(actual)
            ))
        }
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// Rules 1-8 on a core that is the whole claim or the part before a remark.
fn core_rules(core: &str, actual: &str, lits: &dyn Literals) -> Option<Judgement> {
    if masked(core, actual) {
        return Some(Judgement::pass(Rule::Masked, core));
    }
    if let Some(notes) = value(core, actual, lits) {
        let mut j = Judgement::pass(Rule::Value, core);
        j.notes = notes;
        return Some(j);
    }
    if let Some(Lit::Str(s)) = lits.literal(core) {
        if normalize(&s) == actual && (core.starts_with('\'') || core.starts_with('"')) {
            return Some(Judgement::pass(Rule::Quotes, core).note("print shows no quotes"));
        }
    }
    if !actual.contains('\n') && actual.len() > core.len() && actual.ends_with(&format!(" {core}"))
    {
        return Some(Judgement::pass(Rule::Label, core).note("the output starts with a label"));
    }
    if whitespace(core, actual) {
        return Some(
            Judgement::pass(Rule::Whitespace, core).note("the output is on several lines"),
        );
    }
    None
}

/// Judges a claim against the actual text it is compared with.
pub fn judge(claim: &str, actual: &str, opts: &Options, lits: &dyn Literals) -> Judgement {
    let text = strip_markers(claim);
    if is_illustrative(text) {
        return Judgement::new(Verdict::Illustrative, None, text);
    }
    let actual = normalize(actual);
    let core = normalize(text.trim());
    if core == actual {
        return Judgement::pass(Rule::Exact, &core);
    }
    if masked(&core, &actual) {
        return Judgement::pass(Rule::Masked, &core);
    }
    for (part, remark) in split_remark(&core, lits) {
        let part = normalize(&part);
        if part == actual {
            return Judgement::pass(Rule::Annotation, &part).note(format!("remark: {remark}"));
        }
        if let Some(n) = approximate(&part) {
            return approximate_verdict(n, &part, &actual, opts).note(format!("remark: {remark}"));
        }
        if let Some(j) = core_rules(&part, &actual, lits) {
            return j.note(format!("remark: {remark}"));
        }
    }
    if let Some(n) = approximate(&core) {
        return approximate_verdict(n, &core, &actual, opts);
    }
    if let Some(j) = core_rules(&core, &actual, lits) {
        return j;
    }
    if actual.is_empty() {
        return Judgement::new(Verdict::Mismatch, None, &core).with_message("nothing was printed");
    }
    if reads_as_prose(&core) && similarity(&core, &actual) < 0.5 {
        return Judgement::new(Verdict::Unverified, None, &core);
    }
    let mismatch = Judgement::new(Verdict::Mismatch, None, &core);
    match (lits.literal(&core), lits.literal(&actual)) {
        (Some(c), Some(a)) if c.key_with(false, true) == a.key_with(false, true) => mismatch
            .with_message("the same numbers, of other types: in Python 1, 1.0 and True differ"),
        _ => mismatch,
    }
}

/// Judges a claim on an expression's value: its repr, else its str() (a guide may
/// show `2020-10-28 12:30:59` for a datetime, or a string without quotes). A claim
/// that does not read as a value and is not like the repr explains rather than states
/// (`connect(host, port)  # positional`): unverified.
pub fn judge_value(
    claim: &str,
    repr: &str,
    str_form: Option<&str>,
    opts: &Options,
    lits: &dyn Literals,
) -> Judgement {
    let first = judge(claim, repr, opts, lits);
    if matches!(
        first.verdict,
        Verdict::Pass | Verdict::Illustrative | Verdict::Unverified
    ) {
        return first;
    }
    if let Some(text) = str_form {
        let by_str = judge(claim, text, opts, lits);
        if by_str.verdict == Verdict::Pass {
            let quoted = repr.starts_with('\'') || repr.starts_with('"');
            let (rule, note) = if quoted && by_str.rule == Some(Rule::Exact) {
                (
                    Some(Rule::Quotes),
                    "the value is a string; the claim shows it without quotes",
                )
            } else {
                (
                    by_str.rule,
                    "the claim shows str() of the value; a REPL shows its repr",
                )
            };
            return Judgement { rule, ..by_str }.note(note);
        }
    }
    if first.verdict == Verdict::Mismatch && first.rule.is_none() {
        let core = strip_markers(claim);
        if !is_value_like(core, lits)
            && parse_exception(core).is_none()
            && similarity(core, repr) < 0.5
        {
            return Judgement::new(Verdict::Unverified, None, core);
        }
    }
    first
}

/// An object's id (its address in CPython) differs from run to run: a large integer
/// claimed for a statement that calls `id()` can only illustrate.
pub fn is_identity_claim(statement: &str, claim: &str) -> bool {
    static ID: OnceLock<Regex> = OnceLock::new();
    let id_call = re(&ID, r"(?:^|[^\w.])id\(");
    let core = strip_markers(claim);
    id_call.is_match(statement) && core.len() >= 6 && core.bytes().all(|b| b.is_ascii_digit())
}

/// The `similar` crate's ratio of two texts, 0 (nothing alike) to 1 (equal).
pub fn similarity(a: &str, b: &str) -> f32 {
    if a.len() > 20_000 || b.len() > 20_000 {
        return 0.0; // a claim is short; a huge output is not "like" it
    }
    // By words: two unrelated sentences share many letters but few words.
    similar::TextDiff::from_words(a, b).ratio()
}

/// An exception named by a claim: `ValueError`, `raises IndexError`, `KeyError: 'k'`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExceptionClaim {
    pub name: String,
    pub message: Option<String>,
}

pub fn parse_exception(text: &str) -> Option<ExceptionClaim> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(
        &RE,
        r"^(?i:(it\s+)?(raises|raise|throws|throw|->|=>)\s+(an?\s+)?)?((?:[A-Za-z_]\w*\.)*(?:[A-Z]\w*)?(?:Error|Exception|Exit|Interrupt|Iteration|Warning))\b(.*)$",
    );
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
    let same = raised.type_name == claim.name || raised.mro.iter().any(|n| *n == claim.name);
    if !same {
        return Judgement::new(Verdict::Mismatch, Some(Rule::Exception), &expected).with_message(
            format!("expected {}; {} was raised", claim.name, raised.type_name),
        );
    }
    if let Some(message) = &claim.message {
        let j = judge(message, &raised.message, opts, lits);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Literals for tests of rules that do not depend on them.
    struct NoLiterals;
    impl Literals for NoLiterals {
        fn literal(&self, text: &str) -> Option<Lit> {
            text.trim()
                .parse::<i64>()
                .ok()
                .map(|n| Lit::Int(n.to_string()))
        }
    }

    fn j(claim: &str, actual: &str) -> (Verdict, Option<Rule>) {
        let r = judge(claim, actual, &Options::default(), &NoLiterals);
        (r.verdict, r.rule)
    }

    #[test]
    fn exact_ignores_trailing_space_and_newline() {
        assert_eq!(
            j("[1, 2, 3]", "[1, 2, 3]\n"),
            (Verdict::Pass, Some(Rule::Exact))
        );
        assert_eq!(j("a", "b\n"), (Verdict::Mismatch, None));
    }

    #[test]
    fn masked_addresses_and_ellipses() {
        assert_eq!(
            j("<A object at 0x7f3a2c1b5e50>", "<A object at 0x10aa>\n"),
            (Verdict::Pass, Some(Rule::Masked))
        );
        assert_eq!(
            j("[0, 1, ..., 9]", "[0, 1, 2, 3, 9]"),
            (Verdict::Pass, Some(Rule::Masked))
        );
        assert_eq!(j("[0, 1, ..., 9]", "[5, 9]"), (Verdict::Mismatch, None));
    }

    #[test]
    fn annotation_remarks() {
        assert_eq!(
            j("99 (Affected)", "99\n"),
            (Verdict::Pass, Some(Rule::Annotation))
        );
        assert_eq!(
            j("1024 - two to the tenth", "1024"),
            (Verdict::Pass, Some(Rule::Annotation))
        );
        assert_eq!(
            j("4, because abs drops it", "4"),
            (Verdict::Pass, Some(Rule::Annotation))
        );
        assert_eq!(
            j("2.5  # true division", "2.5"),
            (Verdict::Pass, Some(Rule::Annotation))
        );
        assert_eq!(
            j("5 characters", "5"),
            (Verdict::Pass, Some(Rule::Annotation))
        );
        assert_eq!(j("98 (Affected)", "99"), (Verdict::Mismatch, None));
    }

    #[test]
    fn approximate_within_and_outside_tolerance() {
        let r = judge("~100 bytes", "200\n", &Options::default(), &NoLiterals);
        assert_eq!(
            (r.verdict, r.rule),
            (Verdict::Mismatch, Some(Rule::Approximate))
        );
        assert_eq!(r.expected, "~100");
        assert_eq!(
            r.message.as_deref(),
            Some("200 is outside ~100 ± 25% (75 to 125)")
        );
        assert_eq!(
            j("~85000 bytes", "80056"),
            (Verdict::Pass, Some(Rule::Approximate))
        );
        assert_eq!(
            j("≈0.33", "0.3333333333333333"),
            (Verdict::Pass, Some(Rule::Approximate))
        );
        let tight = judge("~100", "110", &Options { tolerance: 0.05 }, &NoLiterals);
        assert_eq!(tight.verdict, Verdict::Mismatch);
    }

    #[test]
    fn label_whitespace_and_prose() {
        assert_eq!(j("42", "total 42"), (Verdict::Pass, Some(Rule::Label)));
        assert_eq!(
            j("3 2 1", "3\n2\n1\n"),
            (Verdict::Pass, Some(Rule::Whitespace))
        );
        assert_eq!(
            j("1 x, then 2 y", "1 x\n2 y\n"),
            (Verdict::Pass, Some(Rule::Whitespace))
        );
        assert_eq!(
            j("The program prints a greeting and continues", "ready"),
            (Verdict::Unverified, None)
        );
        assert_eq!(j("HELLO WORLD", "HELLO, WORLD"), (Verdict::Mismatch, None));
    }

    #[test]
    fn illustrative_claims_are_not_compared() {
        for claim in [
            "e.g. 4",
            "~0.01s",
            "something like 140234866",
            "12 ms",
            "varies",
        ] {
            assert_eq!(j(claim, "7").0, Verdict::Illustrative, "{claim}");
        }
        assert!(!is_illustrative("5 items"));
        assert!(is_identity_claim("id(a)", "140084850247312"));
        assert!(!is_identity_claim("len(a)", "140084850247312"));
        assert!(!is_identity_claim("id(a) == id(b)", "True"));
    }

    #[test]
    fn markers_are_stripped() {
        assert_eq!(strip_markers("Output: 0b101"), "0b101");
        assert_eq!(strip_markers("=> 'abc'"), "'abc'");
        assert_eq!(strip_markers("returns 5"), "5");
        assert_eq!(strip_markers("#> 5"), "5");
        assert_eq!(strip_markers("outside"), "outside");
    }

    #[test]
    fn exception_claims() {
        let e = |t: &str| parse_exception(t);
        assert_eq!(e("ValueError").unwrap().name, "ValueError");
        assert_eq!(e("raises IndexError").unwrap().name, "IndexError");
        assert_eq!(e("Raises a NameError").unwrap().name, "NameError");
        assert_eq!(e("KeyError: 'k'").unwrap().message.as_deref(), Some("'k'"));
        assert!(e("ValueError if s is not a number").is_none());
        assert!(e("the value").is_none());
        let raised = Raised {
            type_name: "KeyError".into(),
            message: "'k'".into(),
            mro: vec!["LookupError".into()],
        };
        let o = Options::default();
        assert_eq!(
            judge_exception(&e("LookupError").unwrap(), Some(&raised), &o, &NoLiterals).verdict,
            Verdict::Pass
        );
        assert_eq!(
            judge_exception(&e("KeyError: 'x'").unwrap(), Some(&raised), &o, &NoLiterals).verdict,
            Verdict::Mismatch
        );
        let none = judge_exception(&e("TypeError").unwrap(), None, &o, &NoLiterals);
        assert_eq!(
            none.message.as_deref(),
            Some("expected TypeError; nothing was raised")
        );
    }

    #[test]
    fn literal_keys_are_type_strict_and_unordered_for_sets() {
        let set = |v: &[i64]| Lit::Set(v.iter().map(|n| Lit::Int(n.to_string())).collect());
        assert_eq!(set(&[3, 1, 2]).key(false), set(&[1, 2, 3]).key(false));
        assert_ne!(set(&[3, 1, 2]).key(true), set(&[1, 2, 3]).key(true));
        assert_ne!(
            Lit::Int("0".into()).key(false),
            Lit::Float("0.0".into()).key(false)
        );
        assert_ne!(Lit::List(vec![]).key(false), Lit::Tuple(vec![]).key(false));
        let ints = Lit::List(vec![Lit::Int("0".into()), Lit::Int("1".into())]);
        let floats = Lit::List(vec![Lit::Float("0.0".into()), Lit::Float("1.0".into())]);
        assert_eq!(ints.key_with(false, true), floats.key_with(false, true));
    }
}
