//! The built widget (`scripts/build` output in `dist/`), served at `/` so a
//! developer can try the whole thing from one address, and so a portal can
//! load it from the collector's host.
//!
//! `scripts/build` writes a brotli (`.br`) and a gzip (`.gz`) copy next to
//! every text and wasm file, compressed once at the highest settings; a
//! browser that accepts one gets it (with `Vary: Accept-Encoding`), others
//! the file as it is. A `dist/` built without them (`trunk build`) is served
//! uncompressed.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::extract::Request;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::ServeDir;

/// Serves `dist`; when it has no `index.html` every path answers with a note
/// on how to build it, rather than a bare 404.
pub fn router(dist: &Path) -> Router {
    let index = dist.join("index.html");
    let not_found = move || {
        let built = index.exists();
        async move {
            if built {
                "Not found."
            } else {
                "The widget is not built yet: run `scripts/build` in the repository root, \
                 or start the collector with --dist pointing at a built widget."
            }
        }
    };
    let files = ServeDir::new(PathBuf::from(dist))
        .precompressed_br()
        .precompressed_gzip()
        .not_found_service(not_found.into_service());
    Router::new().fallback_service(files).layer(middleware::from_fn(cache_headers))
}

/// The widget's files keep stable names (`embed.js` is referenced from host
/// pages, and loads the module, the wasm and its chunks by name), so every
/// file is revalidated: a returning visitor's browser asks with
/// `If-Modified-Since` and an unchanged file costs a bodiless 304, not a
/// download, while a release reaches every page at once. A longer lifetime
/// would let a page run the JS glue of one release against the wasm or a
/// chunk of the next.
async fn cache_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}
