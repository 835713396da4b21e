//! Receipts on PostgreSQL: vote numbers from blocks of a sequence that each
//! collector takes for itself, enciphered under the shared secret, with no
//! unique index to keep up, and apart from the random codes a database of
//! an older collector holds.

use collector::receipt::Numbering;
use collector::secret::Secret;

use crate::collector;
use crate::database::Schema;
use crate::support::{nth_vote_id, vote_with_id};

/// The code of vote number `number` under the tests' secret.
fn code(number: i64) -> String {
    Numbering::new(&Secret::from_bytes(vec![0x5e; 32]).unwrap().receipt_key()).code(number).unwrap()
}

/// The indexes of `votes` that hold its `receipt` column.
async fn receipt_indexes(db: &Schema) -> Vec<String> {
    let rows = db
        .client()
        .await
        .query(
            "SELECT indexname::text FROM pg_indexes
             WHERE schemaname = current_schema() AND tablename = 'votes' AND indexdef LIKE '%(receipt)%'",
            &[],
        )
        .await
        .unwrap();
    rows.iter().map(|row| row.get(0)).collect()
}

#[tokio::test]
async fn each_collector_numbers_votes_from_a_block_of_its_own() {
    let Some(db) = Schema::create("each_collector_numbers_votes_from_a_block_of_its_own").await else { return };
    let (one, other) = (collector(&db), collector(&db));
    let mut receipts = Vec::new();
    for (n, app) in [(1, &one), (2, &other), (3, &one), (4, &other)] {
        let reply = app.post_vote(&vote_with_id(&nth_vote_id(n))).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        receipts.push(reply.json()["receipt"].as_str().unwrap().to_owned());
    }
    assert_eq!(receipts, [code(1), code(1025), code(2), code(1026)], "blocks of 1,024, one per collector");
    assert_eq!(receipt_indexes(&db).await, Vec::<String>::new(), "numbered codes need no index");
}

#[tokio::test]
async fn a_database_with_random_receipts_keeps_new_codes_apart_from_them() {
    let Some(db) = Schema::create("a_database_with_random_receipts_keeps_new_codes_apart").await else { return };
    // The schema as the collectors before numbering left it, holding a
    // vote whose random code is the one number 1 enciphers to.
    let client = db.client().await;
    client
        .batch_execute(concat!(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL);",
            include_str!("../../migrations/postgres/0001_schema.sql"),
            include_str!("../../migrations/postgres/0002_follow_ups.sql"),
            "INSERT INTO schema_migrations VALUES (1, 0), (2, 0);"
        ))
        .await
        .unwrap();
    client
        .execute(
            "INSERT INTO votes (vote_id, batch_id, body_hash, receipt, locale, widget_version, counted_at)
             VALUES ('old', '2018-3-social-medical', '\\x00', $1, 'zh-CN', '0.1.0', 1531102425)",
            &[&code(1)],
        )
        .await
        .unwrap();
    let app = collector(&db);
    assert_eq!(receipt_indexes(&db).await, ["votes_receipt_key"]);

    let reply = app.post_vote(&vote_with_id(&nth_vote_id(1))).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json()["receipt"].as_str(), Some(code(2).as_str()), "number 1's code is taken: the vote gets 2's");
}
