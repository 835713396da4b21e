//! Mounting the widget into a page: the standalone page's element, or a
//! `<bottleneck-survey>` custom element defined by `public/embed.js`, which
//! calls [`mount_element`] for each element it sees.

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::browser::{browser_languages, page_origin, shadow_mount_point, watch_for_crash};
use crate::components::Survey;
use crate::config::{Config, Lang, Source};
use crate::host_events::HostEvents;
use crate::i18n::catalogue;

/// A token the host page obtained from its own login, with the masked name
/// to show; handed to the widget through [`SurveyElement::set_verification_token`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandedToken {
    pub token: String,
    pub display_name: String,
}

/// Mounts one widget into `host`'s new shadow root, with settings read by
/// `get` (attributes or query parameters). Returns the handed-token signal.
pub fn mount(host: &HtmlElement, source: Source, get: impl Fn(&str) -> Option<String>) -> RwSignal<Option<HandedToken>> {
    let languages = browser_languages();
    let lang = Lang::negotiate(get("lang").as_deref(), &languages);
    let config = Config::from_settings(source, get, &page_origin(), &languages);
    let t = catalogue(lang);
    watch_for_crash(host, t.crash_title, t.crash_body, t.reload);
    let handed = RwSignal::new(None);
    let events = HostEvents::new(host.clone());
    match shadow_mount_point(host) {
        Ok(point) => mount_to(point, move || view! { <Survey lang config events handed/> }).forget(),
        Err(_) => events.error("config", t.config_failed_title),
    }
    handed
}

/// The Rust side of one `<bottleneck-survey>` element.
#[wasm_bindgen]
pub struct SurveyElement {
    handed: RwSignal<Option<HandedToken>>,
}

#[wasm_bindgen]
impl SurveyElement {
    /// Hands in a verification token from the host page's own login (see
    /// docs/embedding.md); the widget then skips its real-name form. Never
    /// put a token in an attribute: it would sit in the DOM for anyone to read.
    #[wasm_bindgen(js_name = setVerificationToken)]
    pub fn set_verification_token(&self, token: String, display_name: String) {
        self.handed.set(Some(HandedToken { token, display_name }));
    }
}

/// Called by `embed.js` for each `<bottleneck-survey>` element; `assets_base`
/// is the URL the loader came from, where the region data lives too.
#[wasm_bindgen]
pub fn mount_element(host: HtmlElement, assets_base: String) -> SurveyElement {
    let attributes = host.clone();
    let handed = mount(&host, Source::Element { assets_base }, move |name| attributes.get_attribute(name));
    SurveyElement { handed }
}
