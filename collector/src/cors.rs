//! Which browser origins may call the API. The widget is embedded in other
//! sites' pages (a provincial portal, gov.cn), so its requests are
//! cross-origin; it sends no cookies, so credentials are never allowed.

use axum::http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowedOrigins {
    /// No CORS headers: only same-origin pages can call the API.
    None,
    /// `*`: any page may embed the widget.
    Any,
    List(Vec<HeaderValue>),
}

impl AllowedOrigins {
    /// From `--cors-origin` values: origins such as `https://www.gov.cn`, or `*`.
    pub fn parse(origins: &[String]) -> Result<Self, String> {
        if origins.is_empty() {
            return Ok(Self::None);
        }
        if origins.iter().any(|o| o == "*") {
            return Ok(Self::Any);
        }
        origins
            .iter()
            .map(|origin| {
                let host = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
                let valid = host.is_some_and(|h| !h.is_empty() && !h.contains('/'));
                valid
                    .then(|| HeaderValue::from_str(origin).ok())
                    .flatten()
                    .ok_or_else(|| format!("CORS origin {origin:?} is not an origin such as https://www.gov.cn"))
            })
            .collect::<Result<_, _>>()
            .map(Self::List)
    }

    pub fn layer(&self) -> Option<CorsLayer> {
        let allow = match self {
            Self::None => return None,
            Self::Any => AllowOrigin::any(),
            Self::List(origins) => AllowOrigin::list(origins.iter().cloned()),
        };
        Some(
            CorsLayer::new()
                .allow_origin(allow)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::CONTENT_TYPE, HeaderName::from_static("idempotency-key"), header::ACCEPT_LANGUAGE])
                .expose_headers([header::RETRY_AFTER, header::CONTENT_LANGUAGE])
                .max_age(std::time::Duration::from_secs(3600)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(origins: &[&str]) -> Result<AllowedOrigins, String> {
        AllowedOrigins::parse(&origins.iter().map(|o| o.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn a_star_anywhere_allows_every_origin() {
        assert_eq!(parse(&["https://www.gov.cn", "*"]), Ok(AllowedOrigins::Any));
        assert_eq!(parse(&[]), Ok(AllowedOrigins::None));
    }

    #[test]
    fn an_origin_with_a_path_or_without_a_scheme_is_refused() {
        assert!(parse(&["https://www.gov.cn/"]).unwrap_err().contains("https://www.gov.cn/"));
        assert!(parse(&["www.gov.cn"]).is_err());
        assert!(parse(&["https://"]).is_err());
        assert_eq!(
            parse(&["http://localhost:8080"]),
            Ok(AllowedOrigins::List(vec![HeaderValue::from_static("http://localhost:8080")]))
        );
    }
}
