//! Fills a fresh demo database with the synthetic votes of
//! [`collector::demo_seed`], once: `scripts/demo` runs it before the
//! collector starts. A database that holds any vote is left as it is. Takes
//! the collector's own flags (`--database`, `--batches`, `--regions`,
//! `--secret-file`); a binary of its own, so that the collector that counts
//! citizens' votes cannot write made-up ones.

use std::process::ExitCode;

use collector::catalog::Catalog;
use collector::config::Command;
use collector::demo_seed::{self, Seeded};
use collector::regions::Regions;
use collector::state::open_store;
use collector::Config;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::parse(std::env::args().skip(1), |key| std::env::var(key).ok()) {
        Ok(Command::Run(config)) => config,
        Ok(_) => {
            eprintln!("demo-seed [--database FILE|URL] [--batches FILE] [--regions DIR] [--secret-file FILE]");
            return ExitCode::from(2);
        }
        Err(err) => {
            eprintln!("demo-seed: {err}");
            return ExitCode::from(2);
        }
    };
    match run(&config).await {
        Ok(said) => {
            eprintln!("demo-seed: {said}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("demo-seed: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: &Config) -> Result<String, Box<dyn std::error::Error>> {
    let catalog = Catalog::load(&config.batches).map_err(|e| format!("batches file {}: {e}", config.batches.display()))?;
    let regions = Regions::load(&config.regions)?;
    let (_, store) = open_store(config)?;
    let seeded = demo_seed::seed(&store, &catalog, &regions).await.map_err(|e| format!("database {}: {e:?}", config.database))?;
    Ok(match seeded {
        Seeded::AlreadyHasVotes => format!("{} holds votes already; nothing was added", config.database),
        Seeded::Done(batches) => {
            let counts: Vec<String> = batches.iter().map(|(batch, votes)| format!("{batch} {votes}")).collect();
            format!(
                "wrote synthetic votes (client.widget_version {:?}) into {}: {}",
                demo_seed::WIDGET_VERSION,
                config.database,
                counts.join(", ")
            )
        }
    })
}
