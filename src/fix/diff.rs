//! `--diff`: a fix as a unified diff, with the guide's line numbers.

use similar::TextDiff;

use super::FileFix;

/// `--- a/FILE` / `+++ b/FILE` and hunks with three lines of context. Lines are split
/// where the guide readers split them (CR, LF, CRLF), so hunk numbers are guide lines.
pub fn unified_diff(fix: &FileFix) -> String {
    TextDiff::from_lines(fix.before.as_str(), fix.after.as_str())
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{}", fix.file), &format!("b/{}", fix.file))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(before: &str, after: &str) -> FileFix {
        FileFix {
            file: "guide.md".into(),
            before: before.into(),
            after: after.into(),
            fixed: vec![],
            settled: vec![],
            saved_errors: vec![],
        }
    }

    #[test]
    fn headers_and_hunks_name_guide_lines() {
        let before = "a\nb\nc\nd\ne\nf\ng\nh  # 1\n";
        let after = "a\nb\nc\nd\ne\nf\ng\nh  # 2\n";
        let d = unified_diff(&fix(before, after));
        assert!(
            d.starts_with("--- a/guide.md\n+++ b/guide.md\n@@ -5,4 +5,4 @@\n"),
            "{d}"
        );
        assert!(d.contains("\n-h  # 1\n+h  # 2\n"), "{d}");
    }

    #[test]
    fn line_breaks_count_as_the_readers_count_them() {
        // a lone CR ends a line for the readers; CRLF is one break, not two
        let before = "x\ry\r\nz  # 1\r\n";
        let after = "x\ry\r\nz  # 2\r\n";
        let d = unified_diff(&fix(before, after));
        assert!(d.contains("@@ -1,3 +1,3 @@"), "{d}");
        assert!(
            d.contains("-z  # 1\r\n+z  # 2\r\n"),
            "CRLF kept in the diff: {d:?}"
        );
    }

    #[test]
    fn a_missing_final_newline_is_said() {
        let d = unified_diff(&fix("# 1", "# 2"));
        assert!(
            d.contains("-# 1\n\\ No newline at end of file\n+# 2\n\\ No newline"),
            "{d}"
        );
    }
}
