//! Finding and reading guide files: paths, directories, encodings.

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

const GUIDE_EXTENSIONS: &[&str] = &["md", "markdown", "rst", "html", "htm", "txt"];

/// Guide files named by the paths, directories searched in name order.
pub fn guide_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = vec![];
    for given in paths {
        let shown = given.display().to_string();
        let path = &locate(given);
        let meta = std::fs::metadata(path).map_err(|_| anyhow!(messages::missing_path(&shown)))?;
        if meta.is_dir() {
            let before = files.len();
            walk(path, &mut files);
            if files.len() == before {
                bail!(messages::no_guides_in(&shown));
            }
        } else {
            files.push(path.to_path_buf());
        }
    }
    Ok(files)
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

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| GUIDE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(p);
        }
    }
}

/// A guide's text: UTF-8, not binary, not empty.
pub fn read_text(path: &Path) -> Result<String> {
    let shown = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| anyhow!(messages::unreadable(&shown, &e.to_string())))?;
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

pub fn load_guides(paths: &[PathBuf], python: &Interpreter) -> Result<Vec<Guide>> {
    let mut guides = vec![];
    for file in guide_files(paths)? {
        let text = read_text(&file)?;
        let shown = file.display().to_string();
        guides.push(guide::read(&shown, &text, Format::of(&file), python)?);
    }
    if guides.iter().all(|g| guide::examples(g).next().is_none()) {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        bail!(messages::no_examples(&names.join(", ")));
    }
    Ok(guides)
}
