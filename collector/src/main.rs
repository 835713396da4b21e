//! Parses the configuration, sets up logging, binds, and announces the
//! address on stdout: the end-to-end harness reads that one line to learn
//! the port when it binds port 0.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::process::ExitCode;

use collector::config::{Command, USAGE};
use collector::{AppState, Config, app, organiser};

/// mimalloc rather than glibc's allocator: a vote's request allocates and
/// frees many small buffers on two threads while the writer's thread frees
/// what they handed it, and glibc's arenas spent a sixth of the collector's
/// time in `malloc`/`free` and their consolidation. With mimalloc the SQLite
/// benchmark takes 12,000 votes/s instead of 10,300 (collector/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::parse(std::env::args().skip(1), |key| std::env::var(key).ok()) {
        Ok(Command::Run(config)) => config,
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::PublishFollowUp { config, file }) => {
            return finish(organiser::publish_follow_up(&config, &file).await.map(|done| eprintln!("collector: {done}")));
        }
        Ok(Command::ExportTallies { config, export }) => {
            let csv = organiser::export_tallies(&config, &export).await;
            return finish(csv.and_then(|csv| write_out(export.out.as_deref(), &csv)));
        }
        Err(err) => {
            eprintln!("collector: {err}");
            return ExitCode::from(2);
        }
    };
    // Logs go to stderr so stdout carries only the "listening" line.
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_ansi(std::io::stderr().is_terminal()).init();

    match serve(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("collector: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The exit status of an organiser's command, its failure said on stderr.
fn finish(result: Result<(), Box<dyn std::error::Error>>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("collector: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Writes `text` to `out`, or to stdout without one.
fn write_out(out: Option<&std::path::Path>, text: &str) -> Result<(), Box<dyn std::error::Error>> {
    match out {
        Some(path) => std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()).into()),
        None => Ok(std::io::stdout().lock().write_all(text.as_bytes())?),
    }
}

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let state = AppState::open(&config)?;
    warn_about_real_names(&config, &state);
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
    let address = listener.local_addr()?;
    if config.fault_injection {
        tracing::warn!(
            "FAULT INJECTION IS ON (--fault-injection): anyone who can reach {address} can POST /__faults to make \
             this collector refuse, delay or drop votes and serve broken batches; for tests only, never collect \
             real votes like this"
        );
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "collector listening on http://{address}")?;
    stdout.flush()?;
    drop(stdout);
    // The peer address feeds the per-address limit on verification codes.
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown()).await?;
    Ok(())
}

/// Says once, at start-up, how verification codes will (or will not) be sent.
fn warn_about_real_names(config: &Config, state: &AppState) {
    let batches = state.real_name_batches();
    if config.dev_sms {
        tracing::warn!(
            "DEVELOPMENT SMS is on (--dev-sms): verification codes are written to this log and no SMS is sent; \
             anyone who reads the log can verify as anyone, so never collect real votes like this"
        );
    } else if state.sms.is_none() && !batches.is_empty() {
        tracing::warn!(
            batches = %batches.join(", "),
            "these batches take real names but no SMS sender is configured: POST /verifications answers 503 \
             (use --dev-sms in development; see collector/README.md)"
        );
    }
}

/// Finishes the requests in flight on Ctrl-C or SIGTERM, so no vote is cut
/// off between its commit and its receipt.
async fn shutdown() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
