//! Finding and reading guide files: paths, directories, encodings.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fs::Metadata;
use std::io::Read as _;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Result};

use crate::guide::{self, Format};
use crate::messages;
use crate::model::Guide;
use crate::python::Interpreter;

/// The guide that ships with snipcheck: `guides/` here, or in the source tree.
pub fn bundled_guides() -> Result<PathBuf> {
    let local = PathBuf::from("guides");
    if local.is_dir() {
        return Ok(local);
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("guides");
    if built.is_dir() {
        return Ok(built);
    }
    bail!(messages::no_bundled_guide())
}

const GUIDE_EXTENSIONS: &[&str] = &["md", "markdown", "rst", "html", "htm", "txt", "ipynb"];

/// Guide files named by the paths, directories searched in name order.
///
/// Only regular files are guides. A FIFO, socket or device named on the command line
/// (`/dev/zero`, `/dev/stdin` on a terminal or pipe, a FIFO nobody writes to) is
/// refused with one line before anything opens it: reading one would never end, or
/// never start. A path that is a loop of symbolic links says so rather than "no such
/// file".
pub fn guide_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = vec![];
    for given in paths {
        let shown = given.display().to_string();
        let path = &locate(given);
        let meta = std::fs::metadata(path).map_err(|e| {
            if is_link_loop(&e) {
                anyhow!(messages::link_loop(&shown))
            } else {
                anyhow!(messages::missing_path(&shown))
            }
        })?;
        if meta.is_dir() {
            let mut walk = Walk::default();
            walk.run(path, &meta);
            for warning in &walk.warnings {
                eprintln!("snipcheck: warning: {warning}");
            }
            if walk.files.is_empty() {
                bail!(messages::no_guides_in(&shown));
            }
            files.extend(walk.files);
        } else if meta.is_file() {
            files.push(path.to_path_buf());
        } else {
            bail!(messages::not_a_regular_file(&shown, kind(&meta)));
        }
    }
    Ok(files)
}

/// Whether an error says the path is a loop of symbolic links (`ln -s a b; ln -s b a`).
fn is_link_loop(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

/// What a file that is not a regular file or a directory is, in words.
fn kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else {
        "a special file"
    }
}

/// A file's identity whatever path reaches it: device and inode.
fn identity(meta: &Metadata) -> (u64, u64) {
    (meta.dev(), meta.ino())
}

/// A search of one directory given on the command line.
///
/// Symbolic links are followed (a docs folder may link in a shared one), but each
/// directory is searched at most once, known by its device and inode: a link back to
/// a directory above it (`docs/self -> .`) would otherwise recurse until paths grow too
/// long, and two such links double the guides at every level, which never ends in
/// practice. Links are followed only after the real tree has been searched, so that a
/// directory or guide inside the folder is found under its own path and the link to
/// it is the one left out; a link that leads to a guide already found is left out
/// silently, one that loops or leads to a directory already searched with a warning.
/// These are warnings, not errors: the rest of the folder is fine.
#[derive(Default)]
struct Walk {
    /// Directories searched, with the path each was searched at.
    dirs: HashMap<(u64, u64), PathBuf>,
    /// Symbolic links met, to follow once the real tree is searched.
    links: VecDeque<PathBuf>,
    /// Guides found, and the files they are.
    files: Vec<PathBuf>,
    found: HashSet<(u64, u64)>,
    warnings: Vec<String>,
}

impl Walk {
    fn run(&mut self, dir: &Path, meta: &Metadata) {
        self.search(dir, meta);
        while let Some(link) = self.links.pop_front() {
            self.visit(&link);
        }
    }

    fn search(&mut self, dir: &Path, meta: &Metadata) {
        self.dirs.insert(identity(meta), dir.to_path_buf());
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<(PathBuf, bool)> = entries
            .filter_map(|e| e.ok())
            .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_symlink())))
            .collect();
        entries.sort();
        for (path, link) in entries {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('.') || name == "target" || name == "node_modules" {
                continue;
            }
            if link {
                self.links.push_back(path);
            } else {
                self.visit(&path);
            }
        }
    }

    /// One entry of a directory, its links followed.
    fn visit(&mut self, path: &Path) {
        let shown = path.display().to_string();
        let is_guide = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| GUIDE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if is_link_loop(&e) => {
                self.warnings.push(messages::link_loop_skipped(&shown));
                return;
            }
            Err(e) => {
                if is_guide {
                    let why = e.to_string();
                    self.warnings
                        .push(messages::unreadable_skipped(&shown, &why));
                }
                return;
            }
        };
        let id = identity(&meta);
        if meta.is_dir() {
            match self.dirs.get(&id) {
                Some(first) if path.starts_with(first) => {
                    let first = first.display().to_string();
                    self.warnings.push(messages::link_back(&shown, &first));
                }
                Some(first) => {
                    let first = first.display().to_string();
                    self.warnings
                        .push(messages::already_searched(&shown, &first));
                }
                None => self.search(path, &meta),
            }
        } else if is_guide && !meta.is_file() {
            self.warnings
                .push(messages::special_file_skipped(&shown, kind(&meta)));
        } else if is_guide && self.found.insert(id) {
            self.files.push(path.to_path_buf());
        }
    }
}

/// A relative path is taken from the working directory; when it is not there but is
/// under `$PWD`, the shell's directory, it is taken from there: a parent process that
/// changed our working directory (a test runner, an editor) still means the directory
/// the user typed the path in.
fn locate(path: &Path) -> PathBuf {
    if path.is_relative() && !path.exists() {
        if let Some(pwd) = std::env::var_os("PWD").map(PathBuf::from) {
            let there = pwd.join(path);
            if pwd.is_absolute() && there.exists() {
                return there;
            }
        }
    }
    path.to_path_buf()
}

/// A guide's text: a regular file, UTF-8, not binary, not empty.
///
/// The file is opened without blocking and checked to be a regular file on the open
/// handle itself: [`guide_files`] looked at the path, but what is there may have been
/// replaced since by a FIFO, whose open would wait for a writer forever, or by a
/// device, whose reading never ends. On a regular file `O_NONBLOCK` changes nothing.
pub fn read_text(path: &Path) -> Result<String> {
    let shown = path.display().to_string();
    let unreadable = |e: std::io::Error| anyhow!(messages::unreadable(&shown, &e.to_string()));
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if !meta.is_file() {
        bail!(messages::not_a_regular_file(&shown, kind(&meta)));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.is_empty() {
        bail!(messages::empty_file(&shown));
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        bail!(messages::binary_file(&shown));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            bail!(messages::not_utf8(&shown, line))
        }
    }
}

/// The guides at these paths, read. None of them holding an example is an error unless
/// `allow_none` (then the list holds the guides, examples or not).
pub fn load_guides(
    paths: &[PathBuf],
    python: &Interpreter,
    allow_none: bool,
) -> Result<Vec<Guide>> {
    let mut guides = vec![];
    for file in guide_files(paths)? {
        let text = read_text(&file)?;
        let shown = file.display().to_string();
        guides.push(guide::read(&shown, &text, Format::of(&file), python)?);
    }
    if !allow_none && guides.iter().all(|g| guide::examples(g).next().is_none()) {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        bail!(messages::no_examples(&names.join(", ")));
    }
    Ok(guides)
}
