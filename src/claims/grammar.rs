//! The claim language's grammar: what a comment's text says about itself (markers,
//! remarks, prose, values, approximations). Pure functions of text; what a Python
//! literal is comes from CPython's parser through [`Literals`].

use std::sync::OnceLock;

use regex::Regex;

use super::literal::Literals;

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
    !t.is_empty() && (lits.literal(t).is_some() || is_repr_shape(t) || approximate(t).is_some())
}

/// `<class 'int'>`, `<generator object ...>`, or a constructor call such as
/// `date(2020, 1, 2)` or `Point(x=1, y=2)`.
pub(crate) fn is_repr_shape(t: &str) -> bool {
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
    out
}
