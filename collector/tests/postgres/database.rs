//! A schema of its own per test on the PostgreSQL server `DATABASE_URL`
//! names (`scripts/test` runs these tests under `pg_virtualenv`, a
//! throwaway cluster). Without `DATABASE_URL` each test says it skipped and
//! passes, so a plain `cargo test` needs no PostgreSQL.

use std::io::Write;

use collector::config::DatabaseLocation;

/// A fresh, empty schema, dropped when the test ends.
pub struct Schema {
    admin: String,
    name: String,
    /// The URL a collector connects with: `search_path` is the schema.
    pub url: String,
}

/// Connects to `url`, with the connection driven on this runtime.
pub async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    client
}

impl Schema {
    /// A new schema, or `None` (with a line saying so) without `DATABASE_URL`.
    pub async fn create(test: &str) -> Option<Self> {
        let Ok(admin) = std::env::var("DATABASE_URL") else {
            // Straight to stderr, past the test harness's capture, so the skip shows.
            let _ = writeln!(
                std::io::stderr(),
                "skipped {test}: DATABASE_URL is not set (scripts/test runs it under pg_virtualenv)"
            );
            return None;
        };
        let mut random = [0u8; 6];
        getrandom::fill(&mut random).unwrap();
        let name = format!("bsv_test_{}", random.iter().map(|b| format!("{b:02x}")).collect::<String>());
        connect(&admin).await.batch_execute(&format!("CREATE SCHEMA {name}")).await.unwrap();
        let separator = if admin.contains('?') { '&' } else { '?' };
        // The schema's name is the connections' application name too, so
        // that the drop can end whatever a collector left open.
        let url = format!("{admin}{separator}options=-c%20search_path%3D{name}&application_name={name}");
        Some(Self { admin, name, url })
    }

    pub fn location(&self) -> DatabaseLocation {
        DatabaseLocation::Postgres(self.url.clone())
    }

    /// The schema's URL with the server's address replaced by `address`
    /// (a [`crate::proxy::Proxy`] in front of it).
    pub fn url_through(&self, address: std::net::SocketAddr) -> String {
        let (scheme, rest) = self.url.split_once("://").unwrap();
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let userinfo = authority.rsplit_once('@').map(|(userinfo, _)| format!("{userinfo}@")).unwrap_or_default();
        format!("{scheme}://{userinfo}{address}{tail}")
    }

    /// The server's TCP address, as the URL names it.
    pub async fn server_address(&self) -> std::net::SocketAddr {
        let config: tokio_postgres::Config = self.url.parse().unwrap();
        let host = match &config.get_hosts()[0] {
            tokio_postgres::config::Host::Tcp(host) => host.clone(),
            other => panic!("the proxy needs a TCP host, not {other:?}"),
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        tokio::net::lookup_host((host.as_str(), port)).await.unwrap().next().unwrap()
    }

    /// A client on the schema, to look at what the collectors stored.
    pub async fn client(&self) -> tokio_postgres::Client {
        connect(&self.url).await
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // A runtime of its own: the test's may be shutting down.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                if let Ok((client, connection)) = tokio_postgres::connect(&admin, tokio_postgres::NoTls).await {
                    tokio::spawn(connection);
                    let end = format!(
                        "SET lock_timeout = '10s';
                         SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{name}';
                         DROP SCHEMA {name} CASCADE"
                    );
                    let _ = client.batch_execute(&end).await;
                }
            });
        })
        .join();
    }
}
