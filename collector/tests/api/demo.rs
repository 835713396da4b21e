//! The demo batches file the collector serves by default: the three themed
//! batches of 2018's "群众办事百项堵点疏解行动".

use serde_json::Value;
use survey_protocol::batch_check::parse_batch;

use collector::catalog::Catalog;

use crate::support::{example, manifest_dir};

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
