//! The module's start. Mounting is `embed.js`'s call ([`mount_page`] on the
//! standalone page, [`mount_element`] for each `<bottleneck-survey>`), so
//! that it can hand over the batch request it started while this module
//! downloaded.
//!
//! [`mount_page`]: bottleneck_survey::embed::mount_page
//! [`mount_element`]: bottleneck_survey::embed::mount_element

#[cfg(target_arch = "wasm32")]
fn main() {
    bottleneck_survey::embed::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("bottleneck-survey is a WebAssembly widget: build it with scripts/build.");
}
