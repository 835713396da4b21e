//! Small, fallible wrappers around the browser APIs the widget needs beyond
//! fetch: storage, randomness, the page's address and languages, dates.
//! Each degrades quietly: a browser with storage switched off still votes.

use wasm_bindgen::JsValue;

use crate::config::Endpoint;
use crate::outbox::OutboxEntry;
use crate::voted::{outbox_key, voted_key, VotedRecord};
use crate::wire::{decode_outbox_entry, decode_voted_record, encode_outbox_entry, encode_voted_record};

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The receipt this browser got for the batch, if it voted.
pub fn voted_record(endpoint: &Endpoint, batch_id: &str) -> Option<VotedRecord> {
    let raw = local_storage()?.get_item(&voted_key(endpoint, batch_id)).ok()??;
    decode_voted_record(&raw).ok()
}

/// Remembers the receipt so a reload shows it instead of a second form.
pub fn remember_vote(endpoint: &Endpoint, batch_id: &str, record: &VotedRecord) {
    if let Some(storage) = local_storage() {
        // Storage full or forbidden: the vote is counted all the same.
        let _ = storage.set_item(&voted_key(endpoint, batch_id), &encode_voted_record(record));
    }
}

/// The vote waiting in the batch's outbox, if any.
pub fn outbox_entry(endpoint: &Endpoint, batch_id: &str) -> Option<OutboxEntry> {
    let raw = local_storage()?.get_item(&outbox_key(endpoint, batch_id)).ok()??;
    decode_outbox_entry(&raw).ok()
}

/// Keeps the vote on this device; false when the browser refuses storage
/// (switched off, or full), and the caller must keep it in memory instead.
pub fn save_outbox_entry(endpoint: &Endpoint, batch_id: &str, entry: &OutboxEntry) -> bool {
    local_storage()
        .is_some_and(|storage| storage.set_item(&outbox_key(endpoint, batch_id), &encode_outbox_entry(entry)).is_ok())
}

pub fn remove_outbox_entry(endpoint: &Endpoint, batch_id: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(&outbox_key(endpoint, batch_id));
    }
}

/// `navigator.onLine`: false means certainly offline; true only maybe online.
pub fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// The citizen's care-mode choice on this device, if they made one: a
/// display preference, not personal data.
pub fn care_preference() -> Option<bool> {
    local_storage()?.get_item(CARE_KEY).ok()?.map(|v| v == "1")
}

pub fn remember_care_preference(on: bool) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(CARE_KEY, if on { "1" } else { "0" });
    }
}

const CARE_KEY: &str = "bsv.care.v1";

/// 16 bytes from `crypto.getRandomValues`, for a UUID v4.
pub fn random_bytes() -> Option<[u8; 16]> {
    let mut bytes = [0u8; 16];
    web_sys::window()?.crypto().ok()?.get_random_values_with_u8_array(&mut bytes).ok()?;
    Some(bytes)
}

/// Resolves in a later task of the page's event loop (a zero timeout), so
/// that the work after it does not lengthen the task now running: a phone
/// answers taps and paints only between tasks.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Today's date in the citizen's time zone, as (year, month, day).
pub fn today() -> (i64, u32, u32) {
    let date = js_sys::Date::new_0();
    (i64::from(date.get_full_year()), date.get_month() + 1, date.get_date())
}

/// `https://host:port` of the page the widget runs in.
pub fn page_origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

/// `navigator.languages`, most preferred first.
pub fn browser_languages() -> Vec<String> {
    let Some(window) = web_sys::window() else { return Vec::new() };
    window.navigator().languages().iter().filter_map(|v| v.as_string()).collect()
}

/// The value of a query parameter of the page's own URL.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
}

/// An RFC 3339 timestamp as the citizen's locale writes a date and time,
/// e.g. `2018年7月6日 00:00` or `6 July 2018, 00:00`; the raw text if the
/// browser cannot read it.
pub fn local_date_time(rfc3339: &str, locale: &str) -> String {
    locale_string(rfc3339, locale, &[("dateStyle", "long"), ("timeStyle", "short")])
}

/// The day of an RFC 3339 timestamp as the citizen's locale writes it,
/// `2018年6月22日` or `June 22, 2018`: when a follow-up was reported or a
/// batch ran, where the hour says nothing.
pub fn local_date(rfc3339: &str, locale: &str) -> String {
    locale_string(rfc3339, locale, &[("dateStyle", "long")])
}

fn locale_string(rfc3339: &str, locale: &str, styles: &[(&str, &str)]) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    let options = js_sys::Object::new();
    for (key, value) in styles {
        let _ = js_sys::Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    date.to_locale_string(locale, &options).into()
}

/// Gives `host` an open shadow root holding the widget's stylesheet, and
/// returns the element inside it to mount the widget on. A host mounted
/// before keeps its shadow root (a second cannot be attached), emptied. The
/// stylesheet is adopted (no `<style>` element, so a strict CSP needs no
/// `unsafe-inline`); browsers without constructable stylesheets (Safari
/// before 16.4) get a `<style>` element instead.
pub fn shadow_mount_point(host: &web_sys::HtmlElement) -> Result<web_sys::HtmlElement, JsValue> {
    use wasm_bindgen::JsCast;

    let shadow = match host.shadow_root() {
        Some(shadow) => {
            shadow.replace_children_with_node_0();
            shadow
        }
        None => host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?,
    };
    let document = host.owner_document().ok_or_else(|| JsValue::from_str("no document"))?;
    match web_sys::CssStyleSheet::new() {
        Ok(sheet) => {
            sheet.replace_sync(crate::style_sheet::WIDGET_CSS)?;
            shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
        }
        Err(_) => {
            let style = document.create_element("style")?;
            style.set_text_content(Some(crate::style_sheet::WIDGET_CSS));
            shadow.append_child(&style)?;
        }
    }
    let mount = document.create_element("div")?;
    shadow.append_child(&mount)?;
    mount.dyn_into::<web_sys::HtmlElement>().map_err(JsValue::from)
}

thread_local! {
    /// The later screens' stylesheet, made once and shared by every widget
    /// of the page (a constructed sheet may be adopted by many roots).
    static LATER_SHEET: Option<web_sys::CssStyleSheet> = web_sys::CssStyleSheet::new()
        .ok()
        .filter(|sheet| sheet.replace_sync(crate::style_sheet::LATER_CSS).is_ok());
}

/// Gives the widget's shadow root that `node` is in the stylesheet of the
/// screens after the form, once: it is compiled into their chunks rather
/// than into the first download with the form's own (see `build.rs`).
/// Adopted after the form's sheet, it comes later in the cascade; browsers
/// without constructable stylesheets get a `<style>` element, as for the
/// form's. Outside a shadow root (the component tests mount the widget
/// without one) there is nothing to style.
pub fn adopt_later_styles(node: &web_sys::Node) {
    use wasm_bindgen::JsCast;

    let Ok(shadow) = node.get_root_node().dyn_into::<web_sys::ShadowRoot>() else { return };
    LATER_SHEET.with(|sheet| match sheet {
        Some(sheet) => {
            let adopted = shadow.adopted_style_sheets();
            if !adopted.includes(sheet, 0) {
                adopted.push(sheet);
                shadow.set_adopted_style_sheets(&adopted);
            }
        }
        None => {
            const MARKER: &str = "style[data-bsv-later]";
            if shadow.query_selector(MARKER).ok().flatten().is_some() {
                return;
            }
            if let Some(style) = node.owner_document().and_then(|d| d.create_element("style").ok()) {
                let _ = style.set_attribute("data-bsv-later", "");
                style.set_text_content(Some(crate::style_sheet::LATER_CSS));
                let _ = shadow.append_child(&style);
            }
        }
    });
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
const watched = new Map();
let listening = false;
export function watch_for_crash(host, title, body, reload) {
  watched.set(host, { title, body, reload });
  if (listening) return;
  listening = true;
  const show = (event) => {
    const error = event.error || event.reason;
    if (!(error instanceof WebAssembly.RuntimeError)) return;
    for (const [host, { title, body, reload }] of watched) {
      const root = host.shadowRoot || host;
      const box = document.createElement('div');
      box.className = 'bsv';
      box.setAttribute('role', 'alert');
      const notice = box.appendChild(document.createElement('div'));
      notice.className = 'bsv-notice bsv-notice--error';
      const heading = notice.appendChild(document.createElement('h2'));
      heading.className = 'bsv-notice__title';
      heading.textContent = title;
      const text = notice.appendChild(document.createElement('p'));
      text.className = 'bsv-notice__body';
      text.textContent = body;
      const button = notice.appendChild(document.createElement('button'));
      button.type = 'button';
      button.className = 'bsv-button';
      button.textContent = reload;
      button.addEventListener('click', () => location.reload());
      root.replaceChildren(box);
    }
  };
  window.addEventListener('error', show);
  window.addEventListener('unhandledrejection', show);
}
export function unwatch_crash(host) {
  watched.delete(host);
}
"#)]
extern "C" {
    /// Replaces the widget in `host` with a "something went wrong, reload"
    /// screen when the wasm traps. Release builds abort on a panic (see
    /// scripts/build), and after a trap no Rust code should run again, so
    /// the screen is drawn by this bit of JavaScript, with the citizen's
    /// language's sentences handed over beforehand. One trap stops every
    /// widget of the page (they share one wasm instance), so each watched
    /// host gets the screen; a host mounted again is watched once, in its
    /// latest language.
    pub fn watch_for_crash(host: &web_sys::HtmlElement, title: &str, body: &str, reload: &str);
    /// Stops drawing the crash screen into `host`: its widget was unmounted.
    pub fn unwatch_crash(host: &web_sys::HtmlElement);
}

/// In iframe mode, tells the parent page the widget's height whenever it
/// changes, so the frame can fit it without a scrollbar: a `postMessage` of
/// `{type: "bottleneck-survey:resize", height}` (docs/embedding.md). The
/// height is not sensitive, so without a `parent_origin` it goes to any
/// parent (`*`); with one, only to that origin.
pub fn report_height_to_parent(host: &web_sys::HtmlElement, parent_origin: Option<&str>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let Some(window) = web_sys::window() else { return };
    let framed = window.parent().ok().flatten().is_some_and(|parent| !js_sys::Object::is(&parent, &window));
    if !framed {
        return;
    }
    if let Some(body) = window.document().and_then(|d| d.body()) {
        let _ = body.class_list().add_1("bsv-page--framed");
    }
    let target = parent_origin.filter(|o| is_origin(o)).unwrap_or("*").to_owned();
    let post = move |height: i32| {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"bottleneck-survey:resize".into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &f64::from(height).into());
        if let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) {
            let _ = parent.post_message(&message, &target);
        }
    };
    // Once now: the observer reports on a rendering frame, and a browser
    // may not render a frame scrolled out of view until it comes back.
    post(host.offset_height());
    let report = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let Some(entry) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>().ok() else { return };
        let Some(element) = entry.target().dyn_into::<web_sys::HtmlElement>().ok() else { return };
        post(element.offset_height());
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(report.as_ref().unchecked_ref()) {
        observer.observe(host);
        // The page lives as long as the observer: nothing ever removes it.
        report.forget();
    }
}

/// True for `https://host` or `http://host:port`: a bare origin.
fn is_origin(value: &str) -> bool {
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.contains(['/', '?', '#', ' ']))
}

/// Scrolls the page so the focused control (for a checkbox, its whole row)
/// is not hidden behind the form's sticky tally and submit bar: a phone's
/// keyboard or Tab may bring a field into view right under them, and CSS
/// scroll margins cannot know how tall an option's row is.
pub fn keep_clear_of_sticky_bars(target: &web_sys::Element) {
    let Some(form) = target.closest(".bsv-form").ok().flatten() else { return };
    let shown = target.closest(".bsv-choice").ok().flatten().unwrap_or_else(|| target.clone());
    let bottom = shown.get_bounding_client_rect().bottom();
    let mut cover_top = f64::INFINITY;
    for selector in [".bsv-submit", ".bsv-choices__tally"] {
        if let Some(bar) = form.query_selector(selector).ok().flatten() {
            let rect = bar.get_bounding_client_rect();
            // Only where the bar floats over the content around the target.
            if rect.top() < bottom && rect.bottom() > shown.get_bounding_client_rect().top() {
                cover_top = cover_top.min(rect.top());
            }
        }
    }
    if let (true, Some(window)) = (bottom > cover_top, web_sys::window()) {
        window.scroll_by_with_x_and_y(0.0, bottom - cover_top + 8.0);
    }
}
