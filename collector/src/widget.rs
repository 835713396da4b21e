//! The built widget (`trunk build` output in `dist/`), served at `/` so a
//! developer can try the whole thing from one address.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::extract::Request;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{HeaderValue, header};
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
                "The widget is not built yet: run `trunk build` in the repository root, \
                 or start the collector with --dist pointing at a built widget."
            }
        }
    };
    let files = ServeDir::new(PathBuf::from(dist)).not_found_service(not_found.into_service());
    Router::new().fallback_service(files).layer(middleware::from_fn(cache_headers))
}

/// The widget's files keep stable names (`embed.js` is referenced from host
/// pages, and loads the module and wasm by name), so every file is
/// revalidated: a release reaches every page at once, and an unchanged file
/// costs a 304.
async fn cache_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if response.status().is_success() {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}
