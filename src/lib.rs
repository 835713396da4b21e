//! bottleneck-survey: the widget through which citizens tell their government
//! where public services get stuck.
//!
//! The plain-Rust modules (rules, configuration, messages) build everywhere
//! and are tested on the host; the browser half is compiled for wasm32 only,
//! which keeps host `cargo test` free of Leptos and web-sys.

pub mod ballot;
pub mod body_text;
pub mod config;
pub mod error;
pub mod field_message;
pub mod follow_up_text;
pub mod form_ids;
pub mod i18n;
pub mod json;
pub mod option_groups;
pub mod outbox;
pub mod province_shares;
pub mod provinces;
pub mod real_name;
pub mod region_scope;
pub mod retry;
pub mod style_sheet;
pub mod tally;
pub mod tile_map;
pub mod vote_id;
pub mod voted;
pub mod wire;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod courier;
#[cfg(target_arch = "wasm32")]
pub mod embed;
#[cfg(target_arch = "wasm32")]
pub mod host_events;
#[cfg(target_arch = "wasm32")]
pub mod on_demand;

