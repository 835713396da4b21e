//! Host tests of the widget's stylesheet: prefixed, scoped, no `!important`.
#![cfg(not(target_arch = "wasm32"))]

use bottleneck_survey::style_sheet::{LATER_CSS, WIDGET_CSS};

/// Every selector of the (minified) stylesheet, with at-rules unwrapped.
fn selectors(css: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut depth_is_rule = Vec::new();
    let mut token = String::new();
    for c in css.chars() {
        match c {
            '{' => {
                let head = token.trim().to_owned();
                let is_at_rule = head.starts_with('@');
                let in_keyframes = depth_is_rule.last() == Some(&"keyframes");
                if !is_at_rule && !in_keyframes {
                    found.extend(head.split(',').map(|s| s.trim().to_owned()));
                }
                depth_is_rule.push(if head.starts_with("@keyframes") { "keyframes" } else if is_at_rule { "at" } else { "rule" });
                token.clear();
            }
            '}' => {
                depth_is_rule.pop();
                token.clear();
            }
            ';' => token.clear(),
            _ => token.push(c),
        }
    }
    found
}

/// Both sheets: the form's and the later screens'.
const SHEETS: [&str; 2] = [WIDGET_CSS, LATER_CSS];

#[test]
fn every_selector_is_scoped_to_the_widget() {
    let all: Vec<String> = SHEETS.iter().flat_map(|css| selectors(css)).collect();
    assert!(selectors(WIDGET_CSS).len() > 50 && selectors(LATER_CSS).len() > 30, "too few selectors found");
    for selector in all {
        assert!(
            selector.starts_with(".bsv") || selector.starts_with(":host"),
            "selector {selector:?} is not scoped to a .bsv class or :host"
        );
    }
}

#[test]
fn every_class_carries_the_bsv_prefix() {
    for selector in SHEETS.iter().flat_map(|css| selectors(css)) {
        for class in selector.split('.').skip(1) {
            let name: String = class.chars().take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_').collect();
            assert!(name.starts_with("bsv"), "class .{name} in {selector:?} lacks the bsv prefix");
        }
    }
}

#[test]
fn nothing_is_important_and_comments_are_gone() {
    for css in SHEETS {
        assert!(!css.contains("!important"));
        assert!(!css.contains("/*"));
    }
}

#[test]
fn the_later_screens_rules_are_not_in_the_forms_sheet() {
    for class in [".bsv-receipt", ".bsv-results", ".bsv-map", ".bsv-follow-up", ".bsv-history", ".bsv-region-switch"] {
        assert!(!WIDGET_CSS.contains(class), "{class} is in the first download's sheet");
        assert!(LATER_CSS.contains(class), "{class} is missing from the later screens' sheet");
    }
}
