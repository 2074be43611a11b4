//! Which headings make up a guide's structure: numbered questions, or every heading.

use super::{numbered_heading, Heading};

/// Whether numbered headings (`161. What is iterator?`) are the guide's structure, so
/// that only they open questions and other headings are sections inside them.
///
/// A guide of numbered questions numbers (nearly) every heading at the level its
/// questions sit at, with at most a title and a few group headings above them; a
/// tutorial that numbers a few steps (`#### 1. Install`) deep in the page has many more
/// unnumbered headings at that level and above. So the rule looks at the shallowest
/// level that holds a numbered heading, and counts every heading at that level or
/// above it, leaving out the document title (an unnumbered first heading that no
/// other heading matches or outranks in level). Numbered headings are the structure
/// when they are at least half of those counted, and either at least three of them or
/// all of them: one or two numbered headings among others prove nothing.
pub fn numbered_structure(headings: &[Heading]) -> bool {
    let is_numbered = |h: &Heading| numbered_heading(&h.text).is_some();
    let Some(level) = headings
        .iter()
        .filter(|h| is_numbered(h))
        .map(|h| h.level)
        .min()
    else {
        return false;
    };
    let has_title = headings.first().is_some_and(|first| {
        !is_numbered(first) && headings[1..].iter().all(|h| h.level > first.level)
    });
    let counted: Vec<&Heading> = headings
        .iter()
        .skip(usize::from(has_title))
        .filter(|h| h.level <= level)
        .collect();
    let numbered = counted.iter().filter(|h| is_numbered(h)).count();
    numbered * 2 >= counted.len() && (numbered >= 3 || numbered == counted.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(spec: &[(u8, &str)]) -> Vec<Heading> {
        spec.iter()
            .enumerate()
            .map(|(i, (level, text))| Heading {
                line: i + 1,
                level: *level,
                text: text.to_string(),
                requires: None,
            })
            .collect()
    }

    #[test]
    fn numbered_questions_under_a_title_and_groups() {
        let h = outline(&[
            (1, "Python questions"),
            (2, "Basics"),
            (3, "1. What is a list?"),
            (4, "Example"),
            (3, "2. What is a dict?"),
            (2, "Advanced"),
            (3, "3. What is a generator?"),
        ]);
        assert!(numbered_structure(&h));
    }

    #[test]
    fn a_few_numbered_steps_in_a_tutorial_are_not_structure() {
        let h = outline(&[
            (1, "Tutorial"),
            (2, "Setup"),
            (4, "1. Install"),
            (4, "2. Configure"),
            (2, "Lists"),
            (3, "Slicing"),
            (2, "Dicts"),
        ]);
        assert!(!numbered_structure(&h));
    }

    #[test]
    fn one_or_two_numbered_among_others_prove_nothing() {
        let h = outline(&[(1, "Notes"), (2, "1. Lists"), (2, "Dicts")]);
        assert!(!numbered_structure(&h));
        let h = outline(&[(1, "Notes"), (2, "1. Lists"), (3, "Example")]);
        assert!(numbered_structure(&h), "all the headings at its level");
        assert!(!numbered_structure(&outline(&[(1, "A"), (2, "B")])));
    }

    #[test]
    fn text_guides_of_numbered_lines_only() {
        let h = outline(&[(3, "161. What is iterator?"), (3, "162. What is iterable?")]);
        assert!(numbered_structure(&h));
    }
}
