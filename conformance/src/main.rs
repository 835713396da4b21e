//! `conformance ENDPOINT`: parses the flags, asks before casting test votes
//! on another machine, runs the checks, prints the report. Exit status 0
//! when no rule failed, 1 when one did, 2 when it could not run.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use conformance::options::USAGE;
use conformance::{Command, Options, run};

fn main() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(Command::Check(options)) => options,
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("conformance: {err}");
            return ExitCode::from(2);
        }
    };
    let cast = match may_cast(&options) {
        Ok(cast) => cast,
        Err(message) => {
            eprintln!("conformance: {message}");
            return ExitCode::from(2);
        }
    };
    let report = run(&options, cast);
    if options.json {
        println!("{:#}", report.json());
    } else {
        print!("{}", report.table());
    }
    if report.failed().is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

/// Whether test votes may be cast: always on this machine, with `--yes`,
/// or when the person at the terminal says so.
fn may_cast(options: &Options) -> Result<bool, String> {
    if options.read_only {
        return Ok(false);
    }
    if options.yes || options.is_loopback() {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(format!(
            "{} is not on this machine: the checker casts test votes there (marked, see docs/conformance.md) only with --yes; or run it with --read-only",
            options.endpoint
        ));
    }
    eprint!(
        "The checker will cast a few test votes at {} (client.widget_version conformance/…, so they can be found and discarded) and, with a code source, verify a made-up person. Go on? [y/N] ",
        options.endpoint
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(|e| format!("cannot read the answer: {e}"))?;
    let yes = matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes");
    if !yes {
        eprintln!("No votes then: only GET and OPTIONS requests.");
    }
    Ok(yes)
}
