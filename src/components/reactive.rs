//! Type-erased reactive regions.
//!
//! Every `move || view! { … }` closure in a view is its own type, and tachys
//! compiles its render machinery once per type: about 2 KB of wasm each.
//! Boxing the closure behind one concrete type compiles that machinery once
//! for the whole widget; text and attribute values go through `Signal` for
//! the same reason. The first load has a size budget, and this is a large
//! part of how the widget keeps it.

use leptos::prelude::*;

/// A region re-rendered whenever a signal `render` reads changes.
pub fn dynamic(render: impl Fn() -> AnyView + Send + 'static) -> impl IntoView {
    let render: Box<dyn Fn() -> AnyView + Send> = Box::new(render);
    move || render()
}

