//! The screens after the form in real Chromium (`wasm-pack test --headless
//! --chrome`): the whole widget mounted against a scripted endpoint that
//! answers from the protocol's examples, driven the way a citizen would,
//! finding things by their labels and words. The release build's chunks are
//! not in play here (no `split` feature): the end-to-end tests drive those
//! against the reference collector.
#![cfg(target_arch = "wasm32")]

mod in_browser;

use in_browser::{find_button, find_by_label, mount_widget_until, reached, tick};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlButtonElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

const OPEN: &str = include_str!("../docs/examples/batch-open.json");
const CLOSED: &str = include_str!("../docs/examples/batch-closed.json");
const RESULTS: &str = include_str!("../docs/examples/results.json");
const BY_PROVINCE: &str = include_str!("../docs/examples/results-regions-province.json");
const BY_CITY: &str = include_str!("../docs/examples/results-regions-city.json");
const BATCHES: &str = include_str!("../docs/examples/batches.json");
const HEBEI: &str = include_str!("../public/regions/130000.json");
const JIANGSU: &str = include_str!("../public/regions/320000.json");

/// The tallies of the closed example batch (its two options).
const CLOSED_RESULTS: &str = r#"{"batch_id":"2018-1-education-identity","total":180000,"real_name_total":50000,
"options":[{"id":"repeat-personal-info","votes":81000},{"id":"id-card-remote","votes":64000}],
"updated_at":"2018-06-22T00:00:00+08:00"}"#;

/// A stand-in endpoint inside the page: each request's path and query,
/// after the origin, is looked up in `answers` (`{"/api/v1/batches": [200,
/// body]}`); anything else is a 404. Records what was asked for.
#[wasm_bindgen(inline_js = r#"
export function serve(answers) {
  window.__asked = [];
  window.fetch = (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    // gloo ends a query written into the path with '&', which servers ignore.
    const key = url.pathname + url.search.replace(/&$/, '');
    window.__asked.push(key);
    const found = answers[key];
    if (!found) return Promise.resolve(new Response('', { status: 404 }));
    return Promise.resolve(new Response(found[1], { status: found[0], headers: { 'Content-Type': 'application/json' } }));
  };
}
export function asked() { return window.__asked.join('\n'); }
"#)]
extern "C" {
    fn serve(answers: &JsValue);
    fn asked() -> String;
}

/// Answers by path; `regions/…` are the widget's own files.
fn answers(list: &[(&str, &str)]) -> JsValue {
    let map = js_sys::Object::new();
    for (path, body) in list {
        let answer = js_sys::Array::of2(&200.into(), &(*body).into());
        js_sys::Reflect::set(&map, &(*path).into(), &answer).unwrap();
    }
    map.into()
}

const CURRENT: &str = "/api/v1/batches/current";
const OPEN_RESULTS: &str = "/api/v1/batches/2018-3-social-medical/results";
const OPEN_BY_PROVINCE: &str = "/api/v1/batches/2018-3-social-medical/results/regions?level=province";
const OPEN_BY_CITY: &str = "/api/v1/batches/2018-3-social-medical/results/regions?level=city&province=130000";

/// Clears storage, keeps a receipt of this browser's vote in the open batch
/// cast in `province` and `city`, and mounts a widget, which then shows the
/// receipt.
async fn mount_after_voting(province: &str, city: &str, endpoint: JsValue) -> Element {
    let storage = window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let origin = window().location().origin().unwrap();
    let record = format!(r#"{{"receipt":"7KQM-4ZPA","counted_at":"2018-07-09T02:13:45Z","province":"{province}","city":"{city}"}}"#);
    storage.set_item(&format!("bsv.voted.v1|{origin}/api/v1|2018-3-social-medical"), &record).unwrap();
    mount(endpoint, |root| text(root).contains("7KQM-4ZPA")).await
}

async fn mount(endpoint: JsValue, ready: impl Fn(&Element) -> bool) -> Element {
    serve(&endpoint);
    mount_widget_until(ready).await
}

async fn wait_for(ready: impl FnMut() -> bool) {
    assert!(reached(ready).await, "the widget did not reach the expected state within 2 s; asked for:\n{}", asked());
}

/// Whether the widget has asked for exactly this path and query.
fn asked_for(path: &str) -> bool {
    asked().lines().any(|line| line == path)
}

fn text(root: &Element) -> String {
    root.text_content().unwrap_or_default()
}

fn radio(root: &Element, label_text: &str) -> HtmlInputElement {
    find_by_label(root, label_text).unwrap_or_else(|| panic!("no radio labelled {label_text:?} in:\n{}", text(root)))
}

#[wasm_bindgen_test]
async fn after_a_vote_the_results_switch_between_the_country_the_province_and_the_city_voted_for() {
    let endpoint = answers(&[
        (CURRENT, OPEN),
        (OPEN_RESULTS, RESULTS),
        (OPEN_BY_PROVINCE, BY_PROVINCE),
        (OPEN_BY_CITY, BY_CITY),
        ("/regions/130000.json", HEBEI),
    ]);
    let root = mount_after_voting("130000", "130100", endpoint).await;
    wait_for(|| find_by_label::<HtmlInputElement>(&root, "石家庄市（您选的城市）").is_some()).await;
    assert!(radio(&root, "全国").checked(), "the whole country is shown first");
    assert!(text(&root).contains("共 3 票，其中实名 1 票"));
    assert!(!asked().contains("level=city"), "a city's results are asked for only once it is chosen");

    radio(&root, "河北省（您选的省份）").click();
    wait_for(|| text(&root).contains("河北省：共 1288 票，其中实名 301 票")).await;
    assert!(text(&root).contains("580 票 (45%)"), "the province's own tallies: {}", text(&root));

    radio(&root, "石家庄市（您选的城市）").click();
    wait_for(|| text(&root).contains("石家庄市：共 903 票，其中实名 211 票")).await;
    let legend = root.query_selector(".bsv-region-switch legend").unwrap().unwrap();
    assert_eq!(legend.text_content().unwrap(), "查看哪里的投票情况", "the radios are a group under their question");
}

#[wasm_bindgen_test]
async fn a_province_with_fewer_than_ten_votes_says_not_enough_votes_yet_instead_of_its_numbers() {
    let endpoint = answers(&[
        (CURRENT, OPEN),
        (OPEN_RESULTS, RESULTS),
        (OPEN_BY_PROVINCE, BY_PROVINCE),
        ("/regions/320000.json", JIANGSU),
    ]);
    let root = mount_after_voting("320000", "320100", endpoint).await;
    wait_for(|| find_by_label::<HtmlInputElement>(&root, "江苏省（您选的省份）").is_some()).await;
    radio(&root, "江苏省（您选的省份）").click();
    wait_for(|| text(&root).contains("江苏省的投票情况暂不公布：一个地区的票数要足够多（至少 10 票）才公布")).await;
    assert!(!text(&root).contains("江苏省：共"), "no count at all is shown for it");
}

#[wasm_bindgen_test]
async fn an_endpoint_without_the_additions_gets_the_whole_countrys_results_and_nothing_more() {
    let endpoint = answers(&[(CURRENT, OPEN), (OPEN_RESULTS, RESULTS), ("/regions/130000.json", HEBEI)]);
    let root = mount_after_voting("130000", "130100", endpoint).await;
    wait_for(|| text(&root).contains("共 3 票，其中实名 1 票")).await;
    // Give the region and batch requests (both 404 here) time to be answered.
    wait_for(|| asked_for(OPEN_BY_PROVINCE) && asked_for("/api/v1/batches")).await;
    tick(100).await;
    assert!(root.query_selector(".bsv-region-switch").unwrap().is_none(), "no switch: only the country is offered");
    assert!(find_button(&root, "在地图上查看各省份的情况").is_none(), "no map without results by region");
    assert!(find_button(&root, "查看往期征集").is_none(), "no earlier batches without GET /batches");
}

#[wasm_bindgen_test]
async fn the_map_opens_on_the_most_chosen_bottleneck_and_its_table_holds_every_number() {
    let endpoint = answers(&[(CURRENT, OPEN), (OPEN_RESULTS, RESULTS), (OPEN_BY_PROVINCE, BY_PROVINCE)]);
    let root = mount_after_voting("130000", "130100", endpoint).await;
    wait_for(|| find_button(&root, "在地图上查看各省份的情况").is_some()).await;
    let open = find_button(&root, "在地图上查看各省份的情况").unwrap();
    assert_eq!(open.get_attribute("aria-expanded").as_deref(), Some("false"));
    open.click();
    wait_for(|| root.query_selector(".bsv-map__table").unwrap().is_some()).await;
    assert_eq!(open.get_attribute("aria-expanded").as_deref(), Some("true"));

    let chosen: HtmlSelectElement = find_by_label(&root, "选择要查看的堵点").expect("the bottleneck is chosen by a labelled select");
    assert_eq!(chosen.value(), "repeat-tests", "the most chosen in the whole country (3 of 3 votes)");
    let map = root.query_selector(".bsv-map__grid").unwrap().unwrap();
    assert_eq!(map.get_attribute("role").as_deref(), Some("img"));
    assert!(map.get_attribute("aria-label").unwrap().contains("数字见下表"));
    assert_eq!(map.query_selector_all(".bsv-map__tile").unwrap().length(), 34);
    let table = root.query_selector(".bsv-map__table").unwrap().unwrap().text_content().unwrap();
    // 165 of 412 voters in Beijing chose it and 823 of 2,057 in Guangdong
    // (40.0 %), 515 of 1,288 in Hebei (39.9 %): the highest share first.
    assert!(table.ends_with("北京市40.0%（412 人中 165 人）广东省40.0%（2057 人中 823 人）河北省39.9%（1288 人中 515 人）"), "{table}");
    let withheld = root.query_selector(".bsv-map__withheld").unwrap().unwrap().text_content().unwrap();
    assert!(withheld.starts_with("暂不公布的省份（票数要足够多、至少 10 票才公布）：天津市、"), "{withheld}");

    chosen.set_value("clinic-card");
    chosen.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    wait_for(|| root.query_selector(".bsv-map__table").unwrap().unwrap().text_content().unwrap().contains("45.0%（1288 人中 580 人）")).await;
}

#[wasm_bindgen_test]
async fn a_closed_batch_says_what_was_done_with_each_bottleneck_beside_its_tallies() {
    window().local_storage().unwrap().unwrap().clear().unwrap();
    let endpoint = answers(&[(CURRENT, CLOSED), ("/api/v1/batches/2018-1-education-identity/results", CLOSED_RESULTS)]);
    let root = mount(endpoint, |root| text(root).contains("已解决 · 22/31 个省份已解决")).await;
    let shown = text(&root);
    assert!(shown.contains("本批征集已经结束"));
    assert!(shown.contains("截至6月22日已解决369个"), "the batch's summary: {shown}");
    assert!(shown.contains("办理情况：已交各地限期解决"), "each option's follow-up: {shown}");
    assert!(shown.contains("解决比例超过70%"), "with the organiser's note");
    assert!(shown.contains("共 180000 票，其中实名 50000 票"), "the tallies, which the batch shows always");
    assert!(shown.contains("投票结果"), "headed as final results, not 'so far'");
}

#[wasm_bindgen_test]
async fn the_earlier_batches_are_listed_and_one_opens_with_what_became_of_it() {
    let endpoint = answers(&[
        (CURRENT, OPEN),
        (OPEN_RESULTS, RESULTS),
        ("/api/v1/batches", BATCHES),
        ("/api/v1/batches/2018-1-education-identity", CLOSED),
        ("/api/v1/batches/2018-1-education-identity/results", CLOSED_RESULTS),
    ]);
    let root = mount_after_voting("130000", "130100", endpoint).await;
    wait_for(|| find_button(&root, "查看往期征集").is_some()).await;
    find_button(&root, "查看往期征集").unwrap().click();
    wait_for(|| root.query_selector(".bsv-history__item").unwrap().is_some()).await;
    let items = root.query_selector_all(".bsv-history__item").unwrap();
    assert_eq!(items.length(), 2, "the earlier two; the current batch is the one on screen");
    let first = items.item(0).unwrap().text_content().unwrap();
    assert!(first.starts_with("第二批：商事服务领域办事堵点征集"), "newest first: {first}");
    assert!(first.contains("共 126000 票，其中实名 31000 票") && first.contains("已累计解决173个"), "{first}");

    let open = root.query_selector_all(".bsv-history__item button").unwrap().item(1).unwrap().unchecked_into::<HtmlButtonElement>();
    open.click();
    wait_for(|| text(&root).contains("已解决 · 22/31 个省份已解决")).await;
    let heading = root.query_selector(".bsv-history__detail h4").unwrap().unwrap();
    assert_eq!(heading.text_content().unwrap(), "第一批：教育、身份证明领域办事堵点征集");
    tick(50).await;
    assert_eq!(document().active_element().as_ref(), Some(&heading), "the citizen lands on the batch they opened");

    find_button(&root, "返回往期征集列表").unwrap().click();
    wait_for(|| root.query_selector_all(".bsv-history__item").unwrap().length() == 2).await;
}
