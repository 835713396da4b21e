//! The demo batches file the collector serves by default: the three themed
//! batches of 2018's "群众办事百项堵点疏解行动".

use serde_json::Value;
use survey_protocol::batch_check::parse_batch;

use collector::catalog::Catalog;

use crate::support::{TestApp, example, manifest_dir};

fn demo_batches() -> Vec<Value> {
    let path = manifest_dir().join("batches/demo-2018.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    file["batches"].as_array().unwrap().clone()
}

fn without_translations(mut batch: Value) -> Value {
    batch.as_object_mut().unwrap().remove("translations");
    batch
}

#[test]
fn every_demo_batch_keeps_protocol_v1_and_has_an_english_translation() {
    let batches = demo_batches();
    assert_eq!(batches.len(), 3);
    for batch in batches {
        assert!(batch["translations"]["en"]["title"].is_string(), "{} has no English", batch["id"]);
        let plain = without_translations(batch).to_string();
        parse_batch(&plain).unwrap_or_else(|e| panic!("{e}"));
    }
    // Loading also checks that each translation covers every text.
    Catalog::load(&manifest_dir().join("batches/demo-2018.json")).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_demo_third_batch_is_the_protocol_open_example() {
    let third = demo_batches().pop().unwrap();
    assert_eq!(without_translations(third), example("batch-open.json"));
}

#[test]
fn the_demo_first_batch_is_the_protocol_closed_example_in_full() {
    let first = without_translations(demo_batches().remove(0));
    let example = example("batch-closed.json");
    for field in ["id", "title", "status", "opens_at", "closes_at", "choices", "location", "real_name", "results"] {
        assert_eq!(first[field], example[field], "{field}");
    }
    for key in ["id", "text"] {
        assert_eq!(first["options"][0][key], example["options"][0][key], "{key}");
    }
}

#[test]
fn the_demo_follow_up_file_is_sound_for_the_demo_batches() {
    let catalog = Catalog::load(&manifest_dir().join("batches/demo-2018.json")).unwrap();
    let file = std::fs::read_to_string(manifest_dir().join("batches/demo-2018-follow-up.json")).unwrap();
    let published = collector::follow_ups::check_file(&file, &catalog).unwrap_or_else(|e| panic!("{e}"));
    let first = &published[0];
    assert_eq!(first.id, "2018-1-education-identity");
    let summary = &first.follow_up.as_ref().unwrap().summary;
    assert!(summary.contains("369") && summary.contains("260") && summary.contains("60%"), "{summary}");
    // The report: two bottlenecks above 70 % solved, five not satisfactory.
    let above_70 = first.options.iter().filter(|(_, f)| f.regions_solved.is_some_and(|s| s * 10 > 7 * f.regions_total.unwrap()));
    let above_70: Vec<&str> = above_70.map(|(id, _)| id.as_str()).collect();
    assert_eq!(above_70, ["birth-permit-id-copies", "id-card-remote"]);
    let poor = first.options.values().filter(|f| f.note.as_deref().is_some_and(|n| n.contains("尚不理想"))).count();
    assert_eq!(poor, 5);
    assert!(published[1].follow_up.as_ref().unwrap().summary.contains("173"));
}

#[tokio::test]
async fn the_demo_is_seeded_only_into_a_database_without_votes() {
    let batches = demo_batches();
    let app = TestApp::new(batches);
    assert_eq!(app.post_vote(&crate::support::vote()).await.status, 201);
    let regions = collector::regions::Regions::load(&manifest_dir().join("tests/fixtures/regions")).unwrap();
    let seeded = collector::demo_seed::seed(&app.state.store, &app.state.catalog, &regions).await.unwrap();
    assert!(matches!(seeded, collector::demo_seed::Seeded::AlreadyHasVotes));
    assert_eq!(app.stored_votes(), 1);
}
