//! Encryption of the connections to PostgreSQL, as libpq's `sslmode` and
//! `sslrootcert` ask for it, so that a URL that works with `psql` works
//! here and means the same. tokio-postgres knows `sslmode=disable`,
//! `prefer` and `require`, but neither `verify-ca`, `verify-full` nor
//! `sslrootcert`, and refuses a URL that names them: [`Tls::from_url`]
//! takes those out, hands tokio-postgres `sslmode=require` in their place,
//! and makes the rustls connector that checks the server as they ask.
//!
//! | `sslmode` | encrypted | the server's certificate |
//! | --- | --- | --- |
//! | `disable` | never | — |
//! | `prefer` (the default) | when the server offers it | as `require` |
//! | `require` | always | not checked; with `sslrootcert`, as `verify-ca` |
//! | `verify-ca` | always | signed by an authority of `sslrootcert` |
//! | `verify-full` | always | that, and issued for the host connected to |
//!
//! `sslrootcert` is a PEM file of authorities, or `system` for the
//! machine's trust store. Unlike libpq, nothing is read from
//! `~/.postgresql/`: the URL says everything the collector trusts.

use std::path::PathBuf;
use std::sync::Arc;

use percent_encoding::percent_decode_str;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::OpenError;

/// What the URL asks of the connections' encryption.
#[derive(Debug, PartialEq, Eq)]
pub struct TlsRequest {
    /// The URL for tokio-postgres: `sslrootcert` taken out, `verify-ca`
    /// and `verify-full` turned into `require`.
    pub url: String,
    pub check: Check,
}

/// How much of the server's certificate is checked.
#[derive(Debug, PartialEq, Eq)]
pub enum Check {
    /// Nothing (or no encryption at all, with `sslmode=disable`): the
    /// connection is private from an eavesdropper, not from someone who
    /// can answer in the server's place.
    Nothing,
    /// Signed by one of these authorities, whatever host it names.
    Authority(Roots),
    /// Signed by one of these authorities and issued for the host.
    AuthorityAndHost(Roots),
}

/// Where the trusted authorities come from.
#[derive(Debug, PartialEq, Eq)]
pub enum Roots {
    File(PathBuf),
    /// The machine's trust store (`sslrootcert=system`).
    System,
}

impl TlsRequest {
    /// Reads `sslmode` and `sslrootcert` from the URL's query.
    pub fn from_url(url: &str) -> Result<Self, OpenError> {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut mode = None;
        let mut root = None;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "sslrootcert" => {
                    let value = percent_decode_str(value)
                        .decode_utf8()
                        .map_err(|_| OpenError("--database: sslrootcert is not UTF-8".to_owned()))?;
                    root = Some(if value == "system" { Roots::System } else { Roots::File(value.as_ref().into()) });
                }
                "sslmode" => {
                    mode = Some(value);
                    kept.push(if value.starts_with("verify-") { "sslmode=require" } else { pair });
                }
                _ => kept.push(pair),
            }
        }
        let needs_root = |mode: &str| {
            OpenError(format!(
                "--database: sslmode={mode} needs sslrootcert=FILE (the authorities that may sign the server's \
                 certificate, in PEM) or sslrootcert=system"
            ))
        };
        let check = match (mode, root) {
            (Some("disable"), _) => Check::Nothing,
            (Some("verify-full"), Some(root)) => Check::AuthorityAndHost(root),
            (Some(mode @ "verify-full"), None) => return Err(needs_root(mode)),
            (Some("verify-ca"), Some(root)) => Check::Authority(root),
            (Some(mode @ "verify-ca"), None) => return Err(needs_root(mode)),
            // `prefer`, `require` or unset; tokio-postgres judges the value.
            (_, Some(root)) => Check::Authority(root),
            (_, None) => Check::Nothing,
        };
        let url = if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) };
        Ok(Self { url, check })
    }

    /// A line for the log at start, so the operator sees what is checked.
    pub fn describe(&self) -> &'static str {
        match self.check {
            Check::Nothing => {
                "PostgreSQL server's certificate not checked (sslmode=verify-full with sslrootcert would check it)"
            }
            Check::Authority(_) => "PostgreSQL connections encrypted, the server's certificate checked against sslrootcert",
            Check::AuthorityAndHost(_) => {
                "PostgreSQL connections encrypted, the server's certificate checked against sslrootcert and the host name"
            }
        }
    }

    /// The connector for tokio-postgres; reads the authorities' file.
    pub fn connector(&self) -> Result<MakeRustlsConnect, OpenError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| OpenError(format!("cannot set up TLS: {e}")))?;
        let lenient = |chain| {
            let algorithms = provider.signature_verification_algorithms;
            Arc::new(Lenient { chain, algorithms })
        };
        let config = match &self.check {
            Check::Nothing => builder.dangerous().with_custom_certificate_verifier(lenient(None)).with_no_client_auth(),
            Check::Authority(roots) => {
                let chain = WebPkiServerVerifier::builder_with_provider(Arc::new(roots.load()?), Arc::clone(&provider))
                    .build()
                    .map_err(|e| OpenError(format!("--database: sslrootcert: {e}")))?;
                builder.dangerous().with_custom_certificate_verifier(lenient(Some(chain))).with_no_client_auth()
            }
            Check::AuthorityAndHost(roots) => builder.with_root_certificates(roots.load()?).with_no_client_auth(),
        };
        Ok(MakeRustlsConnect::new(config))
    }
}

impl Roots {
    fn load(&self) -> Result<RootCertStore, OpenError> {
        let mut store = RootCertStore::empty();
        match self {
            Self::File(path) => {
                let shown = path.display();
                for cert in CertificateDer::pem_file_iter(path)
                    .map_err(|e| OpenError(format!("--database: sslrootcert {shown}: {e}")))?
                {
                    let cert = cert.map_err(|e| OpenError(format!("--database: sslrootcert {shown}: {e}")))?;
                    store
                        .add(cert)
                        .map_err(|e| OpenError(format!("--database: sslrootcert {shown}: not an authority: {e}")))?;
                }
                if store.is_empty() {
                    return Err(OpenError(format!("--database: sslrootcert {shown} holds no certificate")));
                }
            }
            Self::System => {
                store.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
                if store.is_empty() {
                    return Err(OpenError("--database: sslrootcert=system: this machine trusts no authority".to_owned()));
                }
            }
        }
        Ok(store)
    }
}

/// The checks that rustls's own verifier does not make alone: none at all
/// (`chain: None`, as libpq's `sslmode=require` without `sslrootcert`), or
/// the chain without the host name (`verify-ca`). Either way the
/// handshake's signatures are checked, so the server holds the key of the
/// certificate it shows.
#[derive(Debug)]
struct Lenient {
    chain: Option<Arc<WebPkiServerVerifier>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else { return Ok(ServerCertVerified::assertion()) };
        // The WebPKI verifier checks the chain before the name, so a name
        // mismatch is the only error it reports for a good chain.
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str) -> TlsRequest {
        TlsRequest::from_url(url).unwrap()
    }

    #[test]
    fn verify_full_becomes_require_for_tokio_postgres_and_keeps_the_other_parameters() {
        let tls = request("postgres://bsv:pw@db:5432/bsv?target_session_attrs=read-write&sslmode=verify-full&sslrootcert=/etc/bsv/ca.pem");
        assert_eq!(tls.url, "postgres://bsv:pw@db:5432/bsv?target_session_attrs=read-write&sslmode=require");
        assert_eq!(tls.check, Check::AuthorityAndHost(Roots::File("/etc/bsv/ca.pem".into())));
        assert!(tls.url.parse::<tokio_postgres::Config>().is_ok());
    }

    #[test]
    fn verify_ca_checks_the_authority_only() {
        let tls = request("postgres://db/bsv?sslmode=verify-ca&sslrootcert=system");
        assert_eq!(tls.url, "postgres://db/bsv?sslmode=require");
        assert_eq!(tls.check, Check::Authority(Roots::System));
    }

    #[test]
    fn an_authority_file_makes_require_and_prefer_check_the_authority_as_libpq_does() {
        for mode in ["require", "prefer"] {
            let tls = request(&format!("postgres://db/bsv?sslrootcert=%2Fsrv%2Fca%20file.pem&sslmode={mode}"));
            assert_eq!(tls.url, format!("postgres://db/bsv?sslmode={mode}"));
            assert_eq!(tls.check, Check::Authority(Roots::File("/srv/ca file.pem".into())));
        }
        let unset = request("postgres://db/bsv?sslrootcert=/srv/ca.pem");
        assert_eq!((unset.url.as_str(), unset.check), ("postgres://db/bsv", Check::Authority(Roots::File("/srv/ca.pem".into()))));
    }

    #[test]
    fn without_an_authority_nothing_is_checked_and_the_url_is_unchanged() {
        for url in ["postgres://db/bsv", "postgres://db/bsv?sslmode=require", "postgres://db/bsv?sslmode=disable&sslrootcert=/x"] {
            let tls = request(url);
            assert_eq!(tls.check, Check::Nothing, "{url}");
        }
        assert_eq!(request("postgres://db/bsv?sslmode=require").url, "postgres://db/bsv?sslmode=require");
    }

    #[test]
    fn verify_modes_without_an_authority_are_refused_with_what_to_add() {
        for mode in ["verify-ca", "verify-full"] {
            let error = TlsRequest::from_url(&format!("postgres://bsv:s3cret@db/bsv?sslmode={mode}")).unwrap_err();
            assert!(error.0.contains(&format!("sslmode={mode} needs sslrootcert=FILE")), "{error}");
            assert!(!error.0.contains("s3cret"), "{error}");
        }
    }

    #[test]
    fn a_missing_or_empty_authority_file_is_named_when_the_connector_is_made() {
        let missing = request("postgres://db/bsv?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem");
        let error = missing.connector().err().unwrap();
        assert!(error.0.contains("sslrootcert /nonexistent/ca.pem"), "{error}");
        let empty = tempfile::NamedTempFile::new().unwrap();
        let url = format!("postgres://db/bsv?sslmode=verify-full&sslrootcert={}", empty.path().display());
        let error = request(&url).connector().err().unwrap();
        assert!(error.0.contains("holds no certificate"), "{error}");
    }
}
