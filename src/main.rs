//! The standalone page: reads `?endpoint=…&lang=…` and mounts one widget on
//! the page's `#bottleneck-survey` element.

#[cfg(target_arch = "wasm32")]
fn main() {
    use bottleneck_survey::browser::{
        browser_languages, page_origin, query_param, shadow_mount_point, watch_for_crash,
    };
    use bottleneck_survey::components::Survey;
    use bottleneck_survey::config::{Config, Lang};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    // Release builds abort on a panic without formatting it (scripts/build);
    // debug builds, as the component tests run, say what went wrong.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let languages = browser_languages();
    let lang = Lang::negotiate(query_param("lang").as_deref(), &languages);
    let config = Config::from_settings(query_param, &page_origin(), &languages);
    document().document_element().map(|html| html.set_attribute("lang", lang.tag()));
    let host = document()
        .get_element_by_id("bottleneck-survey")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .expect("index.html has a #bottleneck-survey element");
    let t = bottleneck_survey::i18n::catalogue(lang);
    watch_for_crash(&host, t.crash_title, t.crash_body, t.reload);
    let mount = shadow_mount_point(&host).expect("the widget's host accepts a shadow root");
    leptos::mount::mount_to(mount, move || view! { <Survey lang config/> }).forget();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("bottleneck-survey is a WebAssembly widget: build it with `trunk build --release`.");
}
