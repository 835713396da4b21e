//! Receipts on SQLite: each vote's number enciphered under the server
//! secret, with no unique index to keep up, and apart from the random codes
//! a database of an older collector holds.

use collector::receipt::Numbering;
use collector::secret::Secret;

use crate::support::{TestApp, nth_vote_id, old_database, open_batch, vote_with_id};

/// The code of vote number `number` under the secret in `dir`.
fn code(dir: &std::path::Path, number: i64) -> String {
    let secret = Secret::load_or_create(&dir.join("secret.key")).unwrap();
    Numbering::new(&secret.receipt_key()).code(number).unwrap()
}

/// Every vote's number and receipt, in order.
fn numbered(app: &TestApp) -> Vec<(i64, String)> {
    let db = rusqlite::Connection::open(&app.database).unwrap();
    db.prepare("SELECT number, receipt FROM votes ORDER BY number")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The indexes of `votes` that hold its `receipt` column.
fn receipt_indexes(app: &TestApp) -> Vec<String> {
    let db = rusqlite::Connection::open(&app.database).unwrap();
    db.prepare(
        "SELECT list.name FROM pragma_index_list('votes') AS list, pragma_index_info(list.name) AS info
         WHERE info.name = 'receipt'",
    )
    .unwrap()
    .query_map([], |row| row.get(0))
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[tokio::test]
async fn votes_are_numbered_in_turn_and_their_receipts_are_the_numbers_enciphered() {
    let app = TestApp::new(vec![open_batch()]);
    let mut receipts = Vec::new();
    for n in 1..=3 {
        let reply = app.post_vote(&vote_with_id(&nth_vote_id(n))).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        receipts.push(reply.json()["receipt"].as_str().unwrap().to_owned());
    }
    // A retry is answered from its row and takes no number.
    let retry = app.post_vote(&vote_with_id(&nth_vote_id(2))).await;
    assert_eq!(retry.status, 200, "{}", retry.text);
    assert_eq!(retry.json()["receipt"].as_str(), Some(receipts[1].as_str()));
    assert_eq!(app.post_vote(&vote_with_id(&nth_vote_id(4))).await.status, 201);

    let expected: Vec<(i64, String)> = (1..=4).map(|n| (n, code(app.dir.path(), n))).collect();
    assert_eq!(numbered(&app), expected);
    assert_eq!(receipts, expected[..3].iter().map(|(_, code)| code.clone()).collect::<Vec<_>>());
    assert_eq!(receipt_indexes(&app), Vec::<String>::new(), "numbered codes need no index");
    let db = rusqlite::Connection::open(&app.database).unwrap();
    let apart: i64 = db.query_row("SELECT COUNT(*) FROM votes WHERE rowid != number", [], |row| row.get(0)).unwrap();
    assert_eq!(apart, 0, "the number is the row's id, which VACUUM keeps");
}

#[tokio::test]
async fn a_database_with_random_receipts_keeps_new_codes_apart_from_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("votes.sqlite3");
    old_database(&path);
    // Votes a, b and c hold numbers 1 to 3 after the migration; the next
    // vote's number is 4, whose code c already holds as a random one.
    let taken = code(dir.path(), 4);
    rusqlite::Connection::open(&path).unwrap().execute("UPDATE votes SET receipt = ?1 WHERE vote_id = 'c'", [&taken]).unwrap();
    let app = TestApp::with_database(vec![open_batch()], dir);
    assert_eq!(receipt_indexes(&app), ["votes_random_receipts"]);

    let reply = app.post_vote(&vote_with_id(&nth_vote_id(1))).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let next = code(app.dir.path(), 5);
    assert_eq!(reply.json()["receipt"].as_str(), Some(next.as_str()), "number 4's code is taken: the vote gets 5's");
    let numbers: Vec<(i64, String)> = numbered(&app);
    assert_eq!(numbers.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [1, 2, 3, 5]);
    assert_eq!(numbers[2].1, taken, "the old vote keeps its code");
}
