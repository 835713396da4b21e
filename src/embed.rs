//! Mounting the widget into a page. `public/embed.js` loads the module and
//! calls [`mount_page`] for the standalone page's element, and
//! [`mount_element`] when a `<bottleneck-survey>` custom element joins the
//! page ([`SurveyElement::unmount`] when it leaves it or its attributes
//! change). Both hand over the batch request the loader started while the
//! module downloaded.

use std::any::Any;

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::api::Prefetch;
use crate::browser::{
    browser_languages, page_origin, query_param, report_height_to_parent, shadow_mount_point, unwatch_crash,
    watch_for_crash,
};
use crate::components::Survey;
use crate::config::{Config, Lang, Source};
use crate::host_events::HostEvents;
use crate::i18n::catalogue;

/// Prepares the module before `embed.js` mounts anything: release builds
/// abort on a panic without formatting it (scripts/build); debug builds, as
/// `trunk serve` and the component tests run, say what went wrong. (Being
/// called from `main` also links this library, and so its exports, into the
/// module.)
pub fn start() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
}

/// A token the host page obtained from its own login, with the masked name
/// to show; handed to the widget through [`SurveyElement::set_verification_token`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandedToken {
    pub token: String,
    pub display_name: String,
}

/// One widget in the page. Dropping it takes the widget out and ends its
/// reactive owner, which stops its timers and listeners; a vote still in the
/// outbox stays in storage for the next mount to deliver.
pub struct Mounted {
    handed: RwSignal<Option<HandedToken>>,
    /// Leptos's unmount handle, whose type names the whole view tree.
    view: Option<Box<dyn Any>>,
}

impl Mounted {
    /// Keeps the widget for the life of the page: the standalone page's.
    pub fn forget(self) {
        std::mem::forget(self);
    }
}

/// Mounts one widget into `host`'s shadow root (made on the first mount,
/// emptied on a later one), with settings read by `get` (attributes or query
/// parameters).
pub fn mount(
    host: &HtmlElement,
    source: Source,
    get: impl Fn(&str) -> Option<String>,
    prefetch: Option<Prefetch>,
) -> Mounted {
    let languages = browser_languages();
    let lang = Lang::negotiate(get("lang").as_deref(), &languages);
    let config = Config::from_settings(source, get, &page_origin(), &languages);
    let t = catalogue(lang);
    watch_for_crash(host, t.crash_title, t.crash_body, t.reload);
    let handed = RwSignal::new(None);
    let events = HostEvents::new(host.clone());
    let handle = match shadow_mount_point(host) {
        Ok(point) => Some(Box::new(mount_to(point, move || view! { <Survey lang config events handed prefetch/> })) as Box<dyn Any>),
        Err(_) => {
            events.error("config", t.config_failed_title);
            None
        }
    };
    Mounted { handed, view: handle }
}

/// The Rust side of one `<bottleneck-survey>` element.
#[wasm_bindgen]
pub struct SurveyElement {
    mounted: Mounted,
    host: HtmlElement,
}

#[wasm_bindgen]
impl SurveyElement {
    /// Hands in a verification token from the host page's own login (see
    /// docs/embedding.md); the widget then skips its real-name form. Never
    /// put a token in an attribute: it would sit in the DOM for anyone to read.
    #[wasm_bindgen(js_name = setVerificationToken)]
    pub fn set_verification_token(&self, token: String, display_name: String) {
        self.mounted.handed.set(Some(HandedToken { token, display_name }));
    }

    /// Takes the widget out of its element: the element left the page, or
    /// an attribute changed and `embed.js` mounts it anew. Consumes the
    /// JavaScript object too.
    pub fn unmount(self) {
        unwatch_crash(&self.host);
        drop(self.mounted.view);
        // The view is gone; the point it was mounted on goes too.
        if let Some(shadow) = self.host.shadow_root() {
            shadow.replace_children_with_node_0();
        }
    }
}

/// Called by `embed.js` for each `<bottleneck-survey>` element; `assets_base`
/// is the URL the loader came from, where the region data lives too.
#[wasm_bindgen]
pub fn mount_element(host: HtmlElement, assets_base: String, prefetch: Option<Prefetch>) -> SurveyElement {
    let attributes = host.clone();
    let mounted =
        mount(&host, Source::Element { assets_base }, move |name| attributes.get_attribute(name), prefetch);
    SurveyElement { mounted, host }
}

/// Called by `embed.js` on the standalone page (`index.html`, an element
/// `#bottleneck-survey[data-standalone]`): one widget for the life of the
/// page, configured by `?endpoint=…&lang=…`.
#[wasm_bindgen]
pub fn mount_page(host: HtmlElement, prefetch: Option<Prefetch>) {
    let lang = Lang::negotiate(query_param("lang").as_deref(), &browser_languages());
    // The page speaks the widget's language: `lang` for screen readers, and
    // the heading and title in the same words.
    let t = catalogue(lang);
    let document = document();
    document.document_element().map(|html| html.set_attribute("lang", lang.tag()));
    document.set_title(t.widget_label);
    if let Some(heading) = document.query_selector(".bsv-page__title").ok().flatten() {
        heading.set_text_content(Some(t.widget_label));
    }
    mount(&host, Source::Page, query_param, prefetch).forget();
    report_height_to_parent(&host, query_param("parent_origin").as_deref());
}
