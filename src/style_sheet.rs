//! The widget's stylesheet, compiled into the wasm and adopted by the
//! widget's shadow root: no extra request, no `<style>` or `style=` that a
//! strict Content-Security-Policy would refuse, and no way for the host
//! page's CSS to reach in or for ours to leak out. One file per component
//! under `style/`, joined here in cascade order.

pub const WIDGET_CSS: &str = concat!(
    include_str!("../style/tokens.css"),
    include_str!("../style/survey.css"),
    include_str!("../style/notice.css"),
    include_str!("../style/field.css"),
    include_str!("../style/error_summary.css"),
    include_str!("../style/location_picker.css"),
    include_str!("../style/choice_list.css"),
    include_str!("../style/real_name.css"),
    include_str!("../style/submit_bar.css"),
    include_str!("../style/receipt.css"),
    include_str!("../style/results.css"),
    include_str!("../style/care.css"),
);
