//! The command line (docs/cli.md).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Where `--help` sends a reader for more: files in snipcheck's own repository.
const REFERENCE: &str = "Reference, in snipcheck's repository: docs/cli.md (commands, options, \
    config keys, exit statuses, report formats, the JSON schema) and docs/claims.md (what \
    counts as a claim and how each is judged).";

#[derive(Debug, Parser)]
#[command(
    name = "snipcheck",
    about = "Checks that the comments in a Python guide tell the truth about what its examples print",
    disable_version_flag = true,
    args_override_self = true,
    after_help = REFERENCE
)]
pub struct Cli {
    /// Print snipcheck's version and the embedded CPython's.
    #[arg(short = 'V', long)]
    pub version: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every example, judge every claim, report.
    #[command(after_help = REFERENCE)]
    Check(CheckArgs),
    /// Write one file per question and the claims it makes, for review.
    #[command(after_help = REFERENCE)]
    Extract(ExtractArgs),
    /// Merge the JSON reports of the parts of a run (--partition) into one report.
    #[command(after_help = REFERENCE)]
    Merge(MergeArgs),
    /// List the CPythons found here (active virtualenv, pyenv, uv, PATH), newest first:
    /// what `--python VERSION` chooses from.
    Pythons,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A line per question, then every false claim as a diff (the default).
    Human,
    /// The whole report as one JSON document (docs/cli.md has its schema).
    Json,
    /// GitHub Actions workflow commands: an annotation per false claim and error.
    Github,
    /// JUnit XML: a testsuite per guide, a testcase per question.
    Junit,
    /// SARIF 2.1.0 (GitHub code scanning): a result per false claim and error.
    Sarif,
}

/// `--report FORMAT=FILE`: one more report of the run, written to a file.
#[derive(Debug, Clone)]
pub struct ReportTarget {
    pub format: ReportFormat,
    pub path: PathBuf,
}

impl std::str::FromStr for ReportTarget {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let (format, path) = text
            .split_once('=')
            .ok_or_else(|| format!("{text:?}: expected FORMAT=FILE, like junit=report.xml"))?;
        let format = ReportFormat::from_str(format, true).map_err(|_| {
            format!("{format:?}: not a report format (human, json, github, junit, sarif)")
        })?;
        if path.is_empty() {
            return Err(format!("{text:?}: no file after '='"));
        }
        Ok(ReportTarget {
            format,
            path: PathBuf::from(path),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Seconds a question may run before it is stopped.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Relative tolerance of `~N` claims: 0.25 or 25%.
    #[arg(long, default_value = "25%")]
    pub tolerance: String,
    /// Questions run in parallel (default: the number of cores).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Run the examples under this CPython (3.9+) instead of the embedded one: a
    /// version (3.13, 3.13.0), a name on PATH (python3.12) or a path. Repeat it for a
    /// matrix: every question under every interpreter, one report.
    #[arg(long, value_name = "VERSION|NAME|PATH")]
    pub python: Vec<String>,
    /// Output kept per question, in characters.
    #[arg(long, default_value_t = 1 << 20, value_name = "CHARS")]
    pub max_output: usize,
    /// Memory a question may use (address space), like 2G or 512M.
    #[arg(long, default_value = "2G", value_name = "SIZE")]
    pub memory: String,
    /// Run each guide as one namespace: every question after the ones before it.
    #[arg(long)]
    pub shared_namespace: bool,
    /// Let examples connect and bind TCP sockets (blocked by default where the kernel
    /// can: Linux Landlock).
    #[arg(long)]
    pub allow_network: bool,
    /// Use the run cache even under CI=true: questions whose code, context,
    /// interpreter and settings are unchanged are not run again.
    #[arg(long, overrides_with = "no_cache")]
    pub cache: bool,
    /// Run every question: read and write no run cache.
    #[arg(long, overrides_with = "cache")]
    pub no_cache: bool,
}

impl RunArgs {
    /// `--cache` or `--no-cache`, whichever came last; `None` when neither did.
    pub fn cache_asked(&self) -> Option<bool> {
        match (self.cache, self.no_cache) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Guide files or directories (default: the bundled guide under guides/).
    pub paths: Vec<PathBuf>,
    /// The report on standard output (or in --output).
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write a report in this format to this file (repeatable), like
    /// `--report junit=out.xml --report json=out.json`.
    #[arg(long, value_name = "FORMAT=FILE")]
    pub report: Vec<ReportTarget>,
    /// Stop after the first failing question.
    #[arg(long, short = 'x')]
    pub exitfirst: bool,
    /// Stop after N failing questions.
    #[arg(long, value_name = "N")]
    pub maxfail: Option<usize>,
    /// Rewrite the false claims in the guides with what really happened.
    #[arg(long)]
    pub fix: bool,
    /// Print the fixes as a unified diff and write nothing.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// With --fix: exit 1 when a guide was changed (for pre-commit).
    #[arg(long, requires = "fix")]
    pub exit_non_zero_on_fix: bool,
    /// Exit 0, not 2, when the guides given hold no Python example (for hooks that
    /// pass every changed file).
    #[arg(long)]
    pub allow_no_examples: bool,
    /// Unverified claims fail the run too.
    #[arg(long)]
    pub strict: bool,
    /// Report only findings not in this baseline file (and list its entries that no
    /// longer occur).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the run's findings (false claims, examples in error) in this file, for
    /// `--baseline`; they do not fail this run.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Only the question with this number or id (repeatable).
    #[arg(long, value_name = "N")]
    pub question: Vec<String>,
    /// Only questions whose title contains this text.
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Only the Kth of N parts of the questions, for CI shards: `slice:K/N` deals
    /// questions out in turn, `hash:K/N` by a hash of each; `snipcheck merge` joins the
    /// parts' JSON reports.
    #[arg(long, value_name = "slice:K/N|hash:K/N")]
    pub partition: Option<crate::partition::Partition>,
    #[command(flatten)]
    pub display: DisplayArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Clone, Args)]
pub struct MergeArgs {
    /// JSON reports of the parts of one run (`check --partition ... --format json`).
    #[arg(required = true, value_name = "REPORT.json")]
    pub reports: Vec<PathBuf>,
    /// The merged report's format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Write the merged report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub display: DisplayArgs,
}

/// How the human report looks, for `check` and `merge` alike.
#[derive(Debug, Clone, Args)]
pub struct DisplayArgs {
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Only the failures and the summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Also the claims that passed with a note, and the illustrative ones.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

impl DisplayArgs {
    /// The human report's style, coloured when `on_terminal` allows.
    pub fn style(&self, strict: bool, on_terminal: bool) -> crate::report::human::Style {
        crate::report::human::Style {
            palette: crate::report::Palette::choose(self.color, on_terminal),
            quiet: self.quiet,
            verbose: self.verbose,
            strict,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct ExtractArgs {
    pub guide: PathBuf,
    /// The folder that gets questions/ and expected/.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write nothing; fail if the files in DIR are out of date.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub run: RunArgs,
}
