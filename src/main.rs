//! Parse arguments, call the app, map the outcome to an exit status (CLI.md).

use std::process::ExitCode;

use clap::Parser;
use snipcheck::{app, cli, config};

fn main() -> ExitCode {
    // A worker is this binary started by itself; see src/python/worker.rs.
    if std::env::args().nth(1).as_deref() == Some("__worker") {
        return match app::serve_worker() {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(70),
        };
    }
    let here = std::env::current_dir().unwrap_or_default();
    let argv = match config::with_defaults(std::env::args().collect(), &here) {
        Ok(argv) => argv,
        Err(e) => {
            eprintln!("snipcheck: error: {}", format!("{e:#}").replace('\n', " "));
            return ExitCode::from(2);
        }
    };
    let cli = match cli::Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            let _ = e.print(); // --help
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One line, as for every bad input: clap's first line says what was wrong.
            let text = e.render().to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("bad arguments")
                .trim_start_matches("error: ");
            eprintln!("snipcheck: error: {first} (see snipcheck --help)");
            return ExitCode::from(2);
        }
    };
    match app::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("snipcheck: error: {}", format!("{e:#}").replace('\n', " "));
            ExitCode::from(2)
        }
    }
}
