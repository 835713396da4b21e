//! Command-line flags with environment fallbacks. Hand-written: a dozen flags
//! do not pay for an argument-parsing crate on a two-core CI machine.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use survey_protocol::region_results::MIN_VOTES_FLOOR;

use crate::rate_limit::DEFAULT_PER_ADDRESS_HOURLY;

/// Where the votes are kept: a SQLite file, or a PostgreSQL server shared
/// by any number of collectors.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseLocation {
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` URL, password and all.
    Postgres(String),
}

impl DatabaseLocation {
    /// A `postgres://` URL is PostgreSQL; anything else is a SQLite file.
    pub fn parse(value: &str) -> Self {
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            Self::Postgres(value.to_owned())
        } else {
            Self::Sqlite(PathBuf::from(value))
        }
    }
}

/// Never prints a password: configs and errors end up in logs.
impl fmt::Debug for DatabaseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Self::Postgres(url) => f.debug_tuple("Postgres").field(&without_password(url)).finish(),
        }
    }
}

impl fmt::Display for DatabaseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "{}", path.display()),
            Self::Postgres(url) => f.write_str(&without_password(url)),
        }
    }
}

/// The URL with the password between `:` and `@` replaced by `***`.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            let hidden = if userinfo.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}{path}")
        }
        None => url.to_owned(),
    }
}

/// PostgreSQL connections per collector unless `--db-pool` says otherwise:
/// one for the writer, the rest for reads, verifications and health checks.
pub const DEFAULT_DB_POOL: usize = 8;

/// Everything `main` needs to start the collector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub bind: SocketAddr,
    pub database: DatabaseLocation,
    /// The most PostgreSQL connections this collector opens.
    pub db_pool: usize,
    pub batches: PathBuf,
    pub dist: PathBuf,
    pub regions: PathBuf,
    /// Origins allowed to call the API from a browser; `*` allows any.
    pub cors_origins: Vec<String>,
    /// The server secret (see [`crate::secret`]); by default `secret.key`
    /// beside a SQLite database. With PostgreSQL it must be given, and be
    /// the same file for every collector.
    pub secret_file: PathBuf,
    /// Write verification codes to the log instead of sending them.
    /// Development only: anyone who reads the log can verify as anyone.
    pub dev_sms: bool,
    /// A header the reverse proxy sets to the client's address, e.g.
    /// `X-Real-IP`; without it the TCP peer is the client. See
    /// [`crate::client_address`].
    pub client_address_header: Option<String>,
    /// How many verification codes one client address may ask for in an
    /// hour; see [`crate::rate_limit`].
    pub codes_per_address: usize,
    /// Regions with fewer votes are left out of results by region, so a
    /// vote cannot be traced back to a person; at least
    /// [`survey_protocol::region_results::MIN_VOTES_FLOOR`].
    pub region_min_votes: u64,
    /// Tests only: serve `/__faults`, through which a test makes the
    /// collector fail, delay or drop votes and serve broken batches on
    /// purpose. See [`crate::faults`].
    pub fault_injection: bool,
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant, reason = "made once at start-up; a Box would buy nothing")]
pub enum Command {
    Run(Config),
    Help,
    /// `collector publish-follow-up FILE`: the organiser's follow-up into
    /// the database `config` names.
    PublishFollowUp { config: Config, file: PathBuf },
    /// `collector export-tallies --batch ID --level …`: tallies by region as CSV.
    ExportTallies { config: Config, export: Export },
}

/// What `export-tallies` writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub batch: String,
    pub level: ExportLevel,
    /// The file to write; stdout when `None`.
    pub out: Option<PathBuf>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportLevel {
    /// Every province.
    Provinces,
    /// Every city of the province with this code.
    CitiesOf(String),
}

/// A command line that cannot be understood; the message names the flag.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError(String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\nRun `collector --help` for the list of flags.", self.0)
    }
}

impl std::error::Error for ConfigError {}

pub const USAGE: &str = "\
collector: the reference collection endpoint of the bottleneck survey

Usage: collector [FLAGS]                          serve the survey
       collector publish-follow-up [FLAGS] FILE   publish what became of each
                        bottleneck (see collector/README.md): FILE is checked
                        whole against --batches and stored in --database,
                        replacing the follow-up of each batch it names
       collector export-tallies [FLAGS] --batch ID --level province|city
                        [--province CODE] [--out FILE]
                        tallies by province, or by city of one province, as
                        CSV (UTF-8 with a BOM) to FILE or stdout; no region
                        is withheld: for the organiser, not for publication

Flags (each falls back to the environment variable in brackets):
  --bind ADDR           address to listen on, port 0 picks one [BSV_BIND]
                        default 127.0.0.1:8080
  --database FILE|URL   SQLite database file, created with its directory, or
                        postgres://user:password@host:port/dbname for a
                        PostgreSQL database shared by many collectors
                        [BSV_DATABASE]
                        default collector/data/votes.sqlite3
  --db-pool N           most PostgreSQL connections this collector opens
                        [BSV_DB_POOL] default 8
  --batches FILE        batches file [BSV_BATCHES]
                        default collector/batches/demo-2018.json
  --dist DIR            built widget served at / [BSV_DIST]
                        default dist/
  --regions DIR         region data: provinces.json and {code}.json [BSV_REGIONS]
                        default public/regions/
  --cors-origin ORIGIN  browser origin allowed to call the API, repeatable;
                        * allows any [BSV_CORS_ORIGINS, comma-separated]
                        default none
  --secret-file FILE    server secret: 32+ random bytes that key person keys
                        and sign verification tokens; beside a SQLite
                        database it is created (mode 0600) if missing; with
                        PostgreSQL it must exist and be the same file for
                        every collector [BSV_SECRET_FILE]
                        default secret.key beside a SQLite database
  --dev-sms             development only: write verification codes to the
                        log instead of sending an SMS [BSV_DEV_SMS=1]
  --client-address-header NAME
                        header a reverse proxy sets to the client's address,
                        e.g. X-Real-IP; without it the TCP peer is used and no
                        header is trusted [BSV_CLIENT_ADDRESS_HEADER]
  --codes-per-address N verification codes one client address may ask for
                        in an hour; raise it when many citizens share an
                        address (carrier NAT) [BSV_CODES_PER_ADDRESS]
                        default 20
  --region-min-votes N  regions with fewer votes are left out of results by
                        region, at least 10 [BSV_REGION_MIN_VOTES] default 10
  --fault-injection     tests only: POST /__faults makes this collector fail,
                        delay or drop votes and serve broken batches on
                        purpose [BSV_FAULT_INJECTION=1]
  --help                print this and exit
";

/// The crate's own directory, so the defaults work from any working directory.
fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

impl Config {
    /// Reads flags (without the program name) and falls back to `env` for
    /// each one left out; a flag wins over its environment variable.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Command, ConfigError> {
        let mut bind = None;
        let mut database = None;
        let mut batches = None;
        let mut dist = None;
        let mut regions = None;
        let mut cors_origins = Vec::new();
        let mut secret_file = None;
        let mut dev_sms = None;
        let mut fault_injection = None;
        let mut client_address_header = None;
        let mut codes_per_address = None;
        let mut db_pool = None;
        let mut region_min_votes = None;
        let (mut batch, mut level, mut province, mut out) = (None, None, None, None);
        let mut positional = Vec::new();

        let mut args = args.into_iter().peekable();
        let subcommand = match args.peek().map(String::as_str) {
            Some(name @ (PUBLISH_FOLLOW_UP | EXPORT_TALLIES)) => {
                let name = name.to_owned();
                args.next();
                Some(name)
            }
            _ => None,
        };
        while let Some(arg) = args.next() {
            if arg == "--help" || arg == "-h" {
                return Ok(Command::Help);
            }
            if !arg.starts_with('-') {
                positional.push(arg);
                continue;
            }
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
                None => (arg, None),
            };
            let slot = match flag.as_str() {
                "--bind" => &mut bind,
                "--database" => &mut database,
                "--db-pool" => &mut db_pool,
                "--batches" => &mut batches,
                "--dist" => &mut dist,
                "--regions" => &mut regions,
                "--secret-file" => &mut secret_file,
                "--client-address-header" => &mut client_address_header,
                "--codes-per-address" => &mut codes_per_address,
                "--region-min-votes" => &mut region_min_votes,
                "--batch" | "--level" | "--province" | "--out" if subcommand.as_deref() == Some(EXPORT_TALLIES) => {
                    match flag.as_str() {
                        "--batch" => &mut batch,
                        "--level" => &mut level,
                        "--province" => &mut province,
                        _ => &mut out,
                    }
                }
                "--batch" | "--level" | "--province" | "--out" => {
                    return Err(ConfigError(format!("{flag} is a flag of `collector {EXPORT_TALLIES}`")));
                }
                "--dev-sms" | "--fault-injection" => {
                    if inline.is_some() {
                        return Err(ConfigError(format!("{flag} takes no value")));
                    }
                    if flag == "--dev-sms" {
                        dev_sms = Some(true);
                    } else {
                        fault_injection = Some(true);
                    }
                    continue;
                }
                "--cors-origin" => {
                    cors_origins.push(value_of(&flag, inline, &mut args)?);
                    continue;
                }
                _ => return Err(ConfigError(format!("unknown flag {flag:?}"))),
            };
            *slot = Some(value_of(&flag, inline, &mut args)?);
        }

        let bind = bind.or_else(|| env("BSV_BIND")).unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let bind = bind
            .parse()
            .map_err(|_| ConfigError(format!("--bind {bind:?} is not an address such as 127.0.0.1:8080")))?;
        if cors_origins.is_empty() {
            cors_origins = env("BSV_CORS_ORIGINS")
                .map(|list| list.split(',').map(str::trim).filter(|o| !o.is_empty()).map(str::to_owned).collect())
                .unwrap_or_default();
        }
        let dev_sms = switch(dev_sms, "BSV_DEV_SMS", &env)?;
        let fault_injection = switch(fault_injection, "BSV_FAULT_INJECTION", &env)?;
        let codes_per_address = match codes_per_address.or_else(|| env("BSV_CODES_PER_ADDRESS")) {
            None => DEFAULT_PER_ADDRESS_HOURLY,
            Some(n) => n.trim().parse().ok().filter(|&n| n > 0).ok_or_else(|| {
                ConfigError(format!("--codes-per-address {n:?} is not a whole number above 0"))
            })?,
        };
        let db_pool = match db_pool.or_else(|| env("BSV_DB_POOL")) {
            None => DEFAULT_DB_POOL,
            Some(n) => n.trim().parse().ok().filter(|&n| n >= 2).ok_or_else(|| {
                ConfigError(format!("--db-pool {n:?} is not a whole number of at least 2"))
            })?,
        };
        let region_min_votes = match region_min_votes.or_else(|| env("BSV_REGION_MIN_VOTES")) {
            None => MIN_VOTES_FLOOR,
            Some(n) => n.trim().parse().ok().filter(|&n| n >= MIN_VOTES_FLOOR).ok_or_else(|| {
                ConfigError(format!(
                    "--region-min-votes {n:?} is not a whole number of at least {MIN_VOTES_FLOOR}: a region with \
                     fewer votes could single out the citizens who cast them"
                ))
            })?,
        };
        let path = |flag: Option<String>, var: &str, default: PathBuf| {
            flag.or_else(|| env(var)).map_or(default, PathBuf::from)
        };
        let database = match database.or_else(|| env("BSV_DATABASE")) {
            Some(value) => DatabaseLocation::parse(&value),
            None => DatabaseLocation::Sqlite(manifest_dir().join("data/votes.sqlite3")),
        };
        let secret_file = match (&database, secret_file.or_else(|| env("BSV_SECRET_FILE"))) {
            (_, Some(file)) => PathBuf::from(file),
            (DatabaseLocation::Sqlite(path), None) => path.parent().unwrap_or(Path::new("")).join("secret.key"),
            (DatabaseLocation::Postgres(_), None) => {
                return Err(ConfigError(
                    "a PostgreSQL --database needs --secret-file (or BSV_SECRET_FILE): every collector on one \
                     database must use the same secret"
                        .to_owned(),
                ));
            }
        };
        let config = Config {
            bind,
            secret_file,
            database,
            db_pool,
            batches: path(batches, "BSV_BATCHES", manifest_dir().join("batches/demo-2018.json")),
            dist: path(dist, "BSV_DIST", manifest_dir().join("../dist")),
            regions: path(regions, "BSV_REGIONS", manifest_dir().join("../public/regions")),
            cors_origins,
            dev_sms,
            client_address_header: client_address_header.or_else(|| env("BSV_CLIENT_ADDRESS_HEADER")),
            codes_per_address,
            region_min_votes,
            fault_injection,
        };
        match subcommand.as_deref() {
            None => match positional.first() {
                None => Ok(Command::Run(config)),
                Some(arg) => Err(ConfigError(format!("unexpected argument {arg:?}"))),
            },
            Some(PUBLISH_FOLLOW_UP) => match positional.as_slice() {
                [file] => Ok(Command::PublishFollowUp { config, file: PathBuf::from(file) }),
                _ => Err(ConfigError(format!("`collector {PUBLISH_FOLLOW_UP}` takes one FILE"))),
            },
            Some(_) => {
                if let Some(arg) = positional.first() {
                    return Err(ConfigError(format!("unexpected argument {arg:?}")));
                }
                let batch = batch.ok_or_else(|| ConfigError("export-tallies needs --batch ID".to_owned()))?;
                let level = match (level.as_deref(), province) {
                    (Some("province") | None, None) => ExportLevel::Provinces,
                    (Some("city"), Some(province)) => ExportLevel::CitiesOf(province),
                    (Some("city"), None) => {
                        return Err(ConfigError("--level city needs --province CODE".to_owned()));
                    }
                    (Some("province") | None, Some(_)) => {
                        return Err(ConfigError("--province goes with --level city".to_owned()));
                    }
                    (Some(other), _) => {
                        return Err(ConfigError(format!("--level {other:?} is neither province nor city")));
                    }
                };
                Ok(Command::ExportTallies { config, export: Export { batch, level, out: out.map(PathBuf::from) } })
            }
        }
    }
}

const PUBLISH_FOLLOW_UP: &str = "publish-follow-up";
const EXPORT_TALLIES: &str = "export-tallies";

/// An on/off flag: given on the command line, or `var` set to 1 or 0.
fn switch(flag: Option<bool>, var: &str, env: impl Fn(&str) -> Option<String>) -> Result<bool, ConfigError> {
    match flag {
        Some(on) => Ok(on),
        None => match env(var).as_deref().map(str::trim) {
            None | Some("" | "0" | "false" | "no" | "off") => Ok(false),
            Some("1" | "true" | "yes" | "on") => Ok(true),
            Some(other) => Err(ConfigError(format!("{var}={other:?} is neither 1 nor 0"))),
        },
    }
}

/// The value of `--flag=value` or of `--flag value`.
fn value_of(
    flag: &str,
    inline: Option<String>,
    rest: &mut impl Iterator<Item = String>,
) -> Result<String, ConfigError> {
    inline
        .or_else(|| rest.next())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ConfigError(format!("{flag} needs a value")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<Command, ConfigError> {
        let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::parse(args.iter().map(|a| a.to_string()), move |key| {
            env.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
        })
    }

    fn config(args: &[&str], env: &[(&str, &str)]) -> Config {
        match parse(args, env) {
            Ok(Command::Run(config)) => config,
            other => panic!("expected a config, got {other:?}"),
        }
    }

    #[test]
    fn defaults_point_into_the_repository_whatever_the_working_directory() {
        let config = config(&[], &[]);
        assert_eq!(config.bind, "127.0.0.1:8080".parse().unwrap());
        assert!(config.batches.ends_with("collector/batches/demo-2018.json"));
        assert!(config.batches.is_absolute());
        let DatabaseLocation::Sqlite(database) = &config.database else { panic!("{:?}", config.database) };
        assert!(database.ends_with("collector/data/votes.sqlite3"));
        assert_eq!(config.db_pool, 8);
        assert!(config.dist.ends_with("collector/../dist"));
        assert!(config.regions.ends_with("collector/../public/regions"));
        assert!(config.cors_origins.is_empty());
        assert!(config.secret_file.ends_with("collector/data/secret.key"));
        assert!(!config.dev_sms);
        assert_eq!(config.client_address_header, None);
        assert!(!config.fault_injection);
        assert_eq!(config.codes_per_address, 20);
        assert_eq!(config.region_min_votes, 10);
    }

    #[test]
    fn regions_are_never_shown_with_fewer_than_ten_votes() {
        assert_eq!(config(&["--region-min-votes", "50"], &[]).region_min_votes, 50);
        assert_eq!(config(&[], &[("BSV_REGION_MIN_VOTES", "20")]).region_min_votes, 20);
        for bad in ["9", "0", "-10", "ten"] {
            let error = parse(&["--region-min-votes", bad], &[]).unwrap_err().to_string();
            assert!(error.contains("at least 10"), "{bad}: {error}");
        }
    }

    #[test]
    fn publishing_follow_up_takes_one_file_and_the_database_flags() {
        let Ok(Command::PublishFollowUp { config, file }) =
            parse(&["publish-follow-up", "--database", "/srv/votes.sqlite3", "follow-up.json"], &[])
        else {
            panic!("expected publish-follow-up")
        };
        assert_eq!(file, PathBuf::from("follow-up.json"));
        assert_eq!(config.database, DatabaseLocation::Sqlite(PathBuf::from("/srv/votes.sqlite3")));
        assert!(parse(&["publish-follow-up"], &[]).unwrap_err().to_string().contains("takes one FILE"));
        assert!(parse(&["publish-follow-up", "a.json", "b.json"], &[]).is_err());
        assert!(parse(&["follow-up.json"], &[]).unwrap_err().to_string().contains("unexpected argument"));
    }

    #[test]
    fn an_export_names_its_batch_and_level() {
        let export = |args: &[&str]| match parse(args, &[]) {
            Ok(Command::ExportTallies { export, .. }) => Ok(export),
            Ok(other) => panic!("{other:?}"),
            Err(err) => Err(err.to_string()),
        };
        let provinces = export(&["export-tallies", "--batch", "b1"]).unwrap();
        assert_eq!((provinces.batch.as_str(), provinces.level, provinces.out), ("b1", ExportLevel::Provinces, None));
        let cities = export(&["export-tallies", "--batch=b1", "--level", "city", "--province", "130000", "--out", "x.csv"]);
        let cities = cities.unwrap();
        assert_eq!(cities.level, ExportLevel::CitiesOf("130000".into()));
        assert_eq!(cities.out, Some(PathBuf::from("x.csv")));
        assert!(export(&["export-tallies"]).unwrap_err().contains("needs --batch"));
        assert!(export(&["export-tallies", "--batch", "b", "--level", "city"]).unwrap_err().contains("needs --province"));
        assert!(export(&["export-tallies", "--batch", "b", "--level", "county"]).unwrap_err().contains("neither"));
        assert!(export(&["export-tallies", "--batch", "b", "--province", "1"]).unwrap_err().contains("goes with"));
        let server = parse(&["--batch", "b"], &[]).unwrap_err().to_string();
        assert!(server.contains("is a flag of `collector export-tallies`"), "{server}");
    }

    #[test]
    fn the_codes_an_address_gets_are_a_positive_number() {
        assert_eq!(config(&["--codes-per-address", "500"], &[]).codes_per_address, 500);
        assert_eq!(config(&[], &[("BSV_CODES_PER_ADDRESS", "200")]).codes_per_address, 200);
        for bad in ["0", "-1", "many", "2.5"] {
            let error = parse(&["--codes-per-address", bad], &[]).unwrap_err().to_string();
            assert!(error.contains("not a whole number above 0"), "{bad}: {error}");
        }
    }

    #[test]
    fn the_secret_lives_beside_the_database_unless_told_otherwise() {
        let beside = config(&["--database", "/srv/bsv/votes.sqlite3"], &[]).secret_file;
        assert_eq!(beside, PathBuf::from("/srv/bsv/secret.key"));
        assert_eq!(config(&["--database", "votes.sqlite3"], &[]).secret_file, PathBuf::from("secret.key"));
        let env = [("BSV_SECRET_FILE", "/env/secret")];
        assert_eq!(config(&[], &env).secret_file, PathBuf::from("/env/secret"));
        assert_eq!(config(&["--secret-file=/flag/secret"], &env).secret_file, PathBuf::from("/flag/secret"));
    }

    #[test]
    fn a_postgres_url_selects_postgresql_and_then_the_secret_must_be_named() {
        let url = "postgres://bsv:s3cret@db.internal:5432/votes";
        let error = parse(&["--database", url], &[]).unwrap_err().to_string();
        assert!(error.contains("needs --secret-file"), "{error}");
        let config = config(&["--database", url, "--secret-file", "/etc/bsv/secret.key"], &[]);
        assert_eq!(config.database, DatabaseLocation::Postgres(url.to_owned()));
        let env = [("BSV_DATABASE", "postgresql://db/votes"), ("BSV_SECRET_FILE", "/s"), ("BSV_DB_POOL", "16")];
        let from_env = self::config(&[], &env);
        assert_eq!(from_env.database, DatabaseLocation::Postgres("postgresql://db/votes".to_owned()));
        assert_eq!(from_env.db_pool, 16);
        assert!(parse(&["--db-pool", "1"], &[]).unwrap_err().to_string().contains("at least 2"));
    }

    #[test]
    fn a_database_url_is_shown_without_its_password() {
        let location = DatabaseLocation::parse("postgres://bsv:s3cret@db.internal:5432/votes?sslmode=disable");
        for shown in [location.to_string(), format!("{location:?}")] {
            assert!(!shown.contains("s3cret"), "{shown}");
            assert!(shown.contains("postgres://bsv:***@db.internal:5432/votes"), "{shown}");
        }
        assert_eq!(DatabaseLocation::parse("postgres://db/votes").to_string(), "postgres://db/votes");
        assert_eq!(DatabaseLocation::parse("votes.sqlite3").to_string(), "votes.sqlite3");
    }

    #[test]
    fn development_sms_is_off_unless_asked_for() {
        assert!(config(&["--dev-sms"], &[]).dev_sms);
        assert!(config(&[], &[("BSV_DEV_SMS", "1")]).dev_sms);
        assert!(!config(&[], &[("BSV_DEV_SMS", "0")]).dev_sms);
        assert!(parse(&[], &[("BSV_DEV_SMS", "maybe")]).is_err());
        assert!(parse(&["--dev-sms=1"], &[]).is_err());
        let proxied = config(&[], &[("BSV_CLIENT_ADDRESS_HEADER", "X-Real-IP")]);
        assert_eq!(proxied.client_address_header.as_deref(), Some("X-Real-IP"));
    }

    #[test]
    fn fault_injection_is_off_unless_asked_for() {
        assert!(config(&["--fault-injection"], &[]).fault_injection);
        assert!(config(&[], &[("BSV_FAULT_INJECTION", "1")]).fault_injection);
        assert!(!config(&[], &[("BSV_FAULT_INJECTION", "0")]).fault_injection);
        assert!(parse(&[], &[("BSV_FAULT_INJECTION", "please")]).is_err());
        assert!(parse(&["--fault-injection=yes"], &[]).is_err());
    }

    #[test]
    fn flags_win_over_the_environment_in_both_spellings() {
        let env = [("BSV_BIND", "0.0.0.0:9000"), ("BSV_DATABASE", "/env/db"), ("BSV_CORS_ORIGINS", "https://a.cn")];
        let config = config(
            &["--bind=127.0.0.1:0", "--database", "/flag/db", "--cors-origin", "https://b.cn", "--cors-origin=*"],
            &env,
        );
        assert_eq!(config.bind.port(), 0);
        assert_eq!(config.database, DatabaseLocation::Sqlite(PathBuf::from("/flag/db")));
        assert_eq!(config.cors_origins, ["https://b.cn", "*"]);
    }

    #[test]
    fn the_environment_fills_in_missing_flags() {
        let env = [("BSV_BIND", "127.0.0.1:9000"), ("BSV_CORS_ORIGINS", "https://a.cn, https://b.cn,")];
        let config = config(&[], &env);
        assert_eq!(config.bind.port(), 9000);
        assert_eq!(config.cors_origins, ["https://a.cn", "https://b.cn"]);
    }

    #[test]
    fn a_bad_command_line_is_explained() {
        assert_eq!(parse(&["--help"], &[]), Ok(Command::Help));
        let unknown = parse(&["--port", "80"], &[]).unwrap_err().to_string();
        assert!(unknown.contains("unknown flag \"--port\""), "{unknown}");
        let missing = parse(&["--bind"], &[]).unwrap_err().to_string();
        assert!(missing.contains("--bind needs a value"), "{missing}");
        let bad = parse(&["--bind", "localhost"], &[]).unwrap_err().to_string();
        assert!(bad.contains("not an address"), "{bad}");
    }
}
