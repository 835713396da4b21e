//! The rules of protocol v1 the checker holds an endpoint to, one entry each,
//! in the order the report lists them.
//!
//! A rule is an id that CI can match on (`votes.replay`), the section of
//! `docs/protocol.md` it comes from, and what the endpoint must do. The
//! checks in [`crate::checks`] record a pass, a failure or "not checked, and
//! why" against these entries. To check a new optional part of the protocol,
//! add its rules here (and to [`ALL`]), and a check that records "not
//! checked: the endpoint does not offer it" when the part is absent, since
//! an endpoint without an optional part is still conformant.

/// One rule of `docs/protocol.md`.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable and unique: what `--json` output and CI match on.
    pub id: &'static str,
    /// The heading of `docs/protocol.md` the rule is written under.
    pub section: &'static str,
    /// What the endpoint must do, in one sentence.
    pub text: &'static str,
}

const CONVENTIONS: &str = "Conventions";
const BATCH: &str = "GET E/batches/current";
const RESULTS: &str = "GET E/batches/{id}/results";
const REGIONS: &str = "GET E/batches/{id}/results/regions";
const LIST: &str = "GET E/batches";
const ONE: &str = "GET E/batches/{id}";
const FOLLOW_UP: &str = "Follow-up";
const VOTES: &str = "POST E/votes";
const VERIFICATIONS: &str = "POST E/verifications";
const CONFIRM: &str = "POST E/verifications/{id}/confirm";
const REAL_NAME: &str = "Verification (real name)";
const CORS: &str = "Browsers (CORS)";

const fn rule(id: &'static str, section: &'static str, text: &'static str) -> Rule {
    Rule { id, section, text }
}

pub const ENDPOINT_HTTPS: Rule = rule(
    "endpoint.https",
    CONVENTIONS,
    "E is https, or a loopback address: the widget sends names, ID numbers and phones nowhere else",
);
pub const ANSWERS_JSON: Rule =
    rule("answers.json", CONVENTIONS, "Every 2xx answer with a body is sent as application/json");
pub const PROBLEM_CONTENT_TYPE: Rule =
    rule("problem.content_type", CONVENTIONS, "Every error answer is sent as application/problem+json");
pub const PROBLEM_JSON: Rule = rule(
    "problem.json",
    CONVENTIONS,
    "Every error body is a problem: a JSON object with a string title and a number status (type and detail strings when given)",
);
pub const PROBLEM_STATUS: Rule = rule("problem.status", CONVENTIONS, "A problem's status repeats the HTTP status");
pub const PROBLEM_FIELD_ERRORS: Rule = rule(
    "problem.field_errors",
    VOTES,
    "A 422 for a vote or verification with a bad field carries errors [{field, code, message}] with documented fields and codes",
);
pub const RETRY_AFTER: Rule = rule(
    "retry_after",
    VOTES,
    "Every 429 and 503 (but a verification closed after wrong codes) carries Retry-After: seconds or an HTTP date",
);

pub const BATCH_CURRENT: Rule =
    rule("batch.current", BATCH, "200 with the batch citizens should see now, or 404 when there is none");
pub const BATCH_SHAPE: Rule = rule(
    "batch.shape",
    BATCH,
    "The batch is JSON with every field of its type: id, title, status, choices, options, location, real_name, results, and the optional ones typed",
);
pub const BATCH_ID: Rule = rule("batch.id", BATCH, "id is 1-64 characters of [A-Za-z0-9._-]");
pub const BATCH_TITLE: Rule = rule("batch.title", BATCH, "title is not blank");
pub const BATCH_OPTIONS: Rule =
    rule("batch.options", BATCH, "1-200 options; each id 1-64 characters and unique, each text not blank");
pub const BATCH_CHOICES: Rule =
    rule("batch.choices", BATCH, "1 <= choices.max, choices.min <= choices.max, choices.min <= the number of options");
pub const BATCH_LOCATION: Rule = rule("batch.location", BATCH, "location.levels is 1, 2 or 3");
pub const BATCH_OTHER: Rule = rule("batch.other", BATCH, "other.max_length is at least 1 when other is enabled");
pub const BATCH_DATES: Rule = rule("batch.dates", BATCH, "opens_at and closes_at are RFC 3339 timestamps");
pub const BATCH_PRIVACY_NOTICE: Rule =
    rule("batch.privacy_notice", BATCH, "privacy_notice is given unless real_name is off");

pub const RESULTS_AVAILABLE: Rule = rule(
    "results.available",
    RESULTS,
    "200 unless the batch's results are hidden; 404 for hidden results and for a batch that does not exist",
);
pub const RESULTS_SHAPE: Rule = rule(
    "results.shape",
    RESULTS,
    "{batch_id, total, real_name_total, options, updated_at}: one option entry per batch option in batch order, no count above total",
);
pub const RESULTS_COUNTED: Rule =
    rule("results.counted", RESULTS, "The votes the checker saw counted (201) show in the tallies");

pub const REGIONS_AVAILABLE: Rule = rule(
    "regions.available",
    REGIONS,
    "Where offered: 200 for a batch whose results show, 404 for hidden results and for a batch that does not exist, 400 for an unknown level",
);
pub const REGIONS_SHAPE: Rule = rule(
    "regions.shape",
    REGIONS,
    "{batch_id, level, province, min_votes, regions, updated_at}: regions in code order, each with one option entry per batch option in batch order; at city level only cities of the province asked for",
);
pub const REGIONS_MIN_VOTES: Rule = rule(
    "regions.min_votes",
    REGIONS,
    "min_votes is at least 10 and no region with fewer votes than min_votes is listed",
);
pub const BATCHES_LIST: Rule = rule(
    "batches.list",
    LIST,
    "Where offered: {batches: [...]} newest first with the current batch in it, ids unique, totals absent when results are hidden",
);
pub const BATCHES_ONE: Rule = rule(
    "batches.one",
    ONE,
    "Where offered: the current batch by its id is 200 with that batch, keeping every batch rule; a batch that does not exist is 404",
);
pub const FOLLOW_UP_SOUND: Rule = rule(
    "follow_up.sound",
    FOLLOW_UP,
    "Every follow-up served keeps its rules: a known status, counts together with solved <= total, a short note, an RFC 3339 date",
);

pub const VOTES_COUNTED: Rule =
    rule("votes.counted", VOTES, "A valid vote is 201 with its receipt {vote_id, receipt, real_name, counted_at}");
pub const VOTES_REPLAY: Rule = rule(
    "votes.replay",
    VOTES,
    "The same Idempotency-Key and body again is 200 with the first receipt; whitespace, key order and verification_token do not matter",
);
pub const VOTES_KEY_REUSED: Rule = rule(
    "votes.key_reused",
    VOTES,
    "The same Idempotency-Key with other answers is 422 with an error {field: vote_id, code: key_reused}",
);
pub const VOTES_IDEMPOTENCY_KEY: Rule =
    rule("votes.idempotency_key", VOTES, "A vote without Idempotency-Key, or with one other than its vote_id, is 400");
pub const VOTES_NOT_JSON: Rule =
    rule("votes.not_json", VOTES, "A body that is not JSON, or JSON not sent as application/json, is 400");
pub const VOTES_NOT_A_VOTE: Rule = rule("votes.not_a_vote", VOTES, "JSON that is not shaped like a vote is 422");
pub const VOTES_TOO_LARGE: Rule =
    rule("votes.too_large", VOTES, "A body over the endpoint's limit is 413 (the checker sends 1 MiB)");
pub const VOTES_UNKNOWN_BATCH: Rule =
    rule("votes.unknown_batch", VOTES, "A vote in a batch that does not exist is 404");
pub const VOTES_BATCH_NOT_OPEN: Rule =
    rule("votes.batch_not_open", VOTES, "A vote in a closed or upcoming batch is 410");
pub const VOTES_TOKEN_REFUSED: Rule = rule(
    "votes.token_refused",
    VOTES,
    "A forged verification_token is 401, and so is a missing one when the batch requires real names",
);
pub const VOTES_OTHER_CHARACTERS: Rule = rule(
    "votes.other_characters",
    VOTES,
    "other.max_length counts characters, not bytes: that many Chinese characters are accepted",
);
pub const REJECTS_TOO_MANY: Rule =
    rule("votes.rejects.too_many", VOTES, "More choices than choices.max: 422, choices too_many");
pub const REJECTS_TOO_FEW: Rule =
    rule("votes.rejects.too_few", VOTES, "Fewer choices than choices.min: 422, choices too_few (required when none)");
pub const REJECTS_UNKNOWN_OPTION: Rule =
    rule("votes.rejects.unknown_option", VOTES, "An option id the batch does not have: 422, choices unknown_option");
pub const REJECTS_DUPLICATE_OPTION: Rule =
    rule("votes.rejects.duplicate_option", VOTES, "The same option twice: 422, choices duplicate_option");
pub const REJECTS_UNKNOWN_PLACE: Rule = rule(
    "votes.rejects.unknown_place",
    VOTES,
    "A six-digit division code that does not exist: 422, unknown_place at its level",
);
pub const REJECTS_PLACE_FORMAT: Rule =
    rule("votes.rejects.place_format", VOTES, "A division code that is not six digits: 422, invalid_format");
pub const REJECTS_PLACE_REQUIRED: Rule = rule(
    "votes.rejects.place_required",
    VOTES,
    "No province where the batch requires a location: 422, location.province required",
);
pub const REJECTS_LEVEL_NOT_ASKED: Rule =
    rule("votes.rejects.level_not_asked", VOTES, "A level below the batch's location.levels: 422, not_allowed");
pub const REJECTS_OTHER_TOO_LONG: Rule =
    rule("votes.rejects.other_too_long", VOTES, "other longer than other.max_length: 422, other too_long");
pub const REJECTS_OTHER_NOT_ALLOWED: Rule =
    rule("votes.rejects.other_not_allowed", VOTES, "other text where the batch takes none: 422, other not_allowed");
pub const REJECTS_VOTE_ID_FORMAT: Rule =
    rule("votes.rejects.vote_id_format", VOTES, "A vote_id that is not a UUID v4: 422, vote_id invalid_format");

pub const VERIFICATIONS_MALFORMED: Rule = rule(
    "verifications.malformed",
    VERIFICATIONS,
    "A request with a missing or malformed name, ID number or phone is 422 with errors at those fields",
);
pub const VERIFICATIONS_UNKNOWN_BATCH: Rule =
    rule("verifications.unknown_batch", VERIFICATIONS, "A request for a batch that does not exist is 404");
pub const VERIFICATIONS_REAL_NAME_OFF: Rule =
    rule("verifications.real_name_off", VERIFICATIONS, "A request for a batch with real_name off is 409");
pub const VERIFICATIONS_CREATED: Rule = rule(
    "verifications.created",
    VERIFICATIONS,
    "A well-formed request is 201 {verification_id, method: sms, expires_at, resend_after_s}",
);
pub const VERIFICATIONS_CONFIRM_UNKNOWN: Rule =
    rule("verifications.confirm_unknown", CONFIRM, "Confirming a verification that does not exist is 404");
pub const VERIFICATIONS_CODE_REFUSED: Rule = rule(
    "verifications.code_refused",
    CONFIRM,
    "A malformed code is 422 invalid_format at code; a wrong one 422 wrong_code",
);
pub const VERIFICATIONS_CONFIRMED: Rule = rule(
    "verifications.confirmed",
    CONFIRM,
    "The right code is 200 {token, expires_at, display_name}, the name masked",
);
pub const REAL_NAME_VOTE: Rule = rule("real_name.vote", REAL_NAME, "A vote with the token is 201 with real_name: true");
pub const REAL_NAME_ONCE: Rule = rule(
    "real_name.once",
    REAL_NAME,
    "A second real-name vote of the same person in the batch is 409, whatever its token and vote_id",
);

pub const CORS_PREFLIGHT: Rule = rule(
    "cors.preflight",
    CORS,
    "OPTIONS before a POST from the page origin: 2xx allowing the origin, POST, Content-Type and Idempotency-Key",
);
pub const CORS_ALLOW_ORIGIN: Rule =
    rule("cors.allow_origin", CORS, "Every answer, errors included, allows the page origin (or *)");
pub const CORS_EXPOSE_HEADERS: Rule =
    rule("cors.expose_headers", CORS, "Every answer exposes Retry-After, and Content-Language when it sends one");
pub const CORS_CREDENTIALS: Rule =
    rule("cors.credentials", CORS, "No answer allows credentials: the widget sends none");

/// Every rule, in report order.
pub const ALL: &[&Rule] = &[
    &ENDPOINT_HTTPS,
    &BATCH_CURRENT,
    &BATCH_SHAPE,
    &BATCH_ID,
    &BATCH_TITLE,
    &BATCH_OPTIONS,
    &BATCH_CHOICES,
    &BATCH_LOCATION,
    &BATCH_OTHER,
    &BATCH_DATES,
    &BATCH_PRIVACY_NOTICE,
    &RESULTS_AVAILABLE,
    &RESULTS_SHAPE,
    &RESULTS_COUNTED,
    &REGIONS_AVAILABLE,
    &REGIONS_SHAPE,
    &REGIONS_MIN_VOTES,
    &BATCHES_LIST,
    &BATCHES_ONE,
    &FOLLOW_UP_SOUND,
    &VOTES_COUNTED,
    &VOTES_REPLAY,
    &VOTES_KEY_REUSED,
    &VOTES_IDEMPOTENCY_KEY,
    &VOTES_NOT_JSON,
    &VOTES_NOT_A_VOTE,
    &VOTES_TOO_LARGE,
    &VOTES_UNKNOWN_BATCH,
    &VOTES_BATCH_NOT_OPEN,
    &VOTES_TOKEN_REFUSED,
    &VOTES_OTHER_CHARACTERS,
    &REJECTS_TOO_MANY,
    &REJECTS_TOO_FEW,
    &REJECTS_UNKNOWN_OPTION,
    &REJECTS_DUPLICATE_OPTION,
    &REJECTS_UNKNOWN_PLACE,
    &REJECTS_PLACE_FORMAT,
    &REJECTS_PLACE_REQUIRED,
    &REJECTS_LEVEL_NOT_ASKED,
    &REJECTS_OTHER_TOO_LONG,
    &REJECTS_OTHER_NOT_ALLOWED,
    &REJECTS_VOTE_ID_FORMAT,
    &VERIFICATIONS_MALFORMED,
    &VERIFICATIONS_UNKNOWN_BATCH,
    &VERIFICATIONS_REAL_NAME_OFF,
    &VERIFICATIONS_CREATED,
    &VERIFICATIONS_CONFIRM_UNKNOWN,
    &VERIFICATIONS_CODE_REFUSED,
    &VERIFICATIONS_CONFIRMED,
    &REAL_NAME_VOTE,
    &REAL_NAME_ONCE,
    &ANSWERS_JSON,
    &PROBLEM_CONTENT_TYPE,
    &PROBLEM_JSON,
    &PROBLEM_STATUS,
    &PROBLEM_FIELD_ERRORS,
    &RETRY_AFTER,
    &CORS_PREFLIGHT,
    &CORS_ALLOW_ORIGIN,
    &CORS_EXPOSE_HEADERS,
    &CORS_CREDENTIALS,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique() {
        for (index, rule) in ALL.iter().enumerate() {
            assert!(!ALL[..index].iter().any(|earlier| earlier.id == rule.id), "{} appears twice", rule.id);
        }
    }

    #[test]
    fn every_rule_comes_from_a_heading_of_the_protocol() {
        let protocol = include_str!("../../docs/protocol.md");
        for rule in ALL {
            let heading = protocol.lines().any(|line| {
                line.starts_with('#') && line.trim_start_matches('#').trim().replace('`', "") == rule.section
            });
            assert!(heading, "{}: docs/protocol.md has no heading {:?}", rule.id, rule.section);
        }
    }

    #[test]
    fn the_integrators_guide_explains_every_rule() {
        let guide = include_str!("../../docs/conformance.md");
        for rule in ALL {
            assert!(guide.contains(&format!("`{}`", rule.id)), "docs/conformance.md does not explain {}", rule.id);
        }
    }
}
