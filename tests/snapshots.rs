//! Snapshots of what users read: the human, JSON, GitHub and JUnit reports of the
//! fixture guides and of the bundled guide, so that any change to a report is a diff
//! to review (`cargo insta review`, or INSTA_UPDATE=always and `git diff`). Times and
//! the interpreter's path are redacted; everything else is as printed.

mod common;

/// Guides whose reports are snapshotted, paths from the repository root.
const GUIDES: &[&str] = &[
    "guides/python-advanced.txt",
    "tests/fixtures/claims.md",
    "tests/fixtures/sessions.md",
    "tests/fixtures/page.html",
    "tests/fixtures/sheet.txt",
    "tests/fixtures/tutorial.rst",
    "tests/fixtures/run-all.md",
];

/// The formats besides the terminal's, each written by `--report FORMAT=FILE` of the
/// same run.
const FILE_FORMATS: &[&str] = &["json", "github", "junit"];

/// Runs snipcheck from the repository root, as a user of the repository would.
fn report(args: &[&str]) -> String {
    // a run cache of its own, empty: every question runs
    let (mut cmd, _cache) = common::snipcheck();
    let out = cmd
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("GITHUB_ACTIONS")
        .env_remove("NO_COLOR")
        .env_remove("VIRTUAL_ENV")
        .output()
        .expect("snipcheck runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    redact(&String::from_utf8(out.stdout).expect("reports are UTF-8"))
}

/// What changes from run to run or machine to machine: times and the interpreter.
fn redact(text: &str) -> String {
    let time = regex::Regex::new(r"· \d+\.\d+ s").unwrap();
    let seconds = regex::Regex::new(r#""seconds": [0-9.e-]+"#).unwrap();
    let executable = regex::Regex::new(r#""executable": "[^"]*""#).unwrap();
    let text = time.replace_all(text, "· [time]");
    let text = seconds.replace_all(&text, r#""seconds": "[time]""#);
    executable
        .replace_all(&text, r#""executable": "[python]""#)
        .into_owned()
}

fn snapshot_name(guide: &str, format: &str) -> String {
    let stem = guide.rsplit('/').next().unwrap().replace('.', "_");
    format!("{stem}__{format}")
}

#[test]
fn reports_of_the_fixture_guides() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for guide in GUIDES {
            let dir = tempfile::tempdir().unwrap();
            let file = |format: &str| dir.path().join(format!("report.{format}"));
            let mut args = vec![
                "check".to_string(),
                guide.to_string(),
                "--color".into(),
                "never".into(),
            ];
            for format in FILE_FORMATS {
                args.push("--report".into());
                args.push(format!("{format}={}", file(format).display()));
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let human = report(&args);
            insta::assert_snapshot!(snapshot_name(guide, "human"), human);
            for format in FILE_FORMATS {
                let text = std::fs::read_to_string(file(format)).unwrap();
                insta::assert_snapshot!(snapshot_name(guide, format), redact(&text));
            }
        }
    });
}

/// The README's sample is the terminal report of its own first command, snapshotted.
#[test]
fn readme_sample_output_is_what_the_bundled_guide_prints() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let marker = "<!-- sample output: cargo run --release -- check -->";
    let after = readme
        .split_once(marker)
        .expect("the README marks its sample output")
        .1;
    let block = after
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("a text block after the marker")
        .0;
    let printed = report(&["check", "--color", "never"]);
    assert_eq!(redact(block), printed);
}
