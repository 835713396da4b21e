//! Screens downloaded when they are needed, not before the form shows.
//!
//! A citizen opening the survey needs the form; the receipt, the results
//! and the real-name steps come later or never. The release build (cargo
//! feature `split`, see `scripts/build`) cuts each of those out of the first
//! download into a wasm chunk of its own, fetched the first time it is
//! drawn; development builds (`trunk serve`) and the component tests have
//! no such feature, and there the same code is an ordinary async function.
//!
//! # Adding a screen that loads on demand
//!
//! 1. Write the screen as an ordinary component, say `RegionMap`.
//! 2. Next to it, declare its split point with [`on_demand!`](crate::on_demand),
//!    naming the chunk (one chunk can hold several screens that are always
//!    needed together) and taking plain owned values:
//!
//!    ```ignore
//!    on_demand! {
//!        chunk results_map;
//!        /// The tile-grid map of results, downloaded when opened.
//!        pub fn region_map_screen(batch_id: String) -> AnyView {
//!            view! { <RegionMap batch_id/> }.into_any()
//!        }
//!    }
//!    ```
//! 3. Draw it with [`deferred`]: `{deferred(move || region_map_screen(id.clone()))}`.
//!    Contexts (texts, the API, the configuration) reach it as usual.
//! 4. If the moment it will be needed is known a little earlier (a click
//!    that starts a request whose answer it shows), write
//!    `chunk results_map, preload preload_results_map;` and call
//!    `preload_results_map()` then, as the form does for the
//!    receipt while the vote is being sent.
//!
//! Anything the first screen also uses stays in the first download; code
//! only that screen reaches moves out. `scripts/size` lists every chunk and
//! keeps the first load under its budget, so a screen that drags a large
//! dependency into the form shows up there.
//!
//! What moves and what stays, as measured for issue 14 (see the README):
//!
//! - Data only chunk code refers to moves with it: a screen's sentences and
//!   styles belong in a catalogue and a stylesheet of their own
//!   (`i18n::later`, `style_sheet::LATER_CSS`), not in the form's, which
//!   the first screen refers to whole.
//! - Each split point costs the first download its loader (in
//!   `__wasm_split.js` and the JS glue) and, where the first download calls
//!   it, one copy of [`deferred`]'s waiting machinery per closure type: two
//!   screens that share most of their code are better one split point
//!   (`later_screen` draws the receipt or a closed batch), called from one
//!   place.
//! - Functions reached through the shared function table (the closures
//!   Leptos boxes for reactive views, trait objects) stay in the main
//!   module even when only a chunk uses them; small, but they add up.
//!
//! A chunk that cannot be fetched (offline, a deploy in between) is an
//! [`Error::NotLoaded`]: the citizen is told and can try again; nothing is
//! lost. What must work offline (the form, the outbox, the failure
//! messages of loading) therefore stays in the first download.

use std::future::Future;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::components::reactive::dynamic;
use crate::error::Error;

/// Declares a split point: a function drawing a screen whose code the
/// release build downloads on its first call, in the chunk named after
/// `chunk` (see the [module documentation](crate::on_demand)). It becomes
/// `async fn name(args) -> Result<AnyView, Error>`; the error is
/// [`Error::NotLoaded`] when the chunk could not be fetched. With
/// `chunk …, preload NAME;` it also defines `async fn NAME()`, which fetches the chunk
/// ahead of time (say, while the request whose answer the screen shows is
/// on its way) and whose result can be ignored.
#[macro_export]
macro_rules! on_demand {
    (
        chunk $chunk:ident $(, preload $preload:ident)?;
        $(#[$attr:meta])*
        $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> AnyView $body:block
    ) => {
        // `fallible`: a chunk that fails to download is an error to show,
        // not a panic (which would abort the whole widget).
        #[cfg(feature = "split")]
        $(#[$attr])*
        #[::leptos::wasm_split::wasm_split(
            $chunk,
            wasm_split_path = ::leptos::wasm_split,
            fallible,
            $(preload(
                /// Fetches the chunk ahead of its first use; a failure is
                /// left for that use to report.
                $preload
            ),)?
        )]
        $vis fn $name($($arg: $ty),*) -> ::core::result::Result<::leptos::prelude::AnyView, $crate::error::Error> {
            ::core::result::Result::Ok($body)
        }

        #[cfg(not(feature = "split"))]
        $(#[$attr])*
        $vis async fn $name($($arg: $ty),*) -> ::core::result::Result<::leptos::prelude::AnyView, $crate::error::Error> {
            ::core::result::Result::Ok($body)
        }

        $(
            /// Without the `split` feature there is nothing to fetch.
            #[cfg(not(feature = "split"))]
            $vis async fn $preload() -> ::core::result::Result<(), ::core::convert::Infallible> {
                ::core::result::Result::Ok(())
            }
        )?
    };
}

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for Error {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Self::NotLoaded
    }
}

/// Draws the screen `load` returns once its code is here: nothing while the
/// chunk downloads (it is small, and follows a click), and if it cannot be
/// fetched a sentence saying so with a button that tries again.
pub fn deferred<Fut>(load: impl Fn() -> Fut + Send + Sync + 'static) -> impl IntoView
where
    Fut: Future<Output = Result<AnyView, Error>> + 'static,
{
    let attempt = RwSignal::new(0_u32);
    dynamic(move || {
        attempt.track();
        // The widget runs on the page's one thread; Leptos asks for `Send`.
        let screen = SendWrapper::new(load());
        Suspend::new(async move {
            screen.await.unwrap_or_else(|error| {
                let t = crate::components::texts();
                view! {
                    <div class="bsv-part-failed" role="alert">
                        <p class="bsv-field__error">{error.message(t)}</p>
                        <button type="button" class="bsv-button" on:click=move |_| attempt.update(|n| *n += 1)>
                            {t.retry}
                        </button>
                    </div>
                }
                .into_any()
            })
        })
        .into_any()
    })
}
