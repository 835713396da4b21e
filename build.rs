//! Joins the widget's stylesheets (one per component under `style/`) in
//! cascade order and strips comments and layout whitespace, into two
//! sheets compiled into the wasm (src/style_sheet.rs): the form's, every
//! byte of which counts against the first-load budget, and the later
//! screens', which travels in their chunks.

use std::env;
use std::fs;
use std::path::Path;

/// The form's sheet, in cascade order: tokens first, care mode last so it
/// overrides.
const SHEETS: [&str; 10] =
    ["tokens", "survey", "notice", "field", "error_summary", "location_picker", "choice_list", "real_name", "submit_bar", "care"];

/// The sheet of the screens after the form, adopted after the form's when
/// the first of them is drawn; its own care-mode rules last.
const LATER_SHEETS: [&str; 7] =
    ["receipt", "results", "region_switch", "follow_up", "region_map", "batch_history", "care_later"];

fn main() {
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).to_owned();
    for (names, file) in [(&SHEETS[..], "widget.css"), (&LATER_SHEETS[..], "later.css")] {
        let mut css = String::new();
        for name in names {
            let path = format!("style/{name}.css");
            println!("cargo::rerun-if-changed={path}");
            css.push_str(&fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")));
            css.push('\n');
        }
        fs::write(out.join(file), minify(&css)).expect("OUT_DIR is writable");
    }
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
