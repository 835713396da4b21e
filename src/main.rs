//! The standalone page: reads `?endpoint=…&lang=…` and mounts one widget on
//! the page's `#bottleneck-survey` element.

#[cfg(target_arch = "wasm32")]
fn main() {
    use bottleneck_survey::browser::{browser_languages, page_origin, query_param};
    use bottleneck_survey::components::Survey;
    use bottleneck_survey::config::{Config, Lang};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    console_error_panic_hook::set_once();
    let languages = browser_languages();
    let lang = Lang::negotiate(query_param("lang").as_deref(), &languages);
    let config = Config::from_settings(query_param, &page_origin(), &languages);
    let anchor = document()
        .get_element_by_id("bottleneck-survey")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .unwrap_or_else(|| document().body().expect("a page has a body"));
    leptos::mount::mount_to(anchor, move || view! { <Survey lang config/> }).forget();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("bottleneck-survey is a WebAssembly widget: build it with `trunk build --release`.");
}
