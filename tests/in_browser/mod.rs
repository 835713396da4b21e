//! What the widget's tests in Chromium share: mounting a whole widget the
//! way a page does, waiting for it, and finding controls by the words a
//! citizen reads. Each test file stands in its own endpoint.

use bottleneck_survey::components::Survey;
use bottleneck_survey::config::{Config, Lang, Source};
use bottleneck_survey::host_events::HostEvents;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlButtonElement, HtmlElement};

/// Mounts a fresh widget (zh-CN, endpoint on this page's origin) in its own
/// element and returns that element once `ready` holds for it.
pub async fn mount_widget_until(ready: impl Fn(&Element) -> bool) -> Element {
    let document = document();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let config = Config::from_settings(Source::Page, |_| None, &window().location().origin().unwrap(), &[]).unwrap();
    let root: Element = host.clone().into();
    let events = HostEvents::new(host.clone());
    let handed = RwSignal::new(None);
    leptos::mount::mount_to(host, move || view! { <Survey lang=Lang::ZhCn config=Ok(config) events handed/> })
        .forget();
    assert!(reached(|| ready(&root)).await, "the widget did not show within 2 s:\n{}", root.text_content().unwrap_or_default());
    root
}

/// Lets the browser run for `ms` milliseconds.
pub async fn tick(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Whether `ready` comes to hold within 2 s, asked every 20 ms.
pub async fn reached(mut ready: impl FnMut() -> bool) -> bool {
    for _ in 0..100 {
        if ready() {
            return true;
        }
        tick(20).await;
    }
    false
}

/// The control a `<label>` with exactly this text points at.
pub fn find_by_label<T: JsCast>(root: &Element, label_text: &str) -> Option<T> {
    let labels = root.query_selector_all("label").unwrap();
    (0..labels.length()).map(|i| labels.item(i).unwrap().unchecked_into::<Element>()).find_map(|label| {
        (label.text_content().unwrap_or_default().trim() == label_text).then(|| {
            let id = label.get_attribute("for").expect("labels point at their control");
            root.query_selector(&format!("#{id}")).unwrap().expect("the labelled control exists").unchecked_into()
        })
    })
}

/// The button that reads exactly this.
pub fn find_button(root: &Element, label_text: &str) -> Option<HtmlButtonElement> {
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .map(|i| buttons.item(i).unwrap().unchecked_into::<HtmlButtonElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == label_text)
}
