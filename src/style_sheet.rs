//! The widget's stylesheet, compiled into the wasm and adopted by the
//! widget's shadow root: no extra request, no `<style>` or `style=` that a
//! strict Content-Security-Policy would refuse, and no way for the host
//! page's CSS to reach in or for ours to leak out. One file per component
//! under `style/`, joined and minified by `build.rs`.

pub const WIDGET_CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.css"));
