//! The widget's stylesheets, compiled into the wasm and adopted by the
//! widget's shadow root: no extra request, no `<style>` or `style=` that a
//! strict Content-Security-Policy would refuse, and no way for the host
//! page's CSS to reach in or for ours to leak out. One file per component
//! under `style/`, joined and minified by `build.rs` into two sheets: the
//! form's, adopted when the widget mounts, and the later screens', which
//! only their code refers to (`browser::adopt_later_styles`), so that the
//! release build carries it in their chunks.

/// The form, its notices and everything drawn before a vote.
pub const WIDGET_CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.css"));

/// The receipt, the results by region and their map, follow-up, a closed
/// batch and the earlier batches.
pub const LATER_CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/later.css"));
