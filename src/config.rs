//! Everything a host page can tell the widget, parsed and checked in one
//! place. The standalone page reads it from its query string; an embedding
//! reads it from element attributes. Components only ever see a [`Config`].

use std::fmt;

use survey_protocol::region_code::is_province_code;

/// The collection endpoint's base URL `E`, without a trailing slash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint(String);

/// The languages the widget speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    ZhCn,
    En,
}

/// The widget's look: the default, or care mode (关怀模式) for elderly and
/// low-vision citizens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Default,
    Care,
}

/// The widget's settings for one instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub endpoint: Endpoint,
    pub lang: Lang,
    /// Where the widget's own static files (region data) are served from:
    /// empty for "next to the page", or a URL ending in `/`.
    pub assets_base: String,
    /// A provincial portal's own province, fixed in the form (`region`).
    pub region: Option<String>,
    /// The theme the host asked for (`theme`); the citizen may still switch.
    pub theme: Theme,
    /// The host page's `results="hidden"`: never show tallies, whatever the batch allows.
    pub hide_results: bool,
}

/// Where a widget gets its settings from.
pub enum Source {
    /// The standalone page: query parameters; `/api/v1` on the page's
    /// origin when there is no `endpoint`.
    Page,
    /// A `<bottleneck-survey>` element: attributes; `endpoint` is required.
    /// `assets_base` is where the loader script came from.
    Element { assets_base: String },
}

/// A setting the host page got wrong; shown in place of the widget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// The element has no `endpoint` attribute.
    MissingEndpoint,
    /// The endpoint is neither an absolute http(s) URL nor a path on this site.
    BadEndpoint(String),
    /// `region` is not a provincial-level GB/T 2260 code such as `130000`.
    BadRegion(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingEndpoint => write!(f, "the element has no endpoint attribute"),
            Self::BadEndpoint(raw) => write!(f, "endpoint \"{raw}\" is not an http(s) URL or a path"),
            Self::BadRegion(raw) => write!(f, "region \"{raw}\" is not a provincial-level code"),
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
    /// Builds the configuration from named settings: query parameters or
    /// element attributes, as `source` says.
    pub fn from_settings(
        source: Source,
        get: impl Fn(&str) -> Option<String>,
        page_origin: &str,
        browser_languages: &[String],
    ) -> Result<Self, ConfigError> {
        let get = |key: &str| get(key).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let (raw_endpoint, assets_base) = match (source, get("endpoint")) {
            (Source::Page, raw) => (raw.unwrap_or_else(|| DEFAULT_ENDPOINT_PATH.to_owned()), String::new()),
            (Source::Element { assets_base }, Some(raw)) => (raw, assets_base),
            (Source::Element { .. }, None) => return Err(ConfigError::MissingEndpoint),
        };
        let endpoint = Endpoint::parse(&raw_endpoint, page_origin)?;
        let region = match get("region") {
            Some(code) if is_province_code(&code) => Some(code),
            Some(code) => return Err(ConfigError::BadRegion(code)),
            None => None,
        };
        Ok(Self {
            endpoint,
            lang: Lang::negotiate(get("lang").as_deref(), browser_languages),
            assets_base,
            region,
            theme: if get("theme").as_deref() == Some("care") { Theme::Care } else { Theme::Default },
            hide_results: get("results").as_deref() == Some("hidden"),
        })
    }
}
