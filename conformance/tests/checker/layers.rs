//! Layers in front of the reference collector that each break one rule of
//! the protocol, as a third party's endpoint might: the checker must fail
//! that rule and no other.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use serde_json::{Value, json};

/// The body of `response` as JSON, edited; other bodies are left alone.
async fn edit_json(response: Response, edit: impl FnOnce(&mut Value)) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let Ok(mut json) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    edit(&mut json);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(serde_json::to_vec(&json).unwrap()))
}

fn is_vote(request: &Request) -> bool {
    request.method() == Method::POST && request.uri().path().ends_with("/votes")
}

/// An answer made here, with the CORS headers the collector's own carry
/// (these layers sit outside its CORS layer).
fn made_up(status: StatusCode, content_type: &'static str, body: Value) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, super::support::ORIGIN)
        .header(header::ACCESS_CONTROL_EXPOSE_HEADERS, "retry-after,content-language")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// A replay gets a receipt minted anew instead of the first one.
pub fn replay_mints_a_new_receipt(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        let vote = is_vote(&request);
        let response = next.run(request).await;
        if !vote || response.status() != StatusCode::OK {
            return response;
        }
        edit_json(response, |receipt| receipt["receipt"] = json!("NEW1-MINT")).await
    }
    router.layer(middleware::from_fn(layer))
}

/// A 422 comes without its `errors`.
pub fn unprocessable_without_errors(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        let response = next.run(request).await;
        if response.status() != StatusCode::UNPROCESSABLE_ENTITY {
            return response;
        }
        edit_json(response, |problem| {
            problem.as_object_mut().unwrap().remove("errors");
        })
        .await
    }
    router.layer(middleware::from_fn(layer))
}

/// `Access-Control-Expose-Headers` without `Retry-After`.
pub fn retry_after_not_exposed(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        let mut response = next.run(request).await;
        if response.headers().contains_key(header::ACCESS_CONTROL_EXPOSE_HEADERS) {
            let exposed = HeaderValue::from_static("content-language");
            response.headers_mut().insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, exposed);
        }
        response
    }
    router.layer(middleware::from_fn(layer))
}

/// The batch asks for at least 3 choices and at most 2.
pub fn batch_with_max_below_min(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        let batch = request.uri().path().ends_with("/batches/current");
        let response = next.run(request).await;
        if !batch || response.status() != StatusCode::OK {
            return response;
        }
        edit_json(response, |batch| batch["choices"] = json!({"min": 3, "max": 2})).await
    }
    router.layer(middleware::from_fn(layer))
}

/// Errors are sent as `application/json` instead of
/// `application/problem+json`.
pub fn problems_sent_as_plain_json(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        let mut response = next.run(request).await;
        if response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v == "application/problem+json") {
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        response
    }
    router.layer(middleware::from_fn(layer))
}

/// A vote whose `Idempotency-Key` differs from its `vote_id` is taken, as if
/// the key were its `vote_id`.
pub fn key_mismatch_accepted(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        if !is_vote(&request) {
            return next.run(request).await;
        }
        let (mut parts, body) = request.into_parts();
        let bytes: Bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        let vote_id =
            serde_json::from_slice::<Value>(&bytes).ok().and_then(|v| v["vote_id"].as_str().map(str::to_owned));
        if let (Some(vote_id), true) = (vote_id, parts.headers.contains_key("idempotency-key")) {
            parts.headers.insert("idempotency-key", HeaderValue::from_str(&vote_id).unwrap());
        }
        next.run(Request::from_parts(parts, Body::from(bytes))).await
    }
    router.layer(middleware::from_fn(layer))
}

/// A 429 or 503 without `Retry-After`.
pub fn busy_without_retry_after(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        let mut response = next.run(request).await;
        response.headers_mut().remove(header::RETRY_AFTER);
        response
    }
    router.layer(middleware::from_fn(layer))
}

/// Every answer allows credentials.
pub fn credentials_allowed(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        let mut response = next.run(request).await;
        let allow = HeaderValue::from_static("true");
        response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, allow);
        response
    }
    router.layer(middleware::from_fn(layer))
}

/// The results never change: every count stays 0.
pub fn results_that_never_count(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        let results = request.uri().path().ends_with("/results");
        let response = next.run(request).await;
        if !results || response.status() != StatusCode::OK {
            return response;
        }
        edit_json(response, |results| {
            results["total"] = json!(0);
            results["real_name_total"] = json!(0);
            for option in results["options"].as_array_mut().unwrap() {
                option["votes"] = json!(0);
            }
        })
        .await
    }
    router.layer(middleware::from_fn(layer))
}

/// A second real-name vote of one person is acknowledged (201) instead of
/// refused (409).
pub fn second_real_name_vote_acknowledged(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        let vote = is_vote(&request);
        let response = next.run(request).await;
        if !vote || response.status() != StatusCode::CONFLICT {
            return response;
        }
        let receipt = json!({
            "vote_id": "3b241101-e2bb-4255-8caf-4136c566a962",
            "receipt": "FAKE-RCPT",
            "real_name": true,
            "counted_at": "2018-07-09T02:13:45Z",
        });
        made_up(StatusCode::CREATED, "application/json", receipt)
    }
    router.layer(middleware::from_fn(layer))
}

/// A problem's `status` says 500 whatever the HTTP status.
pub fn problem_status_not_repeated(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        let response = next.run(request).await;
        if !response.status().is_client_error() {
            return response;
        }
        edit_json(response, |problem| problem["status"] = json!(500)).await
    }
    router.layer(middleware::from_fn(layer))
}

/// The preflight does not allow `Idempotency-Key`.
pub fn preflight_without_idempotency_key(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        let preflight = request.method() == Method::OPTIONS;
        let mut response = next.run(request).await;
        if preflight {
            let headers = HeaderValue::from_static("content-type,accept-language");
            response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_HEADERS, headers);
        }
        response
    }
    router.layer(middleware::from_fn(layer))
}

/// `other.max_length` counted in bytes: 200 Chinese characters (600 bytes)
/// are refused as too long. Bodies over the collector's 16 KiB limit pass
/// through to it.
pub fn other_length_in_bytes(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        if !is_vote(&request) {
            return next.run(request).await;
        }
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        let other_bytes = serde_json::from_slice::<Value>(&bytes).ok().and_then(|v| v["other"].as_str().map(str::len));
        if bytes.len() <= 16 * 1024 && other_bytes.is_some_and(|n| n > 200) {
            let error = json!({"field": "other", "code": "too_long", "message": "at most 200 characters"});
            let body = json!({"type": "about:blank", "title": "refused", "status": 422, "errors": [error]});
            return made_up(StatusCode::UNPROCESSABLE_ENTITY, "application/problem+json", body);
        }
        next.run(Request::from_parts(parts, Body::from(bytes))).await
    }
    router.layer(middleware::from_fn(layer))
}

/// Receipts sent as `text/plain`.
pub fn receipts_sent_as_text(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        let vote = is_vote(&request);
        let mut response = next.run(request).await;
        if vote && response.status().is_success() {
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        }
        response
    }
    router.layer(middleware::from_fn(layer))
}

/// Not broken: every JSON answer carries fields protocol v1 does not know,
/// at the top and in each option, as a later version may add. Clients
/// ignore them, and so must the checker.
pub fn fields_from_a_later_version(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        let response = next.run(request).await;
        edit_json(response, |json| {
            if let Some(fields) = json.as_object_mut() {
                fields.insert("x_later".to_owned(), json!({"by_region": [], "escalation": {"status": "solved"}}));
            }
            if let Some(options) = json["options"].as_array_mut() {
                for option in options {
                    // `follow_up` is a field of v1 now; a later one may add others.
                    option["x_escalation"] = json!({"status": "sent", "solved_in": 22});
                }
            }
        })
        .await
    }
    router.layer(middleware::from_fn(layer))
}

/// With [`min_votes_claimed_ten`]: the collector lists every region with a
/// vote (the checker's own, in Beijing).
pub fn regions_listed_from_one_vote(state: collector::AppState) -> collector::AppState {
    collector::AppState { region_min_votes: 1, ..state }
}

/// Breaks `regions.min_votes`: results by region say `min_votes: 10` while
/// listing regions with fewer votes.
pub fn min_votes_claimed_ten(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        let regions = request.uri().path().ends_with("/results/regions");
        let response = next.run(request).await;
        if !regions {
            return response;
        }
        edit_json(response, |json| json["min_votes"] = json!(10)).await
    }
    router.layer(middleware::from_fn(layer))
}

/// Not broken: an endpoint of v1's first revision, without the parts added
/// since (results by region, the list of batches, batches by id, follow-up):
/// they answer 404, and no batch carries follow-up.
pub fn first_revision_only(router: Router) -> Router {
    async fn layer(request: Request, next: Next) -> Response {
        let path = request.uri().path().trim_start_matches("/api/v1/").to_owned();
        let added = path == "batches"
            || path.ends_with("/results/regions")
            || (path.starts_with("batches/") && path.matches('/').count() == 1 && path != "batches/current");
        if added && request.method() == Method::GET {
            let problem = json!({"type": "urn:bottleneck-survey:problem:not-found", "title": "Nothing is here", "status": 404});
            return made_up(StatusCode::NOT_FOUND, "application/problem+json", problem);
        }
        let response = next.run(request).await;
        edit_json(response, |json| {
            if let Some(fields) = json.as_object_mut() {
                fields.remove("follow_up");
            }
            for option in json["options"].as_array_mut().into_iter().flatten() {
                option.as_object_mut().map(|o| o.remove("follow_up"));
            }
        })
        .await
    }
    router.layer(middleware::from_fn(layer))
}
