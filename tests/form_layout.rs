//! Host tests of how the form is laid out: ids, option groups, provinces.
#![cfg(not(target_arch = "wasm32"))]

use bottleneck_survey::form_ids::FormIds;
use bottleneck_survey::option_groups::group_options;
use bottleneck_survey::provinces::provinces;
use survey_protocol::batch_check::parse_batch;
use survey_protocol::BatchOption;

#[test]
fn ids_of_two_widgets_on_one_page_never_clash() {
    assert_ne!(FormIds::new(1).of("province"), FormIds::new(2).of("province"));
}

#[test]
fn an_error_in_a_protocol_field_links_to_its_control() {
    let ids = FormIds::new(1);
    assert_eq!(ids.for_field("location.city"), "bsv1-city");
    assert_eq!(ids.for_field("choices"), "bsv1-choice-0");
    assert_eq!(ids.error_of("bsv1-city"), "bsv1-city-error");
}

#[test]
fn options_are_grouped_in_order_of_first_appearance() {
    let option = |id: &str, group: Option<&str>| BatchOption {
        id: id.into(),
        text: id.into(),
        group: group.map(Into::into),
        follow_up: None,
    };
    let groups = group_options(&[option("a", Some("医")), option("b", None), option("c", Some("医"))]);
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].label.as_deref(), Some("医"));
    let ids: Vec<_> = groups[0].options.iter().map(|(i, o)| (*i, o.id.as_str())).collect();
    assert_eq!(ids, vec![(0, "a"), (2, "c")]);
    assert_eq!(groups[1].label, None);
}

#[test]
fn the_demo_batch_has_four_groups() {
    let batch = parse_batch(include_str!("../docs/examples/batch-open.json")).unwrap();
    let labels: Vec<_> = group_options(&batch.options).into_iter().map(|g| g.label.unwrap()).collect();
    assert_eq!(labels, ["看病就医", "医保结算与报销", "社保与养老", "生老病死一件事"]);
}

#[test]
fn the_compiled_in_province_list_has_the_31_mainland_divisions() {
    let list = provinces();
    assert_eq!(list.len(), 31);
    assert_eq!((list[2].code.as_str(), list[2].name.as_str()), ("130000", "河北省"));
}
