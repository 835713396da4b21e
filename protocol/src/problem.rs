//! RFC 9457 problem details, the body of every error response.

use serde::{Deserialize, Serialize};

use crate::field_error::FieldError;

/// `Content-Type` of every error body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// Problem `type` URIs defined by protocol v1. Clients branch on the HTTP
/// status; the type names the case for people reading logs.
pub mod kind {
    pub const INVALID_VOTE: &str = "urn:bottleneck-survey:problem:invalid-vote";
    pub const VERIFICATION_REQUIRED: &str = "urn:bottleneck-survey:problem:verification-required";
    pub const ALREADY_VOTED: &str = "urn:bottleneck-survey:problem:already-voted";
    pub const BATCH_CLOSED: &str = "urn:bottleneck-survey:problem:batch-closed";
    pub const NOT_FOUND: &str = "urn:bottleneck-survey:problem:not-found";
    pub const TOO_MANY_REQUESTS: &str = "urn:bottleneck-survey:problem:too-many-requests";
    pub const UNAVAILABLE: &str = "urn:bottleneck-survey:problem:unavailable";
    pub const BAD_REQUEST: &str = "urn:bottleneck-survey:problem:bad-request";
    pub const INTERNAL: &str = "urn:bottleneck-survey:problem:internal";
    pub const WRONG_CODE: &str = "urn:bottleneck-survey:problem:wrong-code";
    pub const CODE_EXPIRED: &str = "urn:bottleneck-survey:problem:code-expired";
    pub const TOO_MANY_TRIES: &str = "urn:bottleneck-survey:problem:too-many-tries";
    pub const REAL_NAME_OFF: &str = "urn:bottleneck-survey:problem:real-name-off";
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type", default = "about_blank")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Present on 422: what is wrong, field by field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

fn about_blank() -> String {
    "about:blank".to_owned()
}
