//! Host tests of what the screens after a vote say: the results list, the
//! switch between country, province and city, the map of a bottleneck across
//! the provinces, and the follow-up lines. Fed by the protocol's examples.
#![cfg(not(target_arch = "wasm32"))]

use bottleneck_survey::config::Lang;
use bottleneck_survey::follow_up_text::follow_up_status;
use bottleneck_survey::i18n::later::later_catalogue;
use bottleneck_survey::province_shares::{province_shares, Share};
use bottleneck_survey::region_scope::{city_in, province_name, scopes, Scope};
use bottleneck_survey::tally::{per_mille_as_percent, tallies_shown, tally_rows, TallyRow};
use bottleneck_survey::tile_map::{COLS, ROWS, SHADES, TILES};
use bottleneck_survey::wire::{decode_batch, decode_province_file, decode_region_results, decode_results};
use survey_protocol::regions::Division;
use survey_protocol::{Batch, FollowUp, FollowUpStatus, OptionTally, RegionLevel, RegionResults, RegionTally, ResultsVisibility};

fn open_batch() -> Batch {
    decode_batch(include_str!("../docs/examples/batch-open.json")).unwrap()
}

fn closed_batch() -> Batch {
    decode_batch(include_str!("../docs/examples/batch-closed.json")).unwrap()
}

fn by_province() -> RegionResults {
    decode_region_results(include_str!("../docs/examples/results-regions-province.json")).unwrap()
}

fn place(code: &str, name: &str) -> Division {
    Division { code: code.into(), name: name.into() }
}

fn ids(batch: &Batch, rows: &[TallyRow]) -> Vec<String> {
    rows.iter().map(|r| batch.options[r.option].id.clone()).collect()
}

// ---- the results list ----------------------------------------------------------

#[test]
fn every_option_is_listed_most_chosen_first_with_ties_in_batch_order() {
    let batch = open_batch();
    let results = decode_results(include_str!("../docs/examples/results.json")).unwrap();
    let rows = tally_rows(&batch, &results.options, results.total);
    assert_eq!(rows.len(), batch.options.len());
    assert_eq!(ids(&batch, &rows[..5]), ["repeat-tests", "clinic-card", "no-timed-booking", "remote-advance-pay", "pension-alive-check"]);
    let percents: Vec<u64> = rows[..3].iter().map(|r| r.percent).collect();
    assert_eq!(percents, [100, 66, 33], "whole percent of the 3 voters, rounded down");
    assert!(rows[5..].iter().all(|r| r.votes == 0));
}

#[test]
fn an_option_the_tallies_leave_out_has_no_votes_and_a_tally_of_an_unknown_option_is_not_shown() {
    let batch = open_batch();
    let tallies = [OptionTally { id: "death-affairs".into(), votes: 4 }, OptionTally { id: "not-in-the-batch".into(), votes: 9 }];
    let rows = tally_rows(&batch, &tallies, 5);
    assert_eq!(rows.len(), batch.options.len());
    assert_eq!(ids(&batch, &rows[..1]), ["death-affairs"]);
    assert_eq!(rows[0].percent, 80);
    assert_eq!(rows.iter().map(|r| r.votes).sum::<u64>(), 4);
}

#[test]
fn no_votes_at_all_give_zero_percent_rather_than_a_division_by_zero() {
    let batch = open_batch();
    assert!(tally_rows(&batch, &[], 0).iter().all(|r| r.votes == 0 && r.percent == 0));
}

#[test]
fn shares_per_mille_are_written_as_percent_with_one_decimal() {
    assert_eq!(per_mille_as_percent(450), "45.0");
    assert_eq!(per_mille_as_percent(7), "0.7");
    assert_eq!(per_mille_as_percent(1000), "100.0");
}

#[test]
fn tallies_are_shown_as_the_batch_allows_and_never_when_the_host_page_hides_them() {
    use ResultsVisibility::{AfterVote, Always, Hidden};
    assert!(tallies_shown(Always, false, false));
    assert!(tallies_shown(AfterVote, true, false));
    assert!(!tallies_shown(AfterVote, false, false), "a closed batch's after-vote results only for those who voted in it");
    assert!(!tallies_shown(Hidden, true, false));
    assert!(!tallies_shown(Always, true, true), "results=\"hidden\" on the element wins");
}

// ---- country, province, city -----------------------------------------------------

#[test]
fn the_whole_country_is_always_offered_then_the_province_and_the_city_voted_for() {
    let hebei = || Some(place("130000", "河北省"));
    let shijiazhuang = || Some(place("130100", "石家庄市"));
    assert_eq!(
        scopes(3, hebei(), shijiazhuang()),
        [Scope::Nation, Scope::Province(place("130000", "河北省")), Scope::City(place("130100", "石家庄市"))]
    );
    assert_eq!(scopes(1, hebei(), shijiazhuang()).len(), 2, "a batch that asks for provinces only offers no city");
    assert_eq!(scopes(3, hebei(), None).len(), 2);
    assert_eq!(scopes(3, None, shijiazhuang()), [Scope::Nation], "a vote without a province offers the country only");
    assert_eq!(scopes(3, hebei(), Some(place("440100", "广州市"))).len(), 2, "a city outside the province is not offered");
    assert_eq!(scopes(3, Some(place("130100", "石家庄市")), None), [Scope::Nation], "a city code is not a province");
    assert_eq!(scopes(3, hebei(), hebei()).len(), 2, "the province is not its own city");
}

#[test]
fn a_municipality_offers_no_city_of_its_own_and_a_province_offers_the_city_voted_for() {
    let beijing = decode_province_file(include_str!("../public/regions/110000.json")).unwrap();
    assert_eq!(city_in(&beijing, "110100"), None, "Beijing's only city is Beijing");
    let hebei = decode_province_file(include_str!("../public/regions/130000.json")).unwrap();
    assert_eq!(city_in(&hebei, "130100"), Some(place("130100", "石家庄市")));
    assert_eq!(city_in(&hebei, "440100"), None);
}

#[test]
fn a_province_is_named_in_the_citizens_language() {
    assert_eq!(province_name("130000", Lang::ZhCn).as_deref(), Some("河北省"));
    assert_eq!(province_name("130000", Lang::En).as_deref(), Some("Hebei"));
    assert_eq!(province_name("540000", Lang::En).as_deref(), Some("Xizang"));
    assert_eq!(province_name("999999", Lang::ZhCn), None);
}

// ---- the map -------------------------------------------------------------------

#[test]
fn a_province_with_enough_votes_is_shaded_by_its_share_against_the_highest() {
    let map = province_shares(&by_province(), "clinic-card");
    let share = |code: &str| map.provinces.iter().find(|p| p.tile.code == code).unwrap().share;
    // 580 of 1,288 and 926 of 2,057 voters: 450 per mille, the highest.
    assert_eq!(map.top, 450);
    assert_eq!(share("130000"), Share::Shown { votes: 580, total: 1288, per_mille: 450, shade: SHADES });
    assert_eq!(share("440000"), Share::Shown { votes: 926, total: 2057, per_mille: 450, shade: SHADES });
    assert!(matches!(share("110000"), Share::Shown { votes: 185, per_mille: 449, .. }));
    assert_eq!(share("320000"), Share::Withheld, "a province the endpoint leaves out has too few votes");
    for not_surveyed in ["710000", "810000", "820000"] {
        assert_eq!(share(not_surveyed), Share::NotSurveyed);
    }
}

#[test]
fn the_map_holds_every_division_on_the_grid_row_by_row() {
    let map = province_shares(&by_province(), "clinic-card");
    assert_eq!(map.provinces.len(), TILES.len());
    let grid = map.grid();
    assert_eq!(grid.len(), usize::from(ROWS) * usize::from(COLS));
    assert_eq!(grid.iter().flatten().count(), TILES.len());
    assert_eq!(grid[usize::from(COLS) - 1].map(|p| p.tile.zh), Some("黑龙江"), "the first row holds Heilongjiang, in the north-east");
    assert!(grid[0].is_none());
}

#[test]
fn the_table_lists_the_31_provinces_highest_share_first_then_those_withheld() {
    let map = province_shares(&by_province(), "clinic-card");
    let table = map.table();
    assert_eq!(table.len(), 31, "Taiwan, Hong Kong and Macao take no part in the survey");
    let codes: Vec<&str> = table.iter().take(4).map(|p| p.tile.code).collect();
    assert_eq!(codes, ["130000", "440000", "110000", "120000"], "ties in code order, then the withheld from 120000");
    assert!(table[3..].iter().all(|p| p.share == Share::Withheld));
}

#[test]
fn the_key_gives_each_shade_its_range_of_shares() {
    let map = province_shares(&by_province(), "clinic-card");
    assert_eq!(map.key(), [(1, 0, 112), (2, 112, 225), (3, 225, 337), (4, 337, 450)]);
    let nobody = province_shares(&by_province(), "no-such-option");
    assert_eq!(nobody.top, 0);
    assert!(nobody.key().is_empty(), "nothing to grade when nobody chose it");
    assert!(nobody.provinces.iter().all(|p| !matches!(p.share, Share::Shown { shade: 1.., .. })));
}

#[test]
fn a_region_under_ten_votes_is_withheld_from_the_map_whatever_the_endpoint_says() {
    let tally = |code: &str, total: u64, votes: u64| RegionTally {
        code: code.into(),
        total,
        real_name_total: 0,
        options: vec![OptionTally { id: "a".into(), votes }],
    };
    let results = RegionResults {
        batch_id: "b".into(),
        level: RegionLevel::Province,
        province: None,
        min_votes: 1,
        regions: vec![tally("110000", 9, 9), tally("130000", 10, 1)],
        updated_at: "2018-07-09T02:13:45Z".into(),
    };
    let map = province_shares(&results, "a");
    let share = |code: &str| map.provinces.iter().find(|p| p.tile.code == code).unwrap().share;
    assert_eq!(share("110000"), Share::Withheld);
    assert_eq!(map.top, 100, "the withheld region's 100 % is not the top");
    assert_eq!(share("130000"), Share::Shown { votes: 1, total: 10, per_mille: 100, shade: SHADES });
}

// ---- follow-up -----------------------------------------------------------------

#[test]
fn a_follow_up_says_its_status_and_how_many_provinces_report_it_solved() {
    let batch = closed_batch();
    let follow_up = |id: &str| batch.options.iter().find(|o| o.id == id).and_then(|o| o.follow_up.clone()).unwrap();
    let zh = later_catalogue(Lang::ZhCn);
    let en = later_catalogue(Lang::En);
    assert_eq!(follow_up_status(&follow_up("id-card-remote"), zh).as_deref(), Some("办理情况：已解决 · 22/31 个省份已解决"));
    assert_eq!(
        follow_up_status(&follow_up("id-card-remote"), en).as_deref(),
        Some("What was done: Solved · 22 of 31 provinces report it solved")
    );
    assert_eq!(follow_up_status(&follow_up("repeat-personal-info"), zh).as_deref(), Some("办理情况：已交各地限期解决"));
    let collecting = FollowUp { status: FollowUpStatus::Collecting, ..follow_up("id-card-remote") };
    assert_eq!(
        follow_up_status(&collecting, en).as_deref(),
        Some("What was done: Votes are being collected · 22 of 31 provinces report it solved")
    );
}

#[test]
fn a_bare_collecting_follow_up_is_not_put_in_words_as_the_batch_says_as_much() {
    let bare = FollowUp {
        status: FollowUpStatus::Collecting,
        regions_solved: None,
        regions_total: None,
        note: None,
        updated_at: "2018-07-06T00:00:00+08:00".into(),
    };
    let t = later_catalogue(Lang::ZhCn);
    assert_eq!(follow_up_status(&bare, t), None);
    let noted = FollowUp { note: Some("已汇总，征集结束后交各地".into()), ..bare };
    assert_eq!(follow_up_status(&noted, t).as_deref(), Some("办理情况：正在征集"));
}

#[test]
fn a_follow_up_that_breaks_a_rule_or_has_an_unknown_status_is_not_put_in_words() {
    let sound = FollowUp {
        status: FollowUpStatus::Sent,
        regions_solved: Some(22),
        regions_total: Some(31),
        note: None,
        updated_at: "2018-06-22T00:00:00+08:00".into(),
    };
    let t = later_catalogue(Lang::ZhCn);
    assert!(follow_up_status(&sound, t).is_some());
    for broken in [
        FollowUp { regions_solved: Some(32), ..sound.clone() },
        FollowUp { regions_total: None, ..sound.clone() },
        FollowUp { note: Some(" ".into()), ..sound.clone() },
        FollowUp { updated_at: "June".into(), ..sound.clone() },
        FollowUp { status: FollowUpStatus::Unknown, ..sound.clone() },
    ] {
        assert_eq!(follow_up_status(&broken, t), None, "{broken:?}");
    }
}
