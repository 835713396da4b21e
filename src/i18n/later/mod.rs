//! The sentences of the screens that come after the form: the receipt, the
//! results by region and the map, the follow-up of each bottleneck, a closed
//! batch and the earlier batches. Only those screens (all loaded on demand,
//! see `on_demand.rs`) refer to this catalogue, so its text travels in their
//! chunks rather than in the download that shows the form.

mod en;
mod zh_cn;

use crate::config::Lang;

catalogue! { LaterCatalogue {
    /// A part of a later screen is loading.
    loading_part,
    /// Heading of the screen of a closed batch.
    closed_title,
    /// `{date}`: when the batch closed.
    closed_at,
    receipt_title,
    voted_before_title,
    receipt_code,
    receipt_keep,
    /// `{date}`: when the vote was counted.
    receipt_counted_at,
    /// Heading of the tallies of a batch still collecting.
    results_title,
    /// Heading of the tallies of a batch that has closed.
    results_final_title,
    /// `{total}` votes, `{real_name}` of them under real names.
    results_total,
    /// `{n}` votes for one option.
    results_votes,
    results_failed,
    /// Legend of the switch between the whole country, the citizen's province and city.
    scope_legend,
    scope_nation,
    /// `{name}`: the province the citizen voted for.
    scope_province,
    /// `{name}`: the city the citizen voted for.
    scope_city,
    /// `{name}`: a region; `{total}` votes, `{real_name}` under real names.
    region_total,
    /// `{name}`: a region the endpoint left out; `{min}`: the fewest votes a
    /// region needs. Not "fewer than {min}": an endpoint also leaves out a
    /// region with more when subtracting it would single out the others.
    region_withheld,
    /// Heading of what became of a batch as a whole.
    follow_up_title,
    /// Heading of each bottleneck's follow-up when the tallies are not shown.
    follow_up_options_title,
    /// `{status}`: a bottleneck's follow-up, marked so it is not read as its text.
    follow_up_line,
    follow_up_collecting,
    follow_up_sent,
    follow_up_solved,
    /// `{solved}` of `{total}` provinces report it solved.
    follow_up_regions,
    /// `{date}`: when the organiser last reported.
    follow_up_updated,
    /// The button that shows the map of the provinces.
    map_open,
    map_title,
    /// Label of the choice of bottleneck the map shows.
    map_option_label,
    /// How to read the map, above it.
    map_hint,
    /// The map picture's text alternative.
    map_alt,
    map_key_title,
    /// `{from}`, `{to}`: the percentages one shade stands for.
    map_key_range,
    map_key_none,
    map_withheld,
    map_not_surveyed,
    map_table_caption,
    map_table_province,
    map_table_share,
    /// `{share}` percent: `{votes}` voters of `{total}` chose it.
    map_table_share_of,
    /// `{names}` of the provinces left out, not in the table; `{min}` as above.
    map_table_withheld,
    /// The button that shows the earlier batches.
    history_open,
    history_title,
    history_failed,
    /// `{from}`, `{to}`: the dates a batch was open.
    history_dates,
    history_status_open,
    history_status_closed,
    history_status_upcoming,
    /// A batch whose results are hidden publishes no totals.
    history_hidden,
    /// The button that opens one earlier batch.
    history_view,
    history_back,
}}

/// The later screens' catalogue for a language.
pub fn later_catalogue(lang: Lang) -> &'static LaterCatalogue {
    match lang {
        Lang::ZhCn => &zh_cn::ZH_CN,
        Lang::En => &en::EN,
    }
}
