//! Joins the widget's stylesheets (one per component under `style/`) in
//! cascade order and strips comments and layout whitespace: the result is
//! compiled into the wasm (src/style_sheet.rs), and every byte there counts
//! against the first-load budget.

use std::env;
use std::fs;
use std::path::Path;

/// Cascade order: tokens first, care mode last so it overrides.
const SHEETS: [&str; 12] = [
    "tokens", "survey", "notice", "field", "error_summary", "location_picker", "choice_list", "real_name",
    "submit_bar", "receipt", "results", "care",
];

fn main() {
    let mut css = String::new();
    for name in SHEETS {
        let path = format!("style/{name}.css");
        println!("cargo::rerun-if-changed={path}");
        css.push_str(&fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")));
        css.push('\n');
    }
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("widget.css");
    fs::write(out, minify(&css)).expect("OUT_DIR is writable");
}

/// Drops comments, collapses whitespace to single spaces, and removes the
/// spaces next to braces, semicolons and commas, where CSS never needs
/// them. Spaces elsewhere (descendant selectors, `calc(a + b)`) stay.
fn minify(css: &str) -> String {
    let mut without_comments = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        without_comments.push_str(&rest[..start]);
        rest = rest[start + 2..].split_once("*/").map_or("", |(_, after)| after);
    }
    without_comments.push_str(rest);
    let collapsed = without_comments.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(collapsed.len());
    let chars: Vec<char> = collapsed.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = out.chars().last();
        let next = chars.get(i + 1).copied();
        if c == ' ' && (matches!(prev, Some('{' | '}' | ';' | ',')) || matches!(next, Some('{' | '}' | ';' | ','))) {
            continue;
        }
        if c == ';' && next == Some('}') {
            continue;
        }
        out.push(c);
    }
    out
}
