//! Defaults from `snipcheck.toml`, or a `[tool.snipcheck]` table in `pyproject.toml`,
//! found by walking up from the current directory (CLI.md). They become arguments
//! placed before the user's, so the command line still wins.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Result};

/// Settings of the report, which only `check` has.
const REPORT_KEYS: &[&str] = &["strict", "color", "format", "maxfail", "baseline"];

/// The settings a config file may hold, as the long options they stand for.
const KEYS: &[&str] = &[
    "timeout",
    "tolerance",
    "jobs",
    "python",
    "max-output",
    "memory",
    "shared-namespace",
    "allow-network",
    "cache",
    "strict",
    "color",
    "format",
    "maxfail",
    "baseline",
];

/// The config file that applies in `dir`, if any: the nearest `snipcheck.toml`, or
/// `pyproject.toml` with a `[tool.snipcheck]` table.
pub fn find(dir: &Path) -> Option<PathBuf> {
    for d in dir.ancestors() {
        let own = d.join("snipcheck.toml");
        if own.is_file() {
            return Some(own);
        }
        let pyproject = d.join("pyproject.toml");
        if pyproject.is_file()
            && std::fs::read_to_string(&pyproject).is_ok_and(|t| t.contains("[tool.snipcheck]"))
        {
            return Some(pyproject);
        }
    }
    None
}

/// The arguments a config file stands for.
/// The arguments a config file stands for; `report` false leaves out the settings
/// of the report (for `extract`).
pub fn arguments(path: &Path, report: bool) -> Result<Vec<String>> {
    let shown = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|e| anyhow!("{shown}: cannot be read: {e}"))?;
    let doc: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| anyhow!("{shown}: is not valid TOML: {}", e.message()))?;
    let table = if path.file_name().is_some_and(|n| n == "pyproject.toml") {
        match doc.get("tool").and_then(|t| t.get("snipcheck")) {
            Some(toml::Value::Table(t)) => t.clone(),
            _ => return Ok(vec![]),
        }
    } else {
        doc
    };
    let mut args = vec![];
    for (key, value) in &table {
        let flag = key.replace('_', "-");
        if !KEYS.contains(&flag.as_str()) {
            bail!(
                "{shown}: unknown setting `{key}` (known: {})",
                KEYS.join(", ")
            );
        }
        if !report && REPORT_KEYS.contains(&flag.as_str()) {
            continue;
        }
        match value {
            toml::Value::Boolean(true) => args.push(format!("--{flag}")),
            // `cache = false` must say so: the cache is on by default
            toml::Value::Boolean(false) if flag == "cache" => args.push("--no-cache".into()),
            toml::Value::Boolean(false) => {}
            // a baseline file sits beside the config that names it
            toml::Value::String(s) if flag == "baseline" => {
                let dir = path.parent().unwrap_or(Path::new("."));
                args.extend([format!("--{flag}"), dir.join(s).display().to_string()]);
            }
            toml::Value::String(s) => args.extend([format!("--{flag}"), s.clone()]),
            toml::Value::Integer(n) => args.extend([format!("--{flag}"), n.to_string()]),
            toml::Value::Float(f) => args.extend([format!("--{flag}"), f.to_string()]),
            // `python = ["3.10", "3.13"]`: a matrix, the option once per entry
            toml::Value::Array(items) if flag == "python" => {
                for item in items {
                    let Some(s) = item.as_str() else {
                        bail!("{shown}: `python` must be a string or a list of strings");
                    };
                    args.extend([format!("--{flag}"), s.to_string()]);
                }
            }
            _ => bail!("{shown}: `{key}` must be a string, a number or true/false"),
        }
    }
    Ok(args)
}

/// The command line with the config's arguments put after the subcommand, which is
/// where options belong; `check` and `extract` share the run options, and only
/// `check` takes the report's.
pub fn with_defaults(argv: Vec<String>, dir: &Path) -> Result<Vec<String>> {
    let Some(at) = argv.iter().position(|a| a == "check" || a == "extract") else {
        return Ok(argv);
    };
    let Some(path) = find(dir) else {
        return Ok(argv);
    };
    let mut extra = arguments(&path, argv[at] == "check")?;
    // `--python` may be given several times: on the command line it replaces the
    // config's list rather than adding to it
    if argv[at + 1..]
        .iter()
        .any(|a| a == "--python" || a.starts_with("--python="))
    {
        let mut kept = vec![];
        let mut it = extra.into_iter();
        while let Some(a) = it.next() {
            if a == "--python" {
                it.next();
            } else {
                kept.push(a);
            }
        }
        extra = kept;
    }
    let mut out = argv[..=at].to_vec();
    out.extend(extra);
    out.extend(argv[at + 1..].iter().cloned());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_become_arguments_before_the_users() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[tool.snipcheck]\ntimeout = 3\nstrict = true\n",
        )
        .unwrap();
        let inner = dir.path().join("docs");
        std::fs::create_dir(&inner).unwrap();
        let argv: Vec<String> = ["snipcheck", "check", "--timeout", "5", "g.md"]
            .map(String::from)
            .to_vec();
        let got = with_defaults(argv, &inner).unwrap();
        assert_eq!(
            got,
            [
                "snipcheck",
                "check",
                "--strict",
                "--timeout",
                "3",
                "--timeout",
                "5",
                "g.md"
            ]
        );
    }

    #[test]
    fn extract_takes_the_run_settings_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("snipcheck.toml"),
            "strict = true\nformat = \"json\"\njobs = 2\n",
        )
        .unwrap();
        let argv: Vec<String> = ["snipcheck", "extract", "g.txt", "--out", "."]
            .map(String::from)
            .to_vec();
        let got = with_defaults(argv, dir.path()).unwrap();
        assert_eq!(
            got,
            ["snipcheck", "extract", "--jobs", "2", "g.txt", "--out", "."]
        );
    }

    #[test]
    fn cache_false_turns_the_cache_off() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("snipcheck.toml");
        std::fs::write(&path, "cache = false\n").unwrap();
        assert_eq!(arguments(&path, false).unwrap(), ["--no-cache"]);
        std::fs::write(&path, "cache = true\n").unwrap();
        assert_eq!(arguments(&path, false).unwrap(), ["--cache"]);
    }

    #[test]
    fn unknown_settings_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("snipcheck.toml"), "timout = 3\n").unwrap();
        let err = arguments(&dir.path().join("snipcheck.toml"), true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown setting `timout`"), "{err}");
    }
}
