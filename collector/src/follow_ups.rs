//! What became of each batch and its bottlenecks, as the organiser publishes
//! it: a file checked whole against the batches file, stored per batch in
//! the database by `collector publish-follow-up` (never through the API, so
//! no citizen can write it), and merged into every batch the collector
//! serves.
//!
//! The file (see `collector/README.md`, and the demo's
//! `collector/batches/demo-2018-follow-up.json`):
//!
//! ```json
//! {"batches": [{
//!   "id": "2018-1-education-identity",
//!   "follow_up": {"summary": "…", "updated_at": "2018-06-22T00:00:00+08:00"},
//!   "options": {"id-card-remote": {"status": "solved", "regions_solved": 22, "regions_total": 31,
//!                                  "note": "…", "updated_at": "2018-06-22T00:00:00+08:00"}},
//!   "translations": {"en": {"summary": "…", "notes": {"id-card-remote": "…"}}}
//! }]}
//! ```
//!
//! Each batch named replaces what was published for it before; a batch
//! named with nothing withdraws its follow-up; batches not named keep
//! theirs. Texts are in the batch's language, with a translation for every
//! language the batch is served in, so a citizen never reads a survey in
//! two languages at once.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use survey_protocol::follow_up::MAX_NOTE_CHARS;
use survey_protocol::time::parse_rfc3339;
use survey_protocol::{Batch, BatchFollowUp, FollowUp, FollowUpStatus};

use crate::catalog::Catalog;
use crate::language;

/// The fields a batch's follow-up may have; others are typos.
const BATCH_FIELDS: &[&str] = &["summary", "updated_at"];
/// The fields an option's follow-up may have; others are typos.
const OPTION_FIELDS: &[&str] = &["status", "regions_solved", "regions_total", "note", "updated_at"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FollowUpFile {
    batches: Vec<FileBatch>,
}

/// One batch as written in the file: the follow-ups still as JSON, so that
/// a misspelt field is named rather than ignored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBatch {
    id: String,
    #[serde(default)]
    follow_up: Option<Value>,
    #[serde(default)]
    options: BTreeMap<String, Value>,
    #[serde(default)]
    translations: BTreeMap<String, Translation>,
}

/// One batch's follow-up as published and stored: checked, whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<BatchFollowUp>,
    /// Option id → its follow-up.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, FollowUp>,
    /// Language tag → the texts in that language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, Translation>,
}

/// The follow-up's texts in one more language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Option id → note.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub notes: BTreeMap<String, String>,
}

/// Why a follow-up file is refused: every problem found, one a line.
#[derive(Debug, PartialEq, Eq)]
pub struct FollowUpFileError(pub Vec<String>);

impl fmt::Display for FollowUpFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the follow-up file is refused whole, nothing was published:")?;
        for problem in &self.0 {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FollowUpFileError {}

/// Parses and checks a follow-up file against the batches `catalog` serves:
/// every batch and option it names exists, every follow-up keeps the
/// protocol's rules ([`FollowUp::is_sound`]), every text is translated
/// into each language its batch is served in. All or nothing.
pub fn check_file(json: &str, catalog: &Catalog) -> Result<Vec<Published>, FollowUpFileError> {
    let file: FollowUpFile = serde_json::from_str(json).map_err(|e| {
        FollowUpFileError(vec![format!("it is not {{\"batches\": [{{\"id\": …, \"follow_up\", \"options\", \"translations\"}}]}}: {e}")])
    })?;
    let mut problems = Vec::new();
    let mut published = Vec::with_capacity(file.batches.len());
    for batch in file.batches {
        if published.iter().any(|p: &Published| p.id == batch.id) {
            problems.push(format!("batch {:?} appears twice", batch.id));
            continue;
        }
        match check_batch(batch, catalog) {
            Ok(checked) => published.push(checked),
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() { Ok(published) } else { Err(FollowUpFileError(problems)) }
}

fn check_batch(file: FileBatch, catalog: &Catalog) -> Result<Published, Vec<String>> {
    let id = file.id;
    let Some(entry) = catalog.get(&id) else {
        return Err(vec![format!("batch {id:?} is not in the batches file")]);
    };
    let mut problems = Vec::new();
    let mut problem = |text: String| problems.push(format!("batch {id:?}: {text}"));

    let follow_up = file.follow_up.and_then(|value| {
        let parsed = strict::<BatchFollowUp>(value, BATCH_FIELDS).map_err(|e| problem(format!("follow_up {e}"))).ok()?;
        let broken = batch_follow_up_problems(&parsed);
        broken.iter().for_each(|p| problem(format!("follow_up {p}")));
        broken.is_empty().then_some(parsed)
    });
    let mut options = BTreeMap::new();
    for (option_id, value) in file.options {
        if !entry.batch().options.iter().any(|o| o.id == option_id) {
            problem(format!("has no option {option_id:?}"));
            continue;
        }
        match strict::<FollowUp>(value, OPTION_FIELDS) {
            Err(e) => problem(format!("option {option_id:?} {e}")),
            Ok(parsed) => {
                let broken = option_follow_up_problems(&parsed);
                broken.iter().for_each(|p| problem(format!("option {option_id:?} {p}")));
                if broken.is_empty() {
                    options.insert(option_id, parsed);
                }
            }
        }
    }
    let published = Published { id: id.clone(), follow_up, options, translations: file.translations };

    let served_in: Vec<&str> = entry.languages().collect();
    for (language, translation) in &published.translations {
        if !served_in.contains(&language.as_str()) {
            let known = if served_in.is_empty() { "none".to_owned() } else { served_in.join(", ") };
            problem(format!("has a {language:?} translation, but the batch is not served in {language:?} (its translations: {known})"));
            continue;
        }
        for text in translation_problems(&published, translation) {
            problem(format!("the {language:?} translation {text}"));
        }
    }
    let has_texts = published.follow_up.is_some() || published.options.values().any(|o| o.note.is_some());
    for language in served_in {
        if has_texts && !published.translations.contains_key(language) {
            problem(format!("has no {language:?} translation, and the batch is served in {language:?}"));
        }
    }
    if problems.is_empty() { Ok(published) } else { Err(problems) }
}

/// `value` as a `T`, refusing fields other than `fields` (a typo would
/// otherwise be dropped without a word).
fn strict<T: serde::de::DeserializeOwned>(value: Value, fields: &[&str]) -> Result<T, String> {
    let Value::Object(map) = &value else { return Err("is not an object".to_owned()) };
    if let Some(unknown) = map.keys().find(|k| !fields.contains(&k.as_str())) {
        return Err(format!("has a field {unknown:?}; the fields are {}", fields.join(", ")));
    }
    serde_json::from_value(value).map_err(|e| format!("is malformed: {e}"))
}

fn batch_follow_up_problems(follow_up: &BatchFollowUp) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(p) = text_problem(&follow_up.summary) {
        problems.push(format!("summary {p}"));
    }
    if parse_rfc3339(&follow_up.updated_at).is_none() {
        problems.push(format!("updated_at {:?} is not an RFC 3339 time", follow_up.updated_at));
    }
    debug_assert_eq!(problems.is_empty(), follow_up.is_sound());
    problems
}

fn option_follow_up_problems(follow_up: &FollowUp) -> Vec<String> {
    let mut problems = Vec::new();
    if follow_up.status == FollowUpStatus::Unknown {
        problems.push("status is none of collecting, sent, solved".to_owned());
    }
    match (follow_up.regions_solved, follow_up.regions_total) {
        (None, None) => {}
        (Some(solved), Some(total)) if total >= 1 && solved <= total => {}
        (Some(_), Some(_)) => problems.push("regions_solved must not exceed regions_total, which is at least 1".to_owned()),
        _ => problems.push("regions_solved and regions_total are given together or not at all".to_owned()),
    }
    if let Some(p) = follow_up.note.as_deref().and_then(text_problem) {
        problems.push(format!("note {p}"));
    }
    if parse_rfc3339(&follow_up.updated_at).is_none() {
        problems.push(format!("updated_at {:?} is not an RFC 3339 time", follow_up.updated_at));
    }
    debug_assert_eq!(problems.is_empty(), follow_up.is_sound());
    problems
}

/// What is wrong with a summary or a note, by the protocol's rule.
fn text_problem(text: &str) -> Option<String> {
    if text.trim().is_empty() {
        Some("is blank".to_owned())
    } else if text.chars().count() > MAX_NOTE_CHARS {
        Some(format!("has {} characters, more than {MAX_NOTE_CHARS}", text.chars().count()))
    } else {
        None
    }
}

/// A translation gives exactly the texts the follow-up has, each sound.
fn translation_problems(published: &Published, translation: &Translation) -> Vec<String> {
    let mut problems = Vec::new();
    match (&published.follow_up, &translation.summary) {
        (Some(_), None) => problems.push("has no summary".to_owned()),
        (None, Some(_)) => problems.push("has a summary, and the batch's follow_up has none".to_owned()),
        (_, Some(summary)) => problems.extend(text_problem(summary).map(|p| format!("summary {p}"))),
        (None, None) => {}
    }
    for (option_id, follow_up) in &published.options {
        match (&follow_up.note, translation.notes.get(option_id)) {
            (Some(_), None) => problems.push(format!("has no note for option {option_id:?}")),
            (_, Some(note)) => problems.extend(text_problem(note).map(|p| format!("note for option {option_id:?} {p}"))),
            (None, None) => {}
        }
    }
    for option_id in translation.notes.keys() {
        if published.options.get(option_id).is_none_or(|f| f.note.is_none()) {
            problems.push(format!("has a note for option {option_id:?}, which has none"));
        }
    }
    problems
}

impl Published {
    /// The rows to store: batch id and the document as JSON.
    pub fn document(&self) -> (String, String) {
        (self.id.clone(), serde_json::to_string(self).unwrap_or_default())
    }

    /// Puts this follow-up on `batch`, served in `language`: the batch's
    /// and each option's, replacing what the batch had.
    pub fn apply(&self, batch: &mut Batch, language: &str) {
        let translation = (language != language::DEFAULT).then(|| self.translations.get(language)).flatten();
        batch.follow_up = self.follow_up.clone().map(|mut follow_up| {
            if let Some(summary) = translation.and_then(|t| t.summary.clone()) {
                follow_up.summary = summary;
            }
            follow_up
        });
        for option in &mut batch.options {
            option.follow_up = self.options.get(&option.id).cloned().map(|mut follow_up| {
                if let Some(note) = translation.and_then(|t| t.notes.get(&option.id)) {
                    follow_up.note = Some(note.clone());
                }
                follow_up
            });
        }
    }
}

/// Every follow-up published, by batch id, as read from the database.
#[derive(Debug, Default)]
pub struct FollowUps {
    by_batch: HashMap<String, Published>,
}

impl FollowUps {
    /// From the stored rows; a document that no longer reads (written by a
    /// later collector, say) is left out with a warning rather than
    /// costing citizens the batch.
    pub fn from_rows(rows: Vec<(String, String)>) -> Self {
        let by_batch = rows
            .into_iter()
            .filter_map(|(batch_id, document)| match serde_json::from_str::<Published>(&document) {
                Ok(published) => Some((batch_id, published)),
                Err(err) => {
                    tracing::warn!(batch = %batch_id, error = %err, "a published follow-up does not read; served without it");
                    None
                }
            })
            .collect();
        Self { by_batch }
    }

    /// Puts the follow-up published for `batch` (if any) on it.
    pub fn apply(&self, batch: &mut Batch, language: &str) {
        if let Some(published) = self.by_batch.get(&batch.id) {
            published.apply(batch, language);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn catalog() -> Catalog {
        let batch = json!({
            "id": "b", "title": "批", "status": "closed",
            "choices": {"min": 1, "max": 1},
            "options": [{"id": "a", "text": "甲"}, {"id": "c", "text": "丙"}],
            "location": {"levels": 1, "required": false},
            "real_name": "off", "results": "always",
            "translations": {"en": {"title": "Batch", "options": {"a": "A", "c": "C"}}},
        });
        Catalog::from_json(&json!({ "batches": [batch] }).to_string()).unwrap()
    }

    const DAY: &str = "2018-06-22T00:00:00+08:00";

    fn file(batch: Value) -> String {
        json!({ "batches": [batch] }).to_string()
    }

    fn sound() -> Value {
        json!({
            "id": "b",
            "follow_up": {"summary": "已解决", "updated_at": DAY},
            "options": {
                "a": {"status": "solved", "regions_solved": 22, "regions_total": 31, "note": "多地已办", "updated_at": DAY},
                "c": {"status": "sent", "updated_at": DAY}
            },
            "translations": {"en": {"summary": "Solved", "notes": {"a": "Done in many places"}}}
        })
    }

    fn problems(batch: Value) -> Vec<String> {
        check_file(&file(batch), &catalog()).unwrap_err().0
    }

    #[test]
    fn a_sound_file_is_put_on_the_batch_in_each_language() {
        let published = check_file(&file(sound()), &catalog()).unwrap();
        let follow_ups = FollowUps::from_rows(published.iter().map(Published::document).collect());
        let catalog = catalog();
        let (_, mut zh) = catalog.get("b").unwrap().localized(None, 0);
        follow_ups.apply(&mut zh, "zh-CN");
        assert_eq!(zh.follow_up.as_ref().map(|f| f.summary.as_str()), Some("已解决"));
        assert_eq!(zh.options[0].follow_up.as_ref().and_then(|f| f.note.as_deref()), Some("多地已办"));
        assert_eq!(zh.options[1].follow_up.as_ref().map(|f| f.status), Some(FollowUpStatus::Sent));
        let (_, mut en) = catalog.get("b").unwrap().localized(Some("en"), 0);
        follow_ups.apply(&mut en, "en");
        assert_eq!(en.follow_up.as_ref().map(|f| f.summary.as_str()), Some("Solved"));
        assert_eq!(en.options[0].follow_up.as_ref().and_then(|f| f.note.as_deref()), Some("Done in many places"));
        assert_eq!(en.options[0].follow_up.as_ref().and_then(|f| f.regions_solved), Some(22));
    }

    #[test]
    fn unknown_batches_and_options_are_refused_by_name() {
        let mut batch = sound();
        batch["id"] = json!("nope");
        assert_eq!(problems(batch), ["batch \"nope\" is not in the batches file"]);
        let mut batch = sound();
        batch["options"]["z"] = json!({"status": "sent", "updated_at": DAY});
        assert_eq!(problems(batch), ["batch \"b\": has no option \"z\""]);
    }

    #[test]
    fn a_follow_up_breaking_the_protocol_is_refused_with_every_reason() {
        let mut batch = sound();
        batch["options"]["a"]["regions_solved"] = json!(32);
        batch["options"]["c"] = json!({"status": "escalated", "note": " ", "updated_at": "22 June"});
        batch["follow_up"]["summary"] = json!("办".repeat(MAX_NOTE_CHARS + 1));
        let found = problems(batch).join("\n");
        for expected in [
            "follow_up summary has 281 characters",
            "option \"a\" regions_solved must not exceed regions_total",
            "option \"c\" status is none of collecting, sent, solved",
            "option \"c\" note is blank",
            "option \"c\" updated_at \"22 June\" is not an RFC 3339 time",
        ] {
            assert!(found.contains(expected), "{found}\nshould say {expected}");
        }
    }

    #[test]
    fn a_misspelt_field_is_named_rather_than_dropped() {
        let mut batch = sound();
        batch["options"]["c"]["region_solved"] = json!(3);
        let found = problems(batch).join("\n");
        assert!(found.contains("option \"c\" has a field \"region_solved\""), "{found}");
        let mut batch = sound();
        batch["summary"] = json!("misplaced");
        assert!(check_file(&file(batch), &catalog()).unwrap_err().0[0].contains("unknown field `summary`"));
    }

    #[test]
    fn every_text_is_translated_into_each_language_the_batch_is_served_in() {
        let mut batch = sound();
        batch.as_object_mut().unwrap().remove("translations");
        assert_eq!(problems(batch), ["batch \"b\": has no \"en\" translation, and the batch is served in \"en\""]);
        let mut batch = sound();
        batch["translations"]["en"]["notes"] = json!({"c": "Sent"});
        let found = problems(batch).join("\n");
        assert!(found.contains("has no note for option \"a\""), "{found}");
        assert!(found.contains("has a note for option \"c\", which has none"), "{found}");
        let mut batch = sound();
        batch["translations"]["fr"] = json!({"summary": "Résolu"});
        assert!(problems(batch)[0].contains("is not served in \"fr\""));
    }

    #[test]
    fn a_batch_named_with_nothing_withdraws_its_follow_up() {
        let published = check_file(&file(json!({"id": "b"})), &catalog()).unwrap();
        assert_eq!(published, [Published { id: "b".into(), ..Published::default() }]);
        let catalog = catalog();
        let (_, mut batch) = catalog.get("b").unwrap().localized(None, 0);
        batch.follow_up = Some(BatchFollowUp { summary: "old".into(), updated_at: DAY.into() });
        published[0].apply(&mut batch, "zh-CN");
        assert_eq!(batch.follow_up, None);
    }

    #[test]
    fn a_stored_document_that_no_longer_reads_is_left_out() {
        let follow_ups = FollowUps::from_rows(vec![("b".into(), "{\"id\": 7}".into())]);
        assert!(follow_ups.by_batch.is_empty());
    }
}
