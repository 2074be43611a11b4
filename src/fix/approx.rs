//! An approximate claim rewritten the way its author wrote it: `~100 bytes` becomes
//! `~200 bytes` when 192 is printed, `~0.33` stays at two decimals, `~85,000` keeps
//! its commas, `≈1e6` stays in exponent form.

use std::sync::OnceLock;

use regex::Regex;

/// How the author wrote the number of an approximate claim.
#[derive(Debug, PartialEq)]
struct Style {
    /// `~`, `about `, ... : everything before the number.
    lead: String,
    plus: bool,
    /// `,` or `_` between thousands.
    grouping: Option<char>,
    decimals: usize,
    /// Trailing zeros of an integer: `100` is rounded to hundreds.
    zeros: u32,
    /// `e` or `E`, an explicit `+` on the exponent, and its digit count (`1e+06`).
    exponent: Option<(char, bool, usize)>,
}

fn style(core: &str) -> Option<Style> {
    static RE: OnceLock<Regex> = OnceLock::new();
    // the number of grammar::approximate, in parts
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)^((?:~|≈|about|approx\.?|approximately|around|roughly)\s*)([-+]?)(\d[\d_,]*)(?:\.(\d+))?(?:(e)([-+]?)(\d+))?$",
        )
        .expect("a valid pattern")
    });
    let c = re.captures(core.trim())?;
    let int = &c[3];
    let digits: String = int.chars().filter(char::is_ascii_digit).collect();
    let zeros = if digits.bytes().all(|b| b == b'0') {
        0
    } else {
        (digits.len() - digits.trim_end_matches('0').len()) as u32
    };
    Some(Style {
        lead: c[1].to_string(),
        plus: &c[2] == "+",
        grouping: int.chars().find(|ch| *ch == ',' || *ch == '_'),
        decimals: c.get(4).map_or(0, |m| m.as_str().len()),
        zeros,
        exponent: c.get(5).map(|e| {
            let e = e.as_str().chars().next().unwrap_or('e');
            (e, &c[6] == "+", c[7].len())
        }),
    })
}

/// The claim's core with the actual number in the author's precision: rounded to the
/// place the author rounded to, or finer when that would move it by more than half
/// the tolerance (so that the claim holds, with room for a little drift). `None` when
/// the core is not an approximate number.
pub fn restyle(core: &str, actual: f64, tolerance: f64) -> Option<String> {
    let s = style(core)?;
    if !actual.is_finite() {
        return None;
    }
    let slack = (tolerance / 2.0).max(0.0);
    let close = |shown: f64| (shown - actual).abs() <= slack * shown.abs() + f64::EPSILON;
    let number = match s.exponent {
        Some(exp) => (s.decimals..s.decimals + 17)
            .map(|d| (format!("{actual:.d$e}"), d))
            .find(|(text, _)| text.parse().is_ok_and(close))
            .map(|(text, _)| exponent_form(&text, exp))?,
        None => {
            let mut place = -(s.decimals as i32) + s.zeros as i32;
            loop {
                if place < -17 {
                    return None;
                }
                let shown = round_to(actual, place);
                if close(shown) {
                    break plain_form(shown, place, s.grouping)?;
                }
                place -= 1;
            }
        }
    };
    let sign = if s.plus && actual >= 0.0 { "+" } else { "" };
    Some(format!("{}{sign}{number}", s.lead))
}

/// `actual` rounded to a multiple of 10^place.
fn round_to(actual: f64, place: i32) -> f64 {
    if place >= 0 {
        let unit = 10f64.powi(place);
        (actual / unit).round() * unit
    } else {
        // through text, which rounds the decimal digits as they will be shown
        format!("{actual:.*}", (-place) as usize)
            .parse()
            .unwrap_or(actual)
    }
}

fn plain_form(shown: f64, place: i32, grouping: Option<char>) -> Option<String> {
    let text = if place >= 0 {
        if shown.abs() >= 1e18 {
            return None;
        }
        format!("{}", shown as i64)
    } else {
        format!("{shown:.*}", (-place) as usize)
    };
    Some(match grouping {
        Some(sep) => group(&text, sep),
        None => text,
    })
}

/// Thousands separated as the author separated them: `85000` -> `85,000`.
fn group(text: &str, sep: char) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text),
    };
    let (int, frac) = match rest.find('.') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(ch);
    }
    format!("{sign}{out}{frac}")
}

/// Rust's `2.5e6` written with the author's `E`, `+` and exponent width (`2.5E+06`).
fn exponent_form(text: &str, (e, plus, width): (char, bool, usize)) -> String {
    let Some((mantissa, exp)) = text.split_once('e') else {
        return text.to_string();
    };
    let (neg, digits) = match exp.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, exp),
    };
    let sign = if neg {
        "-"
    } else if plus {
        "+"
    } else {
        ""
    };
    format!("{mantissa}{e}{sign}{digits:0>width$}")
}

#[cfg(test)]
mod tests {
    use super::restyle;

    fn r(core: &str, actual: f64) -> String {
        restyle(core, actual, 0.25).unwrap_or_else(|| panic!("{core:?} restyles"))
    }

    #[test]
    fn rounds_to_the_place_the_author_rounded_to() {
        assert_eq!(r("~100", 200.0), "~200");
        assert_eq!(r("~100", 192.0), "~200");
        assert_eq!(r("~85000", 185_176.0), "~185000");
        assert_eq!(r("~1000", 8056.0), "~8000");
    }

    #[test]
    fn keeps_the_decimals_the_author_wrote() {
        assert_eq!(r("~0.33", 0.3333333333333333), "~0.33");
        assert_eq!(r("~0.25", 0.6666666666666666), "~0.67");
        assert_eq!(r("~0.9", 0.2), "~0.2");
        assert_eq!(
            r("~0.33", 0.5),
            "~0.50",
            "a trailing zero keeps the precision"
        );
    }

    #[test]
    fn goes_finer_only_when_the_author_s_place_would_not_hold() {
        // 149 to the nearest hundred is 100, and 149 is not about 100
        assert_eq!(r("~100", 149.0), "~150");
        assert_eq!(r("~100", 24.0), "~24");
        assert_eq!(r("~100", 0.5), "~0.5");
        assert_eq!(r("~10", 0.0), "~0");
    }

    #[test]
    fn keeps_the_author_s_words_signs_and_separators() {
        assert_eq!(r("about 100", 312.0), "about 300");
        assert_eq!(r("≈ 90", 49.0), "≈ 50");
        assert_eq!(r("~85,000", 1_234_567.0), "~1,235,000");
        assert_eq!(r("~1_000", 2_100.0), "~2_000");
        assert_eq!(r("~-5", -12.0), "~-12");
        assert_eq!(r("~+5", 12.0), "~+12");
    }

    #[test]
    fn exponent_form_stays() {
        assert_eq!(r("~1e6", 2_100_000.0), "~2e6");
        assert_eq!(
            r("~1e6", 2_300_000.0),
            "~2.3e6",
            "finer when 2e6 would not hold"
        );
        assert_eq!(r("~1.5E-3", 0.0042), "~4.2E-3");
        assert_eq!(r("~1e+06", 2_100_000.0), "~2e+06");
    }

    #[test]
    fn not_an_approximate_number() {
        assert_eq!(restyle("100", 200.0, 0.25), None);
        assert_eq!(restyle("~lots", 200.0, 0.25), None);
        assert_eq!(restyle("~100", f64::NAN, 0.25), None);
    }
}
