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

/// Trunk's hashed assets never change under their name and may be cached for
/// a year; `index.html` names the current ones and must be revalidated.
async fn cache_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let policy = if path.ends_with('/') || path.ends_with("/index.html") {
        Some("no-cache")
    } else if path.rsplit('/').next().is_some_and(is_hashed_asset) {
        Some("public, max-age=31536000, immutable")
    } else {
        None
    };
    let mut response = next.run(request).await;
    if let Some(policy) = policy.filter(|_| response.status().is_success()) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// `app-1a2b3c4d5e6f7a8b.js`, `app-1a2b3c4d5e6f7a8b_bg.wasm`, `style-….css`:
/// trunk writes the content hash in hex, up to 16 digits.
fn is_hashed_asset(name: &str) -> bool {
    let Some((stem, extension)) = name.rsplit_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    matches!(extension, "wasm" | "js" | "css")
        && stem
            .rsplit_once('-')
            .is_some_and(|(_, hash)| (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn only_trunk_hashed_assets_count_as_immutable() {
        assert!(is_hashed_asset("bottleneck-survey-9f86d081884c7d65_bg.wasm"));
        assert!(is_hashed_asset("bottleneck-survey-9f86d081884c7d65.js"));
        assert!(is_hashed_asset("style-0a1b2c3d4e5f6071.css"));
        assert!(!is_hashed_asset("index.html"));
        assert!(!is_hashed_asset("provinces.json"));
        assert!(!is_hashed_asset("bottleneck-survey.js"));
        assert!(!is_hashed_asset("self-test.js"));
    }
}
