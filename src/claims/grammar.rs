//! The claim language's grammar: what a comment's text says about itself (markers,
//! remarks, prose, values, approximations). Pure functions of text; what a Python
//! literal is comes from CPython's parser through [`Literals`].

use std::ops::ControlFlow;
use std::sync::OnceLock;

use regex::Regex;

use super::literal::Literals;
use super::nesting::nesting;

pub(crate) fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("a valid built-in pattern"))
}

/// The claim text with its output marker removed (`Output:`, `=>`, `returns`, ...).
pub fn strip_markers(text: &str) -> &str {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(
        &RE,
        r"(?i)^\s*(?:outputs?\s*:|out\s*:|prints?\s*:|result\s*:|returns?\b\s*:?|prints\b|==>|=>|->|#>|>)\s*",
    );
    // Leading white space is kept unless a marker goes: an output block's first
    // expected line may be blank or indented.
    let mut t = text.trim_end();
    while let Some(m) = re.find(t) {
        if m.end() == 0 {
            break;
        }
        t = &t[m.end()..];
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

/// A symbolic marker at the start of the text (`=> 5`, `-> 5`, `#> 5`): the author's
/// sign that a result follows, whatever it looks like.
pub fn starts_with_symbolic_marker(text: &str) -> bool {
    let t = text.trim_start();
    ["=>", "->", "#>", "==>"].iter().any(|m| t.starts_with(m))
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
pub(crate) fn plain_share(words: &[&str]) -> usize {
    words.iter().filter(|w| is_plain_word(w)).count()
}

/// A word of letters, perhaps with an apostrophe or hyphen and a final punctuation mark.
fn is_plain_word(w: &str) -> bool {
    static WORD: OnceLock<Regex> = OnceLock::new();
    re(&WORD, r"^[A-Za-z][A-Za-z'’-]*[.,;:!?]?$").is_match(w)
}

/// Reads as a value: a Python literal, a repr shape, or an approximate number.
pub fn is_value_like(text: &str, lits: &dyn Literals) -> bool {
    let t = text.trim();
    !t.is_empty()
        && (lits.literal(t).is_some() || repr_shape(t, lits, 0) || approximate(t).is_some())
}

/// A value, then a dash or two spaces and a remark: `[1, 82, 15] — always the same
/// with seed=42`. On a comment line of its own under a statement this is a claim, as
/// the value alone would be.
pub fn value_then_remark(text: &str, lits: &dyn Literals) -> bool {
    [" — ", " – ", " -- ", "  "].iter().any(|sep| {
        text.split_once(sep)
            .is_some_and(|(value, remark)| !remark.trim().is_empty() && is_value_like(value, lits))
    })
}

/// `<class 'int'>`, `<generator object ...>`, a constructor call whose arguments are
/// values (`date(2020, 1, 2)`, `Point(x=1, y=2)`, `deque(['a'])`), or brackets of such
/// values (`[42, <class 'int'>, ...]`). A call of names (`O(n)`, `time(hour, minute)`)
/// is code or prose, not what Python prints.
fn repr_shape(t: &str, lits: &dyn Literals, depth: usize) -> bool {
    static CALL: OnceLock<Regex> = OnceLock::new();
    let call = re(&CALL, r"^([A-Za-z_][\w.]*)\((.*)\)$");
    let t = t.trim();
    if t.starts_with('<') && t.ends_with('>') && t.len() > 2 {
        return true;
    }
    if depth > 8 {
        return false;
    }
    static DOTTED: OnceLock<Regex> = OnceLock::new();
    // `tzinfo=datetime.timezone.utc`, `[inf, nan]`: names a repr shows
    let named = re(&DOTTED, r"^(?:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+|-?inf|nan)$");
    let is_value = |arg: &str| {
        let arg = arg.trim();
        arg == "..."
            || arg == "…"
            || named.is_match(arg)
            || lits.literal(arg).is_some()
            || repr_shape(arg, lits, depth + 1)
    };
    if let Some(caps) = call.captures(t) {
        if &caps[1] == "O" {
            return false; // `O(1)`, `O(n)`: a complexity, not a constructor
        }
        let args = caps.get(2).map_or("", |m| m.as_str());
        return balanced(args)
            && split_top_level(args).iter().all(|arg| {
                let arg = arg.trim();
                arg.is_empty() || is_value(keyword_value(arg))
            });
    }
    let inner = match (t.chars().next(), t.chars().last()) {
        (Some('['), Some(']')) | (Some('('), Some(')')) | (Some('{'), Some('}')) if t.len() > 2 => {
            &t[1..t.len() - 1]
        }
        _ => return false,
    };
    let items = split_top_level(inner);
    // a sequence with at least one repr in it (literals alone are literals)
    balanced(inner)
        && items
            .iter()
            .any(|i| i.trim().starts_with('<') || call.is_match(i.trim()))
        && items.iter().all(|i| {
            let i = i.trim();
            i.is_empty()
                || is_value(i)
                || i.split_once(": ")
                    .is_some_and(|(k, v)| is_value(k) && is_value(v))
        })
}

/// `x=1` as its value `1`; anything else as it is.
fn keyword_value(arg: &str) -> &str {
    match arg.split_once('=') {
        Some((name, value))
            if !value.starts_with('=')
                && !name.is_empty()
                && name.trim().chars().all(|c| c.is_alphanumeric() || c == '_') =>
        {
            value
        }
        _ => arg,
    }
}

/// The brackets of a text open and close in order, outside quotes.
fn balanced(text: &str) -> bool {
    nesting(text, false, |_, _, _| ControlFlow::Continue(())).balanced()
}

/// A text split at its commas outside brackets and quotes.
pub(crate) fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = vec![];
    let mut start = 0usize;
    nesting(text, true, |i, c, depth| {
        if c == ',' && depth == 0 {
            parts.push(&text[start..i]);
            start = i + 1;
        }
        ControlFlow::Continue(())
    });
    parts.push(&text[start..]);
    parts
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

/// Ways to split a claim into a core and a remark, most specific first.
pub fn split_remark(text: &str, lits: &dyn Literals) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![];
    // `True True`, `1 2`: values one after another are what a print of several values
    // shows, all of it the claim; none of them is a remark on the first
    let values_only = |remark: &str| {
        remark
            .split_whitespace()
            .all(|w| lits.literal(w.trim_end_matches(',')).is_some())
    };
    let mut push = |core: &str, remark: &str| {
        let (core, remark) = (core.trim(), remark.trim());
        if !core.is_empty()
            && !remark.is_empty()
            && !values_only(remark)
            && !out.iter().any(|(c, _)| c == core)
        {
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
    // `O(k) slicing — [3, 4, 5]`: a remark, a dash, then the value
    for sep in [" — ", " – ", " -- "] {
        if let Some(i) = text.rfind(sep) {
            let value = &text[i + sep.len()..];
            if is_value_like(value, lits) {
                push(value, &text[..i]);
            }
        }
    }
    // `True, a and b refer to the same object`: a value, a comma, then words. The
    // share of plain words after each position is counted once, from the end.
    let tokens: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    let mut plain_after = vec![0usize; tokens.len() + 1];
    for (i, (_, w)) in tokens.iter().enumerate().rev() {
        plain_after[i] = plain_after[i + 1] + usize::from(is_plain_word(w));
    }
    for (i, _) in text.match_indices(", ") {
        let first = tokens.partition_point(|(at, _)| *at < i + 2);
        let (count, plain) = (tokens.len() - first, plain_after[first]);
        if count > 0 && plain * 2 >= count && is_value_like(&text[..i], lits) {
            push(&text[..i], &text[i + 2..]);
            break;
        }
    }
    // `[2, 3, 4]  start=1`, `24 bytes (an int object)`, `True!`, `2 + 3 = 5`: a
    // leading value, then anything. The core must still equal the actual, so a loose
    // split costs nothing.
    if let Some(core) = text.strip_suffix('!').filter(|c| is_value_like(c, lits)) {
        push(core, "!");
    }
    // `1,`, `` 2` ``: a stray mark after the value, left from the author's typing
    for mark in [",", ";", "`"] {
        if let Some(core) = text.strip_suffix(mark).filter(|c| is_value_like(c, lits)) {
            push(core, mark);
        }
    }
    // `"Step 1", val = "first value"`: a quoted string, a comma, then anything
    if let Some(end) = closing_quote(text) {
        if text[end..].starts_with(',') {
            push(&text[..end], &text[end + 1..]);
        }
    }
    if let Some(i) = text.find("  ").filter(|&i| is_value_like(&text[..i], lits)) {
        push(&text[..i], &text[i..]);
    }
    let derivation = text
        .rfind(" = ")
        .filter(|&i| is_value_like(&text[i + 3..], lits));
    if let Some(i) = derivation {
        // `3 * 4 = 12`: a derivation claims the value it ends in, not its first term
        push(&text[i + 3..], &text[..i + 2]);
    } else {
        for (at, _) in tokens.iter().skip(1).take(8) {
            let core = text[..*at]
                .trim_end()
                .trim_end_matches([',', ':', '-', '—']);
            if is_value_like(core, lits) {
                push(core, &text[*at..]);
            }
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
    // `~100 bytes`, `5 characters long`: a value, then a few plain words
    let n = tokens.len();
    for k in (n.saturating_sub(8).max(1)..n).rev() {
        if !is_plain_word(tokens[k].1) {
            break;
        }
        let core = text[..tokens[k].0].trim_end();
        if is_value_like(core, lits) {
            push(core, &text[tokens[k].0..]);
            break;
        }
    }
    // `sorted in alphabetical order, [...]`, `still [1, 2]`, `always 500000`: a few
    // plain words before the value, said of it; not words that deny or bound it (`not
    // 4`, `more than 5`)
    let cores: Vec<String> = std::iter::once(text.to_string())
        .chain(out.iter().map(|(c, _)| c.clone()))
        .collect();
    for core in cores {
        if let Some((value, words)) = leading_remark(&core, lits) {
            let remark = format!("{words} …");
            if !out.iter().any(|(c, _)| c == value) {
                out.push((value.to_string(), remark));
            }
        }
    }
    out
}

/// The value after a few plain words at the start of a text, and those words.
fn leading_remark<'t>(text: &'t str, lits: &dyn Literals) -> Option<(&'t str, &'t str)> {
    const BOUNDING: &[&str] = &[
        "not", "never", "no", "nor", "neither", "without", "except", "instead", "rather", "unlike",
        "than", "more", "less", "fewer", "greater", "over", "under", "above", "below", "least",
        "most", "up", "almost", "nearly", "only", "if", "unless", "when", "or", "and", "maybe",
        "probably", "likely", "possibly",
    ];
    let mut at = 0;
    for (k, word) in text.split_whitespace().enumerate().take(6) {
        let start = word.as_ptr() as usize - text.as_ptr() as usize;
        if k > 0 {
            let rest = &text[start..];
            if is_value_like(rest, lits) {
                return Some((rest, text[..at].trim_end()));
            }
        }
        let bare = word
            .trim_end_matches([',', ':', '.', ';'])
            .to_ascii_lowercase();
        let value = lits
            .literal(word.trim_end_matches([',', ':', ';']))
            .is_some();
        if !is_plain_word(word)
            || value
            || word.ends_with(['.', '!', '?'])
            || BOUNDING.contains(&bare.as_str())
        {
            return None;
        }
        at = start + word.len();
    }
    None
}

/// Where a text's opening quoted string ends (just after its closing quote).
fn closing_quote(text: &str) -> Option<usize> {
    let q = text.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    text[1..].find(q).map(|i| i + 2)
}
