//! Components in real Chromium (`wasm-pack test --headless --chrome`): the
//! whole widget is mounted against a scripted endpoint, and driven the way a
//! citizen would, finding controls by their labels.
#![cfg(target_arch = "wasm32")]

mod in_browser;

use in_browser::{find_button, find_by_label, mount_widget_until, reached, tick};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlButtonElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

const BATCH: &str = include_str!("../docs/examples/batch-open.json");
const HEBEI: &str = include_str!("../public/regions/130000.json");
const GUANGDONG: &str = include_str!("../public/regions/440000.json");

/// A stand-in endpoint inside the page: answers batch and region requests
/// from the repository's own files, holds every vote unanswered (so the
/// widget stays in its sending state), and counts the votes posted.
#[wasm_bindgen(inline_js = r#"
export function serve(batch, regions) {
  window.__votes = 0;
  window.fetch = (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const path = request.url;
    if (path.endsWith('/batches/current')) {
      return Promise.resolve(new Response(batch, { status: 200, headers: { 'Content-Type': 'application/json' } }));
    }
    const region = path.match(/regions\/(\d{6})\.json$/);
    if (region && regions[region[1]]) {
      return Promise.resolve(new Response(regions[region[1]], { status: 200 }));
    }
    if (path.endsWith('/votes') && request.method === 'POST') {
      window.__votes += 1;
      return new Promise(() => {});
    }
    return Promise.resolve(new Response('', { status: 404 }));
  };
}
export function votes_posted() { return window.__votes; }
"#)]
extern "C" {
    fn serve(batch: &str, regions: &JsValue);
    fn votes_posted() -> u32;
}

fn regions() -> JsValue {
    let map = js_sys::Object::new();
    for (code, json) in [("130000", HEBEI), ("440000", GUANGDONG)] {
        js_sys::Reflect::set(&map, &code.into(), &json.into()).unwrap();
    }
    map.into()
}

/// Mounts a fresh widget in its own element and waits until its form shows.
async fn mount_widget() -> Element {
    // Each test starts from a browser with nothing stored: a vote an earlier
    // test left in the outbox would (rightly) be resumed, not a fresh form.
    window().local_storage().unwrap().unwrap().clear().unwrap();
    mount_widget_keeping_storage().await
}

async fn mount_widget_keeping_storage() -> Element {
    serve(BATCH, &regions());
    // The form's lower half (choices to submit button) comes a frame after its top.
    mount_widget_until(|root| root.query_selector("form button[type=submit]").unwrap().is_some()).await
}

async fn wait_for(ready: impl FnMut() -> bool) {
    assert!(reached(ready).await, "the widget did not reach the expected state within 2 s");
}

fn by_label<T: JsCast>(root: &Element, text: &str) -> T {
    find_by_label(root, text).unwrap_or_else(|| panic!("no label {text:?}"))
}

fn button(root: &Element, text: &str) -> HtmlButtonElement {
    find_button(root, text).unwrap_or_else(|| panic!("no button {text:?}"))
}

fn pick(select: &HtmlSelectElement, value: &str) {
    select.set_value(value);
    select.dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    }).unwrap()).unwrap();
}

fn option_values(select: &HtmlSelectElement) -> Vec<String> {
    let options = select.options();
    (0..options.length()).map(|i| options.item(i).unwrap().unchecked_into::<web_sys::HtmlOptionElement>().value()).collect()
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector).unwrap().and_then(|e| e.text_content()).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn picking_a_province_loads_its_cities_and_changing_it_clears_city_and_county() {
    let root = mount_widget().await;
    let province: HtmlSelectElement = by_label(&root, "省份");
    let city: HtmlSelectElement = by_label(&root, "城市");
    let county: HtmlSelectElement = by_label(&root, "区县");
    assert!(city.disabled() && county.disabled(), "city and county wait for a province");

    pick(&province, "130000");
    wait_for(|| !city.disabled()).await;
    assert!(option_values(&city).contains(&"130100".to_string()), "石家庄市 is offered");
    pick(&city, "130100");
    wait_for(|| !county.disabled()).await;
    assert!(option_values(&county).contains(&"130102".to_string()), "长安区 is offered");
    pick(&county, "130102");

    pick(&province, "440000");
    wait_for(|| option_values(&city).contains(&"440100".to_string())).await;
    assert_eq!(city.value(), "", "the city is cleared");
    assert_eq!(county.value(), "", "the county is cleared");
    assert!(county.disabled(), "the county waits for a new city");
}

#[wasm_bindgen_test]
async fn a_tick_past_the_maximum_is_undone_with_a_message() {
    let root = mount_widget().await;
    let boxes = root.query_selector_all("input[type=checkbox]").unwrap();
    let checkbox = |i: u32| boxes.item(i).unwrap().unchecked_into::<HtmlInputElement>();
    for i in 0..4 {
        checkbox(i).click();
    }
    tick(50).await;
    assert!(checkbox(0).checked() && checkbox(1).checked() && checkbox(2).checked());
    assert!(!checkbox(3).checked(), "the fourth tick is refused");
    assert!(text(&root, "[role=alert].bsv-choices__refused").contains("最多只能选 3 项"));
    assert_eq!(text(&root, ".bsv-choices__count"), "已选 3/3");

    checkbox(0).click();
    checkbox(3).click();
    tick(50).await;
    assert!(checkbox(3).checked(), "after unticking one, another may be ticked");
    assert_eq!(text(&root, ".bsv-choices__refused"), "", "the message goes once the tick is taken");
}

#[wasm_bindgen_test]
async fn submitting_an_incomplete_ballot_sends_nothing_and_lists_the_problems() {
    let root = mount_widget().await;
    let before = votes_posted();
    button(&root, "提交").click();
    tick(50).await;
    assert_eq!(votes_posted(), before);
    let summary = text(&root, ".bsv-error-summary");
    assert!(summary.contains("请选择省份") && summary.contains("请至少选择 1 项堵点"), "{summary}");
    let province: HtmlSelectElement = by_label(&root, "省份");
    assert_eq!(province.get_attribute("aria-invalid").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn while_a_vote_is_sending_the_button_is_disabled_and_a_double_click_posts_once() {
    let root = mount_widget().await;
    pick(&by_label(&root, "省份"), "130000");
    let city: HtmlSelectElement = by_label(&root, "城市");
    wait_for(|| !city.disabled()).await;
    pick(&city, "130100");
    let county: HtmlSelectElement = by_label(&root, "区县");
    wait_for(|| !county.disabled()).await;
    pick(&county, "130102");
    root.query_selector("input[type=checkbox]").unwrap().unwrap().unchecked_into::<HtmlInputElement>().click();

    let before = votes_posted();
    let submit = button(&root, "提交");
    // Both clicks land before the page redraws the button as disabled, so
    // only the form's own guard can stop the second. The widget sends after
    // a short random pause (two tabs must not both send).
    submit.click();
    submit.click();
    wait_for(|| votes_posted() > before).await;
    tick(300).await;
    assert_eq!(votes_posted() - before, 1, "one vote is posted");
    assert!(submit.disabled(), "the button is disabled while sending");
    assert_eq!(submit.text_content().unwrap().trim(), "正在提交…");
    assert!(county.disabled(), "the answers are frozen while sending");
}

#[wasm_bindgen_test]
async fn a_vote_left_in_the_outbox_is_shown_with_its_answers_and_sent_again_at_once() {
    window().local_storage().unwrap().unwrap().clear().unwrap();
    let origin = window().location().origin().unwrap();
    let vote = include_str!("../docs/examples/vote.json");
    let entry = format!(r#"{{"vote":{vote},"attempts":2,"next_try_ms":0,"lease":null}}"#);
    let key = format!("bsv.outbox.v1|{origin}/api/v1|2018-3-social-medical");
    window().local_storage().unwrap().unwrap().set_item(&key, &entry).unwrap();

    let before = votes_posted();
    let root = mount_widget_keeping_storage().await;
    wait_for(|| votes_posted() > before).await;
    let boxes = root.query_selector_all("input[type=checkbox]").unwrap();
    let ticked: Vec<String> = (0..boxes.length())
        .map(|i| boxes.item(i).unwrap().unchecked_into::<HtmlInputElement>())
        .filter(|b| b.checked())
        .map(|b| b.value())
        .collect();
    assert_eq!(ticked, ["clinic-card", "repeat-tests"], "the stored vote's choices are shown");
    assert!(text(&root, ".bsv-submit").contains("您的投票已保存在本设备"), "{}", text(&root, ".bsv-submit"));
}
