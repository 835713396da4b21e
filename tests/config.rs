//! Host tests of how the widget reads its settings.
#![cfg(not(target_arch = "wasm32"))]

use bottleneck_survey::config::{Config, ConfigError, Endpoint, Lang, Source, Theme};

const ORIGIN: &str = "https://zwfw.hebei.gov.cn";

fn settings(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string())
}

#[test]
fn without_an_endpoint_the_widget_uses_api_v1_on_its_own_origin() {
    let config = Config::from_settings(Source::Page, settings(&[]), ORIGIN, &[]).unwrap();
    assert_eq!(config.endpoint.as_str(), "https://zwfw.hebei.gov.cn/api/v1");
    assert_eq!(config.endpoint.url("/votes"), "https://zwfw.hebei.gov.cn/api/v1/votes");
}

#[test]
fn an_absolute_endpoint_keeps_its_path_prefix_and_loses_a_trailing_slash() {
    let e = Endpoint::parse("https://survey.gov.cn/duodian/api/v1/", ORIGIN).unwrap();
    assert_eq!(e.url("/batches/current"), "https://survey.gov.cn/duodian/api/v1/batches/current");
}

#[test]
fn a_relative_endpoint_is_resolved_against_the_page_origin() {
    let e = Endpoint::parse("/survey/api", ORIGIN).unwrap();
    assert_eq!(e.as_str(), "https://zwfw.hebei.gov.cn/survey/api");
}

#[test]
fn endpoints_that_are_not_http_urls_are_refused() {
    for raw in ["javascript:alert(1)", "//evil.example/api", "ftp://x/api", "https://", "api/v1",
        "https://x/api?token=1", "https://x/api#f", "data:text/plain,hi"] {
        assert_eq!(Endpoint::parse(raw, ORIGIN), Err(ConfigError::BadEndpoint(raw.into())), "{raw}");
    }
}

#[test]
fn the_lang_setting_wins_over_the_browser() {
    let config = Config::from_settings(Source::Page, settings(&[("lang", "en")]), ORIGIN, &["zh-CN".into()]).unwrap();
    assert_eq!(config.lang, Lang::En);
}

#[test]
fn without_a_lang_setting_the_first_spoken_browser_language_is_used() {
    let browser = ["fr-FR".to_string(), "en-GB".to_string(), "zh-CN".to_string()];
    assert_eq!(Lang::negotiate(None, &browser), Lang::En);
    assert_eq!(Lang::negotiate(Some("de"), &["zh-Hans-CN".to_string()]), Lang::ZhCn);
}

#[test]
fn chinese_is_the_fallback_language() {
    assert_eq!(Lang::negotiate(Some("ja"), &["fr".to_string()]), Lang::ZhCn);
    assert_eq!(Lang::ZhCn.tag(), "zh-CN");
}

#[test]
fn personal_data_goes_only_to_https_or_a_loopback_address() {
    for ok in ["https://survey.gov.cn/api/v1", "http://127.0.0.1:8080/api/v1", "http://localhost/api", "http://[::1]:9000/v1"] {
        assert!(Endpoint::parse(ok, ORIGIN).unwrap().allows_personal_data(), "{ok}");
    }
    for refused in ["http://survey.gov.cn/api/v1", "http://10.0.0.5/api", "http://localhost.evil.cn/api", "http://127.0.0.1.nip.io/api"] {
        assert!(!Endpoint::parse(refused, ORIGIN).unwrap().allows_personal_data(), "{refused}");
    }
}

fn element(pairs: &'static [(&'static str, &'static str)]) -> Result<Config, ConfigError> {
    let source = Source::Element { assets_base: "https://cdn.example/bsv/".into() };
    Config::from_settings(source, settings(pairs), ORIGIN, &[])
}

#[test]
fn an_element_without_an_endpoint_is_refused_with_a_reason() {
    assert_eq!(element(&[]), Err(ConfigError::MissingEndpoint));
    assert_eq!(element(&[("endpoint", "  ")]), Err(ConfigError::MissingEndpoint));
}

#[test]
fn an_element_reads_its_attributes_and_loads_assets_from_its_script() {
    let config = element(&[
        ("endpoint", "https://survey.gov.cn/api/v1"),
        ("lang", "en"),
        ("region", "130000"),
        ("theme", "care"),
        ("results", "hidden"),
    ])
    .unwrap();
    assert_eq!(config.endpoint.as_str(), "https://survey.gov.cn/api/v1");
    assert_eq!(config.lang, Lang::En);
    assert_eq!(config.region.as_deref(), Some("130000"));
    assert_eq!(config.theme, Theme::Care);
    assert!(config.hide_results);
    assert_eq!(config.assets_base, "https://cdn.example/bsv/");
}

#[test]
fn a_region_must_be_a_provincial_level_code() {
    assert_eq!(element(&[("endpoint", "/api/v1"), ("region", "130100")]), Err(ConfigError::BadRegion("130100".into())));
    assert_eq!(element(&[("endpoint", "/api/v1"), ("region", "Hebei")]), Err(ConfigError::BadRegion("Hebei".into())));
}

#[test]
fn unknown_themes_and_results_values_fall_back_to_the_defaults() {
    let config = element(&[("endpoint", "/api/v1"), ("theme", "neon"), ("results", "always")]).unwrap();
    assert_eq!(config.theme, Theme::Default);
    assert!(!config.hide_results);
}
