//! Starts with the module. On the standalone page (`index.html`, an element
//! `#bottleneck-survey[data-standalone]`) it mounts one widget configured by
//! `?endpoint=…&lang=…`; on a host page `embed.js` mounts one per
//! `<bottleneck-survey>` element instead, and this does nothing.

#[cfg(target_arch = "wasm32")]
fn main() {
    use bottleneck_survey::browser::{query_param, report_height_to_parent};
    use bottleneck_survey::config::Source;
    use bottleneck_survey::embed::mount;
    use leptos::prelude::document;
    use wasm_bindgen::JsCast;

    // Release builds abort on a panic without formatting it (scripts/build);
    // debug builds, as the component tests run, say what went wrong.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let Some(host) = document()
        .query_selector("#bottleneck-survey[data-standalone]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let lang = bottleneck_survey::config::Lang::negotiate(
        query_param("lang").as_deref(),
        &bottleneck_survey::browser::browser_languages(),
    );
    // The page speaks the widget's language: `lang` for screen readers, and
    // the heading and title in the same words.
    let t = bottleneck_survey::i18n::catalogue(lang);
    document().document_element().map(|html| html.set_attribute("lang", lang.tag()));
    document().set_title(t.widget_label);
    if let Some(heading) = document().query_selector(".bsv-page__title").ok().flatten() {
        heading.set_text_content(Some(t.widget_label));
    }
    mount(&host, Source::Page, query_param).forget();
    report_height_to_parent(&host, query_param("parent_origin").as_deref());
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("bottleneck-survey is a WebAssembly widget: build it with `trunk build --release`.");
}
