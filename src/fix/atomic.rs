//! Writing a fixed guide in place, atomically: a temporary file in the guide's own
//! directory, with the guide's permissions, renamed over it. A reader sees the old
//! guide or the new one, never half of each, and a failed write leaves the old one.

use std::fs::{self, File};
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};

use super::FileFix;

pub fn write(fix: &FileFix) -> Result<()> {
    let shown = &fix.file;
    // through a symbolic link, the file it names is fixed and the link stays a link
    let path = fs::canonicalize(Path::new(shown))
        .with_context(|| format!("{shown}: cannot fix: the file is gone"))?;
    let current = fs::read(&path).with_context(|| format!("{shown}: cannot read"))?;
    if current != fix.before.as_bytes() {
        bail!("{shown}: changed since it was checked; not fixed (run the check again)");
    }
    let meta = fs::metadata(&path)?;
    let dir = path
        .parent()
        .ok_or_else(|| anyhow!("{shown}: cannot fix a file with no directory"))?;
    let cannot = |e: std::io::Error| anyhow!("{shown}: cannot write the fix: {e}");
    let mut tmp = tempfile::Builder::new()
        .prefix(".snipcheck-fix-")
        .tempfile_in(dir)
        .map_err(cannot)?;
    tmp.write_all(fix.after.as_bytes()).map_err(cannot)?;
    tmp.as_file()
        .set_permissions(meta.permissions())
        .map_err(cannot)?;
    // the owner stays when we may set it (as root); otherwise the file is ours anyway
    let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()));
    tmp.as_file().sync_all().map_err(cannot)?;
    tmp.persist(&path).map_err(|e| cannot(e.error))?;
    // the rename survives a crash once the directory is on disk too
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn fix_of(path: &Path, before: &str, after: &str) -> FileFix {
        FileFix {
            file: path.to_str().unwrap().into(),
            before: before.into(),
            after: after.into(),
            fixed: vec![1],
            settled: vec![],
            saved_errors: vec![],
        }
    }

    #[test]
    fn replaces_the_file_keeping_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.md");
        fs::write(&path, "x  # 1\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o604)).unwrap();
        write(&fix_of(&path, "x  # 1\n", "x  # 2\n")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "x  # 2\n");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o604
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn a_guide_changed_since_the_check_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.md");
        fs::write(&path, "x  # 3\n").unwrap();
        let err = write(&fix_of(&path, "x  # 1\n", "x  # 2\n")).unwrap_err();
        assert!(
            err.to_string().contains("changed since it was checked"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "x  # 3\n");
    }

    #[test]
    fn a_missing_guide_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gone.md");
        assert!(write(&fix_of(&path, "a", "b")).is_err());
    }
}
