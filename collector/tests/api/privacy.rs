//! What a citizen types to verify (name, resident ID number, phone) and the
//! code they receive are kept nowhere in the database: in no column and in
//! no byte of its files. The log is checked in `tests/privacy_log.rs`.

use rusqlite::types::ValueRef;
use serde_json::json;

use crate::support::{RealNameApp, open_batch, verification_request, vote};

const NAME: &str = "张三";
const ID_NUMBER: &str = "11010519491231002X";
const ID_NUMBER_LOWER: &str = "11010519491231002x";
const PHONE: &str = "13800138000";
const PHONE_AS_TYPED: &str = "+86 138-0013-8000";
const VOTE_ID: &str = "3b241101-e2bb-4255-8caf-4136c566a962";

fn personal_data() -> Vec<&'static str> {
    vec![NAME, ID_NUMBER, ID_NUMBER_LOWER, PHONE, PHONE_AS_TYPED]
}

/// Where `needle` occurs in `haystack`, if anywhere.
fn find(haystack: &[u8], needle: &str) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle.as_bytes())
}

/// Every value of every column of every table, as the bytes SQLite holds.
fn every_value(database: &std::path::Path) -> Vec<(String, String, Vec<u8>)> {
    let db = rusqlite::Connection::open(database).unwrap();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.contains(&"votes".to_owned()) && tables.contains(&"tallies".to_owned()), "{tables:?}");
    let mut values = Vec::new();
    for table in tables {
        let mut select = db.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns: Vec<String> = select.column_names().map(str::to_owned).collect();
        let mut rows = select.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for (i, column) in columns.iter().enumerate() {
                let bytes = match row.get_ref(i).unwrap() {
                    ValueRef::Null => continue,
                    ValueRef::Integer(n) => n.to_string().into_bytes(),
                    ValueRef::Real(x) => x.to_string().into_bytes(),
                    ValueRef::Text(t) | ValueRef::Blob(t) => t.to_vec(),
                };
                values.push((table.clone(), column.clone(), bytes));
            }
        }
    }
    values
}

#[tokio::test]
async fn nothing_a_citizen_typed_to_verify_is_stored_in_the_database() {
    let app = RealNameApp::new(vec![open_batch()]);
    // Two requests (the second in the other case of X and as typed), a wrong
    // code, the right one, a vote, its replay, and a refused second vote.
    assert_eq!(app.request(&verification_request()).await.status, 201);
    let first_code = app.sms.last().code;
    app.clock.advance(60);
    let mut again = verification_request();
    again["id_number"] = json!(ID_NUMBER_LOWER);
    again["phone"] = json!(PHONE_AS_TYPED);
    assert_eq!(app.request(&again).await.status, 201);
    let message = app.sms.last();
    let wrong = if message.code == "000000" { "111111" } else { "000000" };
    assert_eq!(app.confirm(&message.verification_id, wrong).await.status, 422);
    let verified = app.confirm(&message.verification_id, &message.code).await;
    let token = verified.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(app.vote_with_token(VOTE_ID, &token).await.status, 201);
    assert_eq!(app.vote_with_token(VOTE_ID, &token).await.status, 200);
    assert_eq!(app.vote_with_token("0f8fad5b-d9cb-469f-a165-70867728950e", &token).await.status, 409);

    let mut needles = personal_data();
    needles.push(&token);
    // A six-digit code could turn up by chance in what the vote itself holds
    // (its id, its place codes); only a code that could not is looked for.
    let vote_text = vote().to_string();
    for code in [first_code.as_str(), message.code.as_str()] {
        if !vote_text.contains(code) {
            needles.push(code);
        }
    }

    // The files as bytes, the write-ahead log included: first, before any
    // other connection could checkpoint it.
    let mut files = 0;
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let path = format!("{}{suffix}", app.app.database.display());
        let Ok(bytes) = std::fs::read(&path) else { continue };
        files += 1;
        for needle in &needles {
            assert_eq!(find(&bytes, needle), None, "{needle:?} is in {path}");
        }
    }
    assert!(files >= 2, "the database and its write-ahead log were read");

    let values = every_value(&app.app.database);
    assert!(values.iter().any(|(table, column, _)| table == "votes" && column == "real_name_key"));
    for (table, column, bytes) in &values {
        for needle in &needles {
            assert_eq!(find(bytes, needle), None, "{needle:?} is in {table}.{column}");
        }
    }
}
