//! The log of a whole verification with the development SMS sender shows
//! the code (that is what it is for) and never the name, the resident ID
//! number, the phone number or the token, whatever the requests were.
//!
//! A test binary of its own: the subscriber that captures the log is the
//! global one, set before anything logs, so no other test's threads can race
//! it for tracing's per-call-site caches.

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tracing::Level;

use collector::clock::Clock;
use collector::sms::DevelopmentSms;

#[allow(dead_code, reason = "shared with tests/api, of which this test needs a part")]
#[path = "api/support.rs"]
mod support;

use support::{Reply, TestApp, open_batch, verification_request, vote_with_id};

const NAME: &str = "张三";
const ID_NUMBER: &str = "11010519491231002X";
const ID_NUMBER_LOWER: &str = "11010519491231002x";
const PHONE: &str = "13800138000";
const PHONE_AS_TYPED: &str = "+86 138-0013-8000";
const VOTE_ID: &str = "3b241101-e2bb-4255-8caf-4136c566a962";

/// Everything a tracing subscriber writes, kept for the test to read.
#[derive(Clone, Default)]
struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLog {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

#[tokio::test]
async fn the_log_of_a_development_flow_shows_the_code_and_no_name_id_number_phone_or_token() {
    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(Level::TRACE)
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let clock = Clock::manual(collector::clock::now());
    let time = clock.clone();
    let app = TestApp::build(vec![open_batch()], tempfile::tempdir().unwrap(), move |state| {
        state.with_sms(Arc::new(DevelopmentSms)).with_clock(time)
    });
    let verifications = "/api/v1/verifications";
    let mut replies: Vec<Reply> = Vec::new();

    // Refused requests first: their problems must not echo what was sent.
    let mut malformed = verification_request();
    malformed["id_number"] = json!("110105194912310021");
    malformed["name"] = json!("张3");
    replies.push(app.post_json(verifications, &malformed).await);
    let misshapen = json!({ "batch_id": 7, "name": [NAME], "phone": { "n": PHONE } });
    replies.push(app.post_json(verifications, &misshapen).await);

    let mut request = verification_request();
    request["phone"] = json!(PHONE_AS_TYPED);
    let created = app.post_json(verifications, &request).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let verification_id = created.json()["verification_id"].as_str().unwrap().to_owned();
    replies.push(created);

    let text = log.text();
    let line = text
        .lines()
        .find(|line| line.contains("DEVELOPMENT SMS (no message was sent): verification"))
        .unwrap_or_else(|| panic!("no development SMS in the log:\n{text}"));
    assert!(line.contains(&verification_id), "{line}");
    let code = line.rsplit_once(" code ").map(|(_, code)| code.trim().to_owned()).unwrap();
    assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()), "{line}");

    let confirm = format!("{verifications}/{verification_id}/confirm");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    replies.push(app.post_json(&confirm, &json!({ "code": wrong })).await);
    let verified = app.post_json(&confirm, &json!({ "code": code })).await;
    assert_eq!(verified.status, 200, "{}", verified.text);
    let token = verified.json()["token"].as_str().unwrap().to_owned();

    let mut vote: Value = vote_with_id(VOTE_ID);
    vote["verification_token"] = json!(token);
    let counted = app.post_vote(&vote).await;
    assert_eq!(counted.status, 201, "{}", counted.text);
    replies.push(counted);
    vote["verification_token"] = json!(format!("{token}x"));
    vote["vote_id"] = json!("0f8fad5b-d9cb-469f-a165-70867728950e");
    replies.push(app.post_vote(&vote).await);
    clock.advance(30 * 60 + 1);
    vote["verification_token"] = json!(token);
    replies.push(app.post_vote(&vote).await);
    replies.push(app.get("/api/v1/batches/2018-3-social-medical/results").await);

    let text = log.text();
    assert!(text.contains("/api/v1/verifications"), "requests are logged:\n{text}");
    let needles = [NAME, ID_NUMBER, ID_NUMBER_LOWER, PHONE, PHONE_AS_TYPED, "110105194912310021", "张3", &token];
    for needle in &needles {
        assert!(!text.contains(needle), "{needle:?} is in the log:\n{text}");
        for reply in &replies {
            assert!(!reply.text.contains(needle), "{needle:?} is in a reply: {}", reply.text);
        }
    }
}
