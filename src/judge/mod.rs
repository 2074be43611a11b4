//! Claim x observation -> verdict: the one place where a claim's verdict is made
//! (docs/claims.md, section 4).
//!
//! Everything here is a pure function of the claim, what it is compared with, and the
//! statement's source; the rules live one per file in [`rules`], tried in order.

pub mod needs;
mod rules;
pub(crate) mod text;

use serde::{Deserialize, Serialize};

use crate::claims::grammar::{is_illustrative, is_value_like, reads_as_prose, strip_markers};
use crate::claims::{parse_exception, Against, Kind, Literals};
pub use rules::exception::judge_exception;
use text::{first_line, from_clock_or_machine, is_identity_claim, same_but_paths, similarity};
pub use text::{normalize, MachineNames};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    Mismatch,
    Unverified,
    Illustrative,
    NotReached,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    Exact,
    Masked,
    Annotation,
    Approximate,
    Value,
    Unordered,
    Quotes,
    Label,
    Whitespace,
    FirstLine,
    TypeName,
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
            Rule::Unordered => "unordered",
            Rule::Quotes => "quotes",
            Rule::Label => "label",
            Rule::Whitespace => "whitespace",
            Rule::FirstLine => "first-line",
            Rule::TypeName => "type-name",
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
    /// A verdict reached without comparing (not reached, illustrative): the claim's
    /// text, markers stripped, is what it expected.
    pub fn uncompared(verdict: Verdict, claim: &str) -> Self {
        Self::new(verdict, None, strip_markers(claim))
    }
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

/// Where a claim stands, as far as its verdict depends on it.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// What the claim is, by where it stands: an output block or a session's output is
    /// a claim by its form; a comment is one by what it says.
    pub kind: Kind,
    /// The claim is a comment after code on its own line (`print(x)  # 5`), not one
    /// on a line of its own under the code.
    pub beside_code: bool,
    /// The source line of the statement the claim is about.
    pub statement_source: &'a str,
    /// The statement reads a name whose value came from the clock or the machine on
    /// an earlier line (`now = datetime.now()`, then `now.day`).
    pub derived_from_machine: bool,
    /// What the failed line a not-reached claim waited on needed and this run did not
    /// have (`the module 'stock'`), from its error.
    pub cause_needs: Option<&'a str>,
    /// A file the statement looks at that the guide does not make.
    pub file_needed: Option<&'a str>,
    /// A line of IPython syntax above the claim in its notebook cell, run as `pass`:
    /// what it would have printed or bound was not there.
    pub ipython_before: Option<usize>,
}

/// Why a claim on a line nothing was observed on is not judged.
pub const UNOBSERVED: &str = "nothing was observed on this line: it did not run in the \
question's process (a block not entered, a function not called), printed nothing, or ran \
in a process the example started that was not forked from it (spawn, forkserver, a \
subprocess), whose output cannot be told apart by line";

/// The verdict on a resolved claim, and the actual text the report shows: the one
/// place where a claim's verdict is made.
pub fn judge_claim(
    claim: &str,
    against: &Against,
    context: &Context,
    opts: &Options,
    lits: &dyn Literals,
) -> (Judgement, Option<String>) {
    let (j, actual) = judge_resolved(claim, against, context, opts, lits);
    let by_form = matches!(context.kind, Kind::OutputBlock | Kind::Repl);
    if let Some(j) = could_not_check(claim, &j, against, context) {
        return (j, actual);
    }
    if let (Verdict::Mismatch, true, Against::Text(printed)) =
        (j.verdict, context.beside_code && !by_form, against)
    {
        if let Some(first) = rules::first_line::check(claim, printed, opts, lits) {
            return (first, actual);
        }
    }
    let compared = match against {
        Against::Text(a) | Against::Value(a, _) | Against::Failed(a) => Some(a.as_str()),
        _ => None,
    };
    let str_form = match against {
        Against::Value(_, s) => s.as_deref(),
        _ => None,
    };
    match compared {
        Some(a)
            if j.verdict == Verdict::Mismatch
                && j.rule.is_none()
                && !by_form
                && explains(claim, a, str_form, lits) =>
        {
            let j = Judgement::new(Verdict::Unverified, None, strip_markers(claim)).with_message(
                "reads as an explanation: it states no value and is not like the output",
            );
            (j, actual)
        }
        _ => (j, actual),
    }
}

/// A claim that waited on, or itself needed, what this run does not have (a module,
/// a file, a person's input): not-reached, saying what it needed, instead of a
/// mismatch or a bare "line N failed".
fn could_not_check(
    claim: &str,
    j: &Judgement,
    against: &Against,
    context: &Context,
) -> Option<Judgement> {
    let not_checked = |what: String| {
        Judgement::uncompared(Verdict::NotReached, claim)
            .with_message(format!("could not check: {what}"))
    };
    if let (Some(line), Verdict::Mismatch | Verdict::NotReached) =
        (context.ipython_before, j.verdict)
    {
        return Some(not_checked(format!(
            "line {line} is IPython syntax, which plain Python does not run"
        )));
    }
    match (against, j.verdict) {
        (Against::NotReached(Some(line)), _) => context
            .cause_needs
            .map(|n| not_checked(format!("line {line} needs {n}"))),
        (Against::Failed(raised), Verdict::Mismatch) => needs::from_error(first_line(raised))
            .map(|n| not_checked(format!("this line needs {n}"))),
        (Against::Text(_) | Against::Value(..), Verdict::Mismatch) => context
            .file_needed
            .map(|f| not_checked(format!("this line needs {f}"))),
        _ => None,
    }
}

/// A comment that states no value (no literal, repr or number in it), names no
/// exception, carries no output marker, and is not like what happened: it explains
/// the code (`# keys`, `# O(n) linear search`) rather than stating its output.
fn explains(claim: &str, actual: &str, str_form: Option<&str>, lits: &dyn Literals) -> bool {
    let core = strip_markers(claim).trim();
    // alike in words, whatever their case (`# TEA` for `Tea` is a claim, and wrong)
    let lower = core.to_lowercase();
    let alike = |a: &str| {
        let a = a.to_lowercase();
        similarity(&lower, &a) >= 0.5 || similarity(&lower, first_line(&a)) >= 0.5
    };
    let shaped = |a: &str| same_shape(core, &normalize(a));
    states_nothing(claim, lits)
        && !alike(actual)
        && !str_form.is_some_and(alike)
        && !shaped(actual)
        && !str_form.is_some_and(shaped)
}

/// A word or two written as the output is written: as many words, each of the same
/// kind (`# Ann` for `Bob`, `# north` for `south`, a name for a name), unlike
/// `# uppercase` for `HELLO` or `# valid` for a number.
fn same_shape(claim: &str, actual: &str) -> bool {
    let kind = |w: &str| {
        let letters = w.chars().all(char::is_alphabetic);
        let first_upper = w.chars().next().is_some_and(char::is_uppercase);
        let rest_lower = w.chars().skip(1).all(|c| !c.is_uppercase());
        let all_upper = w.chars().all(|c| !c.is_lowercase());
        (letters, first_upper, rest_lower, all_upper)
    };
    let (c, a): (Vec<&str>, Vec<&str>) = (
        claim.split_whitespace().collect(),
        actual.split_whitespace().collect(),
    );
    !actual.contains('\n')
        && !c.is_empty()
        && c.len() == a.len()
        && c.len() <= 2
        && c.iter()
            .zip(&a)
            .all(|(x, y)| kind(x) == kind(y) && kind(x).0)
}

/// A comment with no output marker, no value (literal, repr, number, also before a
/// remark) and no exception in it: free text, a claim only when like the output.
fn states_nothing(claim: &str, lits: &dyn Literals) -> bool {
    let core = strip_markers(claim);
    if core.trim_start().len() != claim.trim().len() {
        return false; // `Output: ...`, `=> ...`: the author says a result follows
    }
    let core = core.trim();
    if is_value_like(core, lits) || parse_exception(core).is_some() {
        return false;
    }
    // `[212.0... only 100°C qualifies]`: brackets that open on a value are a value
    // written loosely
    let opens_on_value = core.starts_with(['[', '(', '{'])
        && core[1..]
            .split([',', ' ', ']', ')', '}'])
            .next()
            .map(|first| first.trim_end_matches("...").trim_end_matches('…'))
            .is_some_and(|first| !first.is_empty() && lits.literal(first).is_some());
    let stated = opens_on_value
        || crate::claims::grammar::split_remark(core, lits)
            .iter()
            .any(|(part, _)| is_value_like(part, lits));
    !stated
}

fn judge_resolved(
    claim: &str,
    against: &Against,
    context: &Context,
    opts: &Options,
    lits: &dyn Literals,
) -> (Judgement, Option<String>) {
    let statement_source = context.statement_source;
    if let Against::NotReached(cause) = against {
        let j = Judgement::uncompared(Verdict::NotReached, claim);
        let j = match cause {
            Some(line) => j.with_message(format!(
                "not reached: line {line} failed, and this line needs what it would have defined"
            )),
            None => j,
        };
        return (j, None);
    }
    if let Against::Unobserved = against {
        let j = Judgement::uncompared(Verdict::Unverified, claim).with_message(UNOBSERVED);
        return (j, None);
    }
    if is_identity_claim(statement_source, claim) {
        let j = Judgement::uncompared(Verdict::Illustrative, claim)
            .with_message("an object's id differs from run to run");
        return (j, None);
    }
    let machine = |j: Judgement| {
        if j.verdict == Verdict::Mismatch
            && (context.derived_from_machine || from_clock_or_machine(statement_source))
        {
            Judgement::uncompared(Verdict::Illustrative, claim)
                .with_message("the value comes from the clock or the machine")
        } else {
            j
        }
    };
    match against {
        Against::Text(actual) => (
            machine(judge(claim, actual, opts, lits)),
            Some(normalize(actual)),
        ),
        Against::Value(repr, str_form) => (
            machine(judge_value(claim, repr, str_form.as_deref(), opts, lits)),
            Some(normalize(repr)),
        ),
        Against::Exception(e, raised) => (
            judge_exception(e, raised.as_ref(), opts, lits),
            raised.as_ref().map(|r| r.display()),
        ),
        Against::Failed(raised) => {
            let j = judge(claim, raised, opts, lits);
            let j = match j.verdict {
                Verdict::Pass | Verdict::Illustrative | Verdict::Unverified => j,
                _ => Judgement { rule: None, ..j }
                    .with_message(format!("the line raised {}", first_line(raised))),
            };
            (j, Some(normalize(raised)))
        }
        Against::NotReached(_) | Against::Unobserved => unreachable!("handled above"),
    }
}

/// Under `--strict`, a statement that printed while no comment claims it.
/// A claim the guide limits to other Python versions (`# 200 (3.11+)` under 3.10): not
/// compared here, and said why.
pub fn judge_elsewhere(claim: &str, reason: String) -> Judgement {
    Judgement::uncompared(Verdict::Illustrative, claim).with_message(reason)
}

pub fn judge_unclaimed(printed: &str) -> (Judgement, Option<String>) {
    let j = Judgement::new(Verdict::Unverified, None, "")
        .with_message("prints output that no comment claims (--strict)");
    (j, Some(normalize(printed)))
}

/// A mismatch whose line shows something else when the question runs again with
/// another random seed and hash seed is chance, not a false claim: illustrative. But
/// when the claim shows an address and only the address moved, the masked rule
/// already let any address match, so what the claim got wrong is something else
/// (`<generator object at 0x58490>` for `<generator object countdown at 0x7f..>`).
pub fn varies_between_runs(
    verdict: Verdict,
    claim: &str,
    first: Option<&str>,
    second: Option<&str>,
) -> Option<(Verdict, String)> {
    let address_only =
        |a: &str, b: &str| text::claims_an_address(claim) && text::same_but_addresses(a, b);
    match (verdict, first, second) {
        (Verdict::Mismatch, Some(a), Some(b)) if a != b && !address_only(a, b) => Some((
            Verdict::Illustrative,
            format!(
                "the output changes from run to run (another seed gave {})",
                first_line(b)
            ),
        )),
        _ => None,
    }
}

/// Judges a claim against the actual text it is compared with.
pub fn judge(claim: &str, actual: &str, opts: &Options, lits: &dyn Literals) -> Judgement {
    let text = strip_markers(claim);
    if is_illustrative(text) {
        return Judgement::new(Verdict::Illustrative, None, text);
    }
    let actual = normalize(actual);
    // a typeset minus sign (`−6`, from a book) is Python's `-`
    let core = normalize(&text.replace('\u{2212}', "-"));
    let case = rules::Case {
        core: &core,
        actual: &actual,
        opts,
        lits,
    };
    if let Some(j) = rules::decide(&case) {
        return j;
    }
    if actual.is_empty() {
        return Judgement::new(Verdict::Mismatch, None, &core).with_message("nothing was printed");
    }
    if text::address_left_out(&core, &actual) {
        return Judgement::new(Verdict::Illustrative, None, &core)
            .with_message("the claim leaves out the object's address; the rest matches");
    }
    if same_but_paths(&core, &actual) {
        return Judgement::new(Verdict::Illustrative, None, &core)
            .with_message("the paths name the author's machine; the rest matches");
    }
    if counts_something_else(&core, &actual, lits) {
        return Judgement::new(Verdict::Unverified, None, &core);
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

/// `# 2 keyword arguments` beside a call that prints sentences: a number and plain
/// words that describe the code, not its output. Only when the output is not a value
/// itself (`# 5 items` printing `6` stays a mismatch).
fn counts_something_else(core: &str, actual: &str, lits: &dyn Literals) -> bool {
    let plain = |t: &str| {
        t.split_whitespace()
            .all(|w| w.chars().all(|c| c.is_alphabetic()))
    };
    let counted = crate::claims::grammar::split_remark(core, lits)
        .into_iter()
        .any(|(part, remark)| lits.literal(&part).is_some() && plain(&remark));
    counted && lits.literal(actual).is_none() && similarity(core, actual) < 0.5
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
    let quoted = |t: &str| t.starts_with('\'') || t.starts_with('"');
    // A quoted claim on a string states its repr: spaces inside the quotes count.
    let quoted_claim = quoted(repr) && quoted(strip_markers(claim).trim_start());
    if let Some(text) = str_form.filter(|_| !quoted_claim) {
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::claims::Lit;
    use crate::python::worker::Raised;

    /// CPython's own parser, as in the product.
    struct Python;
    impl Literals for Python {
        fn literal(&self, text: &str) -> Option<Lit> {
            rules::table::python().literal(text)
        }
    }

    fn j(claim: &str, actual: &str) -> (Verdict, Option<Rule>) {
        let r = judge(claim, actual, &Options::default(), &Python);
        (r.verdict, r.rule)
    }

    #[test]
    fn exact_ignores_trailing_space_and_newline() {
        assert_eq!(
            j("\n  a", "\n  a\n"),
            (Verdict::Pass, Some(Rule::Exact)),
            "a block's leading lines count"
        );
        assert_eq!(
            j("[1, 2, 3]", "[1, 2, 3]\n"),
            (Verdict::Pass, Some(Rule::Exact))
        );
        assert_eq!(j("a", "b\n"), (Verdict::Mismatch, None));
    }

    #[test]
    fn claims_as_people_write_them() {
        let table: &[(&str, &str, Verdict, Option<Rule>)] = &[
            ("str", "<class 'str'>", Verdict::Pass, Some(Rule::TypeName)),
            (
                "OrderedDict",
                "<class 'collections.OrderedDict'>",
                Verdict::Pass,
                Some(Rule::TypeName),
            ),
            ("int", "<class 'str'>", Verdict::Mismatch, None),
            (
                "24 bytes (an int object)",
                "24",
                Verdict::Pass,
                Some(Rule::Annotation),
            ),
            (
                "24  start=1, stop=4",
                "24",
                Verdict::Pass,
                Some(Rule::Annotation),
            ),
            ("5!", "5", Verdict::Pass, Some(Rule::Annotation)),
            ("3 * 4 = 12", "12", Verdict::Pass, Some(Rule::Annotation)),
            ("3 * 4 = 12", "3", Verdict::Mismatch, None),
            ("3 * 4 = 12", "13", Verdict::Mismatch, None),
            ("6 start=1", "7", Verdict::Mismatch, None),
        ];
        for (claim, actual, verdict, rule) in table {
            assert_eq!(
                j(claim, actual),
                (*verdict, *rule),
                "{claim:?} vs {actual:?}"
            );
        }
    }

    #[test]
    fn free_text_is_a_claim_only_when_like_the_output() {
        let on = |kind: Kind, claim: &str, printed: &str| {
            let context = Context {
                kind,
                beside_code: true,
                statement_source: "print(x)",
                derived_from_machine: false,
                cause_needs: None,
                file_needed: None,
                ipython_before: None,
            };
            let against = Against::Text(printed.into());
            judge_claim(claim, &against, &context, &Options::default(), &Python)
                .0
                .verdict
        };
        let rows: &[(&str, &str, Verdict)] = &[
            ("keys", "name\nage", Verdict::Unverified),
            ("O(n) linear search", "True", Verdict::Unverified),
            ("L — local", "local", Verdict::Unverified),
            ("class docstring", "None", Verdict::Unverified),
            ("uppercase", "HELLO", Verdict::Unverified),
            ("valid", "529344067", Verdict::Unverified),
            // a word written as the output is: a name for a name
            ("Ann", "Bob", Verdict::Mismatch),
            // like the output: compared, and wrong
            ("TEA", "Tea", Verdict::Mismatch),
            ("Hello World!", "Hello, World!", Verdict::Mismatch),
            // a value, a marker or an exception is a claim whatever it looks like
            ("O(k) slicing — [3, 4, 5]", "[2, 3, 4]", Verdict::Mismatch),
            ("Output: done", "finished", Verdict::Mismatch),
            ("'w'", "16", Verdict::Mismatch),
        ];
        for (claim, printed, want) in rows {
            assert_eq!(
                on(Kind::Output, claim, printed),
                *want,
                "{claim:?} for {printed:?}"
            );
        }
        // a session's output or an output block is a claim by its form
        assert_eq!(on(Kind::Repl, "keys", "name\nage"), Verdict::Mismatch);
        assert_eq!(
            on(Kind::OutputBlock, "keys", "name\nage"),
            Verdict::Mismatch
        );
    }

    #[test]
    fn approximate_within_and_outside_tolerance() {
        let r = judge("~100 bytes", "200\n", &Options::default(), &Python);
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
        let tight = judge("~100", "110", &Options { tolerance: 0.05 }, &Python);
        assert_eq!(tight.verdict, Verdict::Mismatch);
    }

    #[test]
    fn label_whitespace_and_prose() {
        assert_eq!(j("42", "total 42"), (Verdict::Pass, Some(Rule::Label)));
        // values one after another are one claim, not a value and a remark: the first
        // `True` is no label of the second
        assert_eq!(j("True True", "False True"), (Verdict::Mismatch, None));
        assert_eq!(j("2 2", "1 2"), (Verdict::Mismatch, None));
        assert_eq!(j("1 2", "1 2"), (Verdict::Pass, Some(Rule::Exact)));
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
        assert_eq!(strip_markers("==> [1, 2]"), "[1, 2]");
        assert_eq!(strip_markers("outside"), "outside");
        assert_eq!(strip_markers("returned value"), "returned value");
        assert_eq!(strip_markers("\n  indented"), "\n  indented");
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
            judge_exception(&e("LookupError").unwrap(), Some(&raised), &o, &Python).verdict,
            Verdict::Pass
        );
        assert_eq!(
            judge_exception(&e("KeyError: 'x'").unwrap(), Some(&raised), &o, &Python).verdict,
            Verdict::Mismatch
        );
        let none = judge_exception(&e("TypeError").unwrap(), None, &o, &Python);
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
