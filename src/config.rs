//! Everything a host page can tell the widget, parsed and checked in one
//! place. The standalone page reads it from its query string; an embedding
//! reads it from element attributes. Components only ever see a [`Config`].

use std::fmt;

/// The collection endpoint's base URL `E`, without a trailing slash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint(String);

/// The languages the widget speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    ZhCn,
    En,
}

/// The widget's settings for one instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub endpoint: Endpoint,
    pub lang: Lang,
    /// Where the widget's own static files (region data) are served from:
    /// empty for "next to the page", or a URL ending in `/`.
    pub assets_base: String,
}

/// A setting the host page got wrong; shown in place of the widget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// The endpoint is neither an absolute http(s) URL nor a path on this site.
    BadEndpoint(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadEndpoint(raw) => write!(f, "endpoint \"{raw}\" is not an http(s) URL or a path"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Where the reference collector serves protocol v1 relative to the page.
pub const DEFAULT_ENDPOINT_PATH: &str = "/api/v1";

impl Endpoint {
    /// Accepts `https://host/prefix`, `http://host`, or a path such as
    /// `/api/v1` on the page's own origin. Queries and fragments are refused:
    /// paths are appended to the base, and a `?` would swallow them.
    pub fn parse(raw: &str, page_origin: &str) -> Result<Self, ConfigError> {
        let bad = || ConfigError::BadEndpoint(raw.to_owned());
        let raw_trimmed = raw.trim();
        let absolute = if raw_trimmed.starts_with('/') && !raw_trimmed.starts_with("//") {
            format!("{page_origin}{raw_trimmed}")
        } else {
            raw_trimmed.to_owned()
        };
        let lower = absolute.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .ok_or_else(bad)?;
        let host = rest.split('/').next().unwrap_or_default();
        if host.is_empty() || absolute.contains(['?', '#', ' ']) {
            return Err(bad());
        }
        Ok(Self(absolute.trim_end_matches('/').to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when name, ID number and phone may be sent here: https, or a
    /// loopback address (a developer's machine), never plain http across a
    /// network.
    pub fn allows_personal_data(&self) -> bool {
        let lower = self.0.to_ascii_lowercase();
        if lower.starts_with("https://") {
            return true;
        }
        let authority = lower.trim_start_matches("http://").split('/').next().unwrap_or_default();
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => authority.split(':').next().unwrap_or_default(),
        };
        let loopback_v4 = host.split('.').count() == 4
            && host.split('.').all(|octet| octet.parse::<u8>().is_ok())
            && host.starts_with("127.");
        host == "localhost" || host == "::1" || loopback_v4
    }

    /// `E` + `path`, where `path` starts with `/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }
}

impl Lang {
    /// The BCP 47 tag sent as `Accept-Language` and set as `lang`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }

    /// The language for a tag such as `en-GB` or `zh-Hans-CN`, if spoken.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "zh" => Some(Self::ZhCn),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The host's explicit choice, else the browser's first spoken
    /// preference, else Chinese: the survey's home language.
    pub fn negotiate(requested: Option<&str>, browser: &[String]) -> Self {
        requested
            .and_then(Self::from_tag)
            .or_else(|| browser.iter().find_map(|t| Self::from_tag(t)))
            .unwrap_or(Self::ZhCn)
    }
}

impl Config {
    /// Builds the configuration from named settings (query parameters or
    /// element attributes). Without `endpoint` the widget talks to
    /// [`DEFAULT_ENDPOINT_PATH`] on the page's own origin.
    pub fn from_settings(
        get: impl Fn(&str) -> Option<String>,
        page_origin: &str,
        browser_languages: &[String],
    ) -> Result<Self, ConfigError> {
        let endpoint = match get("endpoint").filter(|e| !e.trim().is_empty()) {
            Some(raw) => Endpoint::parse(&raw, page_origin)?,
            None => Endpoint::parse(DEFAULT_ENDPOINT_PATH, page_origin)?,
        };
        let lang = Lang::negotiate(get("lang").as_deref(), browser_languages);
        Ok(Self { endpoint, lang, assets_base: String::new() })
    }
}
