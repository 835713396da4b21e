//! A part of a screen drawn in a task of its own, after the part above it
//! has been painted.
//!
//! Drawing the whole form in one go keeps a phone's main thread busy for
//! one long task (Lighthouse counts each task's time over 50 ms as blocking
//! time, and a tap waits for the task to end), and the batch's description,
//! the largest thing the citizen sees first, is painted only at its end.
//! Drawn a part per frame, the top of the form is painted first and each
//! task stays short. What is not drawn yet keeps a screen's height, as the
//! loading screen did, so nothing below the widget moves when it comes.

use std::time::Duration;

use leptos::prelude::*;

use super::reactive::dynamic;

/// Draws `children` once the browser has painted what is already there: a
/// timeout set from the next animation frame runs after that frame's paint.
/// (A hidden tab paints no frames: there the rest waits until it is shown.)
#[component]
pub fn AfterPaint(
    /// The part drawn after the next paint.
    children: ChildrenFn,
) -> impl IntoView {
    let painted = RwSignal::new(false);
    request_animation_frame(move || {
        set_timeout(
            move || {
                // The screen may be gone by then (a batch loaded anew).
                painted.try_set(true);
            },
            Duration::ZERO,
        )
    });
    dynamic(move || {
        if painted.get() {
            children()
        } else {
            view! { <div class="bsv-pending"></div> }.into_any()
        }
    })
}
