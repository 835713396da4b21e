//! The collector's connections to PostgreSQL, encrypted and the server
//! checked as `sslmode` and `sslrootcert` ask (`collector::store::tls`),
//! against a server that really speaks TLS. The tests make an authority of
//! their own and a certificate it signs for `localhost`, install them on the
//! server `DATABASE_URL` names (which must run on this machine, as
//! `scripts/test`'s throwaway cluster does), and read `pg_stat_ssl` to see
//! which of a collector's connections are encrypted.

use std::os::unix::fs::{MetadataExt, PermissionsExt, chown};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use collector::config::DatabaseLocation;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose};
use tempfile::TempDir;
use tokio::sync::OnceCell;

use crate::database::{Schema, connect};
use crate::open_store;
use crate::support::{TestApp, open_batch, vote};

/// The authorities' files, made once for all these tests.
struct Authorities {
    _dir: TempDir,
    /// The authority that signed the server's certificate.
    server_s: PathBuf,
    /// An authority that signed nothing the server shows.
    another: PathBuf,
}

static AUTHORITIES: OnceCell<Authorities> = OnceCell::const_new();

/// An authority, as rcgen makes one.
fn authority(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// Makes the authorities, and has the server of `admin` show a
/// certificate for `localhost` (and no other name) signed by one of them.
async fn install(admin: &str) -> Authorities {
    let dir = TempDir::new().unwrap();
    let (server_s, another) = (authority("bsv test authority"), authority("bsv unrelated authority"));
    let server_key = KeyPair::generate().unwrap();
    let server_cert = CertificateParams::new(vec!["localhost".to_owned()]).unwrap().signed_by(&server_key, &server_s).unwrap();
    let write = |name: &str, pem: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, pem).unwrap();
        path
    };
    let authorities = Authorities {
        server_s: write("server-authority.pem", server_s.pem()),
        another: write("another-authority.pem", another.pem()),
        _dir: dir,
    };

    let client = connect(admin).await;
    let data: String = client.query_one("SHOW data_directory", &[]).await.unwrap().get(0);
    let data = Path::new(&data);
    let owner = std::fs::metadata(data).unwrap_or_else(|e| {
        panic!("the TLS tests install a certificate in the server's data directory {}, on this machine: {e}", data.display())
    });
    let (cert_file, key_file) = (data.join("bsv-test-server.crt"), data.join("bsv-test-server.key"));
    for (path, pem) in [(&cert_file, server_cert.pem()), (&key_file, server_key.serialize_pem())] {
        std::fs::write(path, pem).unwrap();
        // The server refuses a key anyone but its owner may read.
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
        chown(path, Some(owner.uid()), Some(owner.gid())).unwrap();
    }
    // ALTER SYSTEM runs outside a transaction: one statement at a time.
    for statement in [
        "ALTER SYSTEM SET ssl = on".to_owned(),
        format!("ALTER SYSTEM SET ssl_cert_file = '{}'", cert_file.display()),
        format!("ALTER SYSTEM SET ssl_key_file = '{}'", key_file.display()),
        "SELECT pg_reload_conf()".to_owned(),
    ] {
        client.batch_execute(&statement).await.unwrap();
    }
    authorities
}

/// The authorities, once the server shows the certificate one of them signed.
async fn authorities(db: &Schema) -> &'static Authorities {
    AUTHORITIES
        .get_or_init(|| async {
            let authorities = install(&std::env::var("DATABASE_URL").unwrap()).await;
            // The server takes the new certificate on reloading, shortly.
            let deadline = Instant::now() + Duration::from_secs(10);
            let url = with(&db.url, &format!("sslmode=verify-full&sslrootcert={}", authorities.server_s.display()));
            while let Err(e) = open_store(&url) {
                assert!(Instant::now() < deadline, "the server never showed the test certificate: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            authorities
        })
        .await
}

fn with(url: &str, parameters: &str) -> String {
    format!("{url}&{parameters}")
}

/// Whether each of the schema's connections open now is encrypted (they
/// are named after the schema).
async fn encrypted(db: &Schema) -> Vec<bool> {
    protocols(db).await.iter().map(Option::is_some).collect()
}

/// The TLS version of each of the schema's connections open now.
async fn protocols(db: &Schema) -> Vec<Option<String>> {
    let application = db.url.split("application_name=").nth(1).unwrap().split('&').next().unwrap().to_owned();
    connect(&std::env::var("DATABASE_URL").unwrap())
        .await
        .query(
            "SELECT CASE WHEN s.ssl THEN s.version END
             FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = $1",
            &[&application],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

/// The schema's URL with the host `127.0.0.1`, a name the certificate lacks.
async fn by_address(db: &Schema) -> String {
    let port = db.server_address().await.port();
    db.url_through(std::net::SocketAddr::from(([127, 0, 0, 1], port)))
}

#[tokio::test]
async fn verify_full_with_the_servers_authority_encrypts_every_connection_and_votes_go_through() {
    let Some(db) = Schema::create("verify_full_with_the_servers_authority_encrypts").await else { return };
    let ca = &authorities(&db).await.server_s;
    let url = with(&db.url, &format!("sslmode=verify-full&sslrootcert={}", ca.display()));
    let app = TestApp::build_on(DatabaseLocation::Postgres(url), vec![open_batch()], TempDir::new().unwrap(), |state| state);
    let receipt = app.post_vote(&vote()).await;
    assert_eq!(receipt.status, 201, "{}", receipt.text);
    let connections = protocols(&db).await;
    assert!(!connections.is_empty(), "no connection of the collector found");
    assert!(connections.iter().all(|version| version.as_deref() == Some("TLSv1.3")), "{connections:?}");
}

#[tokio::test]
async fn verify_full_and_verify_ca_refuse_a_server_whose_certificate_another_authority_signed() {
    let Some(db) = Schema::create("verify_refuses_another_authority").await else { return };
    let another = &authorities(&db).await.another;
    for mode in ["verify-full", "verify-ca"] {
        let error = open_store(&with(&db.url, &format!("sslmode={mode}&sslrootcert={}", another.display()))).err().unwrap();
        assert!(error.0.contains("UnknownIssuer"), "{mode}: {error}");
    }
}

#[tokio::test]
async fn verify_full_refuses_an_address_the_certificate_does_not_name_and_verify_ca_accepts_it() {
    let Some(db) = Schema::create("verify_full_refuses_an_address_not_named").await else { return };
    let ca = &authorities(&db).await.server_s;
    let url = by_address(&db).await;
    let error = open_store(&with(&url, &format!("sslmode=verify-full&sslrootcert={}", ca.display()))).err().unwrap();
    assert!(error.0.contains("not valid for name"), "{error}");
    let store = open_store(&with(&url, &format!("sslmode=verify-ca&sslrootcert={}", ca.display()))).unwrap();
    store.ping().await.unwrap();
    assert_eq!(encrypted(&db).await, [true]);
}

#[tokio::test]
async fn require_without_an_authority_encrypts_without_checking_the_certificate() {
    let Some(db) = Schema::create("require_encrypts_without_checking").await else { return };
    authorities(&db).await;
    // By address: the certificate names only `localhost`.
    let store = open_store(&with(&by_address(&db).await, "sslmode=require")).unwrap();
    store.ping().await.unwrap();
    assert_eq!(encrypted(&db).await, [true]);
}

#[tokio::test]
async fn disable_connects_unencrypted_to_a_server_that_offers_tls() {
    let Some(db) = Schema::create("disable_connects_unencrypted").await else { return };
    authorities(&db).await;
    let store = open_store(&with(&db.url, "sslmode=disable")).unwrap();
    store.ping().await.unwrap();
    assert_eq!(encrypted(&db).await, [false]);
}
