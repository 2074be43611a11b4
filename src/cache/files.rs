//! The cache's files: one per key, `DIR/v1/ab/cdef….json`, so that a lookup is one
//! small read, two runs share what they both ran, and a write touches nothing another
//! run reads. Writes are atomic (a temporary file in the same directory, renamed over
//! the entry): a reader sees a whole entry or none. Nothing is synced to disk: an
//! entry cut short by a crash is unreadable, and so ignored and written again.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// An entry unused for this long is removed.
const UNUSED: Duration = Duration::from_secs(30 * 24 * 3600);
/// How often the cache is pruned, and how stale a used entry's time may get.
const DAY: Duration = Duration::from_secs(24 * 3600);
/// The layout of entries; a change of layout starts a new folder.
const LAYOUT: &str = "v1";
/// Temporary files of writes under way (or of a run that died writing).
const TEMPORARY: &str = ".tmp-";

/// The cache directory: `SNIPCHECK_CACHE_DIR`, else `$XDG_CACHE_HOME/snipcheck`, else
/// `~/.cache/snipcheck`; `None` when none of them is set.
pub fn directory() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var("SNIPCHECK_CACHE_DIR") {
        return Some(dir.into());
    }
    if let Some(dir) = var("XDG_CACHE_HOME") {
        return Some(Path::new(&dir).join("snipcheck"));
    }
    var("HOME").map(|home| Path::new(&home).join(".cache").join("snipcheck"))
}

/// The entries under a cache directory.
#[derive(Debug, Clone)]
pub struct Entries {
    root: PathBuf,
}

impl Entries {
    /// The entries under `dir`, which is created if need be.
    pub fn open(dir: &Path) -> std::io::Result<Entries> {
        let root = dir.join(LAYOUT);
        fs::create_dir_all(&root)?;
        Ok(Entries { root })
    }

    fn path(&self, key: &str) -> PathBuf {
        let (fan, rest) = key.split_at(2);
        self.root.join(fan).join(format!("{rest}.json"))
    }

    /// The entry's text, if it is there and readable. An entry in use keeps a recent
    /// time (refreshed at most once a day), so that pruning spares it.
    pub fn read(&self, key: &str) -> Option<String> {
        let mut file = File::open(self.path(key)).ok()?;
        let mut text = String::new();
        file.read_to_string(&mut text).ok()?;
        let now = SystemTime::now();
        let stale = file
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > DAY));
        if stale {
            let _ = file.set_modified(now);
        }
        Some(text)
    }

    /// Writes the entry atomically; a failure only means it is not cached.
    pub fn write(&self, key: &str, text: &str) -> std::io::Result<()> {
        let path = self.path(key);
        let dir = path.parent().expect("an entry is inside a fan-out folder");
        fs::create_dir_all(dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(TEMPORARY)
            .tempfile_in(dir)?;
        tmp.write_all(text.as_bytes())?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }

    /// At most once a day (by the time of a marker file): removes entries unused for
    /// 30 days and temporary files a day old. Another run pruning or reading at the
    /// same time is harmless: a removed entry is a miss.
    pub fn prune_if_due(&self) {
        let marker = self.root.join("pruned");
        let now = SystemTime::now();
        let recent = fs::metadata(&marker)
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age < DAY));
        if recent || File::create(&marker).is_err() {
            return;
        }
        let Ok(fans) = fs::read_dir(&self.root) else {
            return;
        };
        for fan in fans.flatten().filter(|f| f.path().is_dir()) {
            for entry in fs::read_dir(fan.path()).into_iter().flatten().flatten() {
                let temporary = entry.file_name().to_string_lossy().starts_with(TEMPORARY);
                let limit = if temporary { DAY } else { UNUSED };
                let old = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > limit));
                if old {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_written_whole_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let entries = Entries::open(dir.path()).unwrap();
        let key = "ab".to_string() + &"0".repeat(62);
        assert_eq!(entries.read(&key), None);
        entries.write(&key, "one").unwrap();
        entries.write(&key, "two").unwrap();
        assert_eq!(entries.read(&key).as_deref(), Some("two"));
        let fan: Vec<_> = fs::read_dir(dir.path().join("v1/ab")).unwrap().collect();
        assert_eq!(fan.len(), 1, "no temporary file is left: {fan:?}");
    }

    #[test]
    fn pruning_removes_old_entries_and_spares_used_ones() {
        let dir = tempfile::tempdir().unwrap();
        let entries = Entries::open(dir.path()).unwrap();
        let (old, used) = ("aa".repeat(32), "bb".repeat(32));
        entries.write(&old, "x").unwrap();
        entries.write(&used, "y").unwrap();
        let long_ago = SystemTime::now() - UNUSED - DAY;
        for key in [&old, &used] {
            let f = File::options().write(true).open(entries.path(key)).unwrap();
            f.set_modified(long_ago).unwrap();
        }
        assert!(entries.read(&used).is_some()); // a use refreshes its time
        entries.prune_if_due();
        assert!(entries.read(&old).is_none());
        assert!(entries.read(&used).is_some());
        // pruned once a day: a new old entry stays until tomorrow
        entries.write(&old, "x").unwrap();
        let f = File::options()
            .write(true)
            .open(entries.path(&old))
            .unwrap();
        f.set_modified(long_ago).unwrap();
        entries.prune_if_due();
        assert!(fs::metadata(entries.path(&old)).is_ok());
    }
}
