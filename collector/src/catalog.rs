//! The batches this collector serves, read once at startup from the batches
//! file: protocol v1 batches written in zh-CN, each with its translations.
//! Everything is checked before the server binds, so a typo in the file stops
//! the start-up instead of reaching a citizen.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use survey_protocol::time::parse_rfc3339;
use survey_protocol::{Batch, BatchError, BatchStatus};

use crate::language;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchesFile {
    batches: Vec<FileEntry>,
}

#[derive(Deserialize)]
struct FileEntry {
    #[serde(flatten)]
    batch: Batch,
    /// Keyed by language tag, e.g. `en`.
    #[serde(default)]
    translations: BTreeMap<String, Translation>,
}

/// A batch's texts in one more language; every text the batch has must be
/// translated, so a citizen never gets a survey in two languages at once.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Translation {
    title: String,
    description: Option<String>,
    privacy_notice: Option<String>,
    /// Option id → text.
    #[serde(default)]
    options: BTreeMap<String, String>,
    /// Group as written in zh-CN → translated group.
    #[serde(default)]
    groups: BTreeMap<String, String>,
}

/// Why the batches file cannot be served.
#[derive(Debug)]
pub enum CatalogError {
    Read(std::io::Error),
    Parse(serde_json::Error),
    Batch { id: String, error: BatchError },
    DuplicateId(String),
    Translation { id: String, language: String, problem: String },
    /// Follow-up is published into the database, not written here.
    FollowUpInFile(String),
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read(e) => write!(f, "cannot read the batches file: {e}"),
            Self::Parse(e) => write!(f, "the batches file is not {{\"batches\": [...]}} of protocol v1 batches: {e}"),
            Self::Batch { id, error } => write!(f, "batch {id:?} breaks protocol v1: {error}"),
            Self::DuplicateId(id) => write!(f, "batch id {id:?} appears twice"),
            Self::Translation { id, language, problem } => {
                write!(f, "the {language:?} translation of batch {id:?} {problem}")
            }
            Self::FollowUpInFile(id) => write!(
                f,
                "batch {id:?} carries a follow_up: follow-up is published into the database with \
                 `collector publish-follow-up FILE` (see collector/README.md), so that every collector serves \
                 the same; take it out of the batches file"
            ),
        }
    }
}

impl std::error::Error for CatalogError {}

/// Every batch of the file, in file order.
#[derive(Debug)]
pub struct Catalog {
    entries: Vec<Entry>,
}

/// One batch in each of its languages, with its dates parsed once.
#[derive(Debug)]
pub struct Entry {
    /// As written in the file, in [`language::DEFAULT`].
    batch: Batch,
    /// (language tag, the batch with its texts in that language).
    translations: Vec<(String, Batch)>,
    opens_at: Option<i64>,
    closes_at: Option<i64>,
}

impl Catalog {
    pub fn load(path: &Path) -> Result<Self, CatalogError> {
        Self::from_json(&std::fs::read_to_string(path).map_err(CatalogError::Read)?)
    }

    pub fn from_json(json: &str) -> Result<Self, CatalogError> {
        let file: BatchesFile = serde_json::from_str(json).map_err(CatalogError::Parse)?;
        let mut ids = HashSet::new();
        let mut entries = Vec::with_capacity(file.batches.len());
        for FileEntry { batch, translations } in file.batches {
            let id = batch.id.clone();
            batch.check().map_err(|error| CatalogError::Batch { id: id.clone(), error })?;
            if !ids.insert(id.clone()) {
                return Err(CatalogError::DuplicateId(id));
            }
            if batch.follow_up.is_some() || batch.options.iter().any(|o| o.follow_up.is_some()) {
                return Err(CatalogError::FollowUpInFile(id));
            }
            let translations = translations
                .into_iter()
                .map(|(language, t)| {
                    let translated = if is_language_tag(&language) {
                        translate(&batch, t)
                    } else {
                        Err("is not filed under a language tag such as \"en\"".to_owned())
                    };
                    match translated {
                        Ok(translated) => Ok((language, translated)),
                        Err(problem) => Err(CatalogError::Translation { id: id.clone(), language, problem }),
                    }
                })
                .collect::<Result<_, CatalogError>>()?;
            // `check` has parsed both dates already.
            let opens_at = batch.opens_at.as_deref().and_then(parse_rfc3339);
            let closes_at = batch.closes_at.as_deref().and_then(parse_rfc3339);
            entries.push(Entry { batch, translations, opens_at, closes_at });
        }
        Ok(Self { entries })
    }

    /// Every batch, in file order and in [`language::DEFAULT`].
    pub fn batches(&self) -> impl Iterator<Item = &Batch> {
        self.entries.iter().map(|e| &e.batch)
    }

    /// Every batch with its languages and dates, in file order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.batch.id == id)
    }

    /// The batch citizens should see at `now`: the open one (the first in the
    /// file if several are); else the upcoming one that opens soonest; else
    /// the one that closed last, so the citizen learns when to come back.
    pub fn current(&self, now: i64) -> Option<&Entry> {
        let with = |status| self.entries.iter().filter(move |e| e.status_at(now) == status);
        with(BatchStatus::Open)
            .next()
            .or_else(|| with(BatchStatus::Upcoming).min_by_key(|e| e.opens_at.unwrap_or(i64::MAX)))
            .or_else(|| with(BatchStatus::Closed).max_by_key(|e| e.closes_at.unwrap_or(i64::MIN)))
    }
}

impl Entry {
    /// The batch in [`language::DEFAULT`]; its rules hold in every language.
    pub fn batch(&self) -> &Batch {
        &self.batch
    }

    /// With `opens_at` or `closes_at` in the file the dates decide, so a batch
    /// opens and closes on time without a restart; without either the file's
    /// `status` stands.
    pub fn status_at(&self, now: i64) -> BatchStatus {
        if self.opens_at.is_none() && self.closes_at.is_none() {
            self.batch.status
        } else if self.opens_at.is_some_and(|t| now < t) {
            BatchStatus::Upcoming
        } else if self.closes_at.is_some_and(|t| now > t) {
            BatchStatus::Closed
        } else {
            BatchStatus::Open
        }
    }

    /// The languages the batch is translated into, besides [`language::DEFAULT`].
    pub fn languages(&self) -> impl Iterator<Item = &str> + Clone {
        self.translations.iter().map(|(language, _)| language.as_str())
    }

    pub fn opens_at(&self) -> Option<i64> {
        self.opens_at
    }

    pub fn closes_at(&self) -> Option<i64> {
        self.closes_at
    }

    /// The language `Accept-Language` picks for this batch.
    pub fn language_for(&self, accept_language: Option<&str>) -> &str {
        language::negotiate(accept_language, self.languages())
    }

    /// The batch as served: in the language `Accept-Language` picks, with
    /// its status at `now`. Returns the language tag for `Content-Language`.
    pub fn localized(&self, accept_language: Option<&str>, now: i64) -> (&str, Batch) {
        let language = self.language_for(accept_language);
        let translated = self.translations.iter().find(|(l, _)| l == language).map(|(_, b)| b);
        let mut batch = translated.unwrap_or(&self.batch).clone();
        batch.status = self.status_at(now);
        (language, batch)
    }
}

/// `en`, `en-GB`: letters, digits and dashes, so it can be sent as `Content-Language`.
fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty() && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `batch` with every text replaced by its translation, or what is missing
/// or left over.
fn translate(batch: &Batch, mut t: Translation) -> Result<Batch, String> {
    fn text(original: &Option<String>, translated: Option<String>, name: &str) -> Result<Option<String>, String> {
        match (original, translated) {
            (Some(_), None) => Err(format!("has no {name}")),
            (None, Some(_)) => Err(format!("has a {name} the batch does not have")),
            (_, translated) => Ok(translated),
        }
    }
    let mut out = batch.clone();
    out.title = t.title;
    out.description = text(&batch.description, t.description, "description")?;
    out.privacy_notice = text(&batch.privacy_notice, t.privacy_notice, "privacy_notice")?;
    let mut groups_used = HashSet::new();
    for option in &mut out.options {
        option.text = t.options.remove(&option.id).ok_or_else(|| format!("has no text for option {:?}", option.id))?;
        if let Some(group) = &mut option.group {
            *group = t.groups.get(group.as_str()).cloned().ok_or_else(|| format!("has no name for group {group:?}"))?;
            groups_used.insert(group.clone());
        }
    }
    if let Some(id) = t.options.keys().next() {
        return Err(format!("names option {id:?}, which the batch does not have"));
    }
    let batch_groups: HashSet<&str> = batch.options.iter().filter_map(|o| o.group.as_deref()).collect();
    if let Some(group) = t.groups.keys().find(|g| !batch_groups.contains(g.as_str())) {
        return Err(format!("names group {group:?}, which the batch does not have"));
    }
    out.check().map_err(|e| format!("breaks protocol v1: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn batch(id: &str, status: &str, opens_at: Option<&str>, closes_at: Option<&str>) -> Value {
        let mut b = json!({
            "id": id, "title": "标题", "status": status,
            "choices": {"min": 1, "max": 1},
            "options": [{"id": "a", "text": "甲", "group": "组"}],
            "location": {"levels": 1, "required": false},
            "real_name": "off", "results": "always",
        });
        if let Some(t) = opens_at {
            b["opens_at"] = json!(t);
        }
        if let Some(t) = closes_at {
            b["closes_at"] = json!(t);
        }
        b
    }

    fn catalog(batches: Vec<Value>) -> Result<Catalog, CatalogError> {
        Catalog::from_json(&json!({ "batches": batches }).to_string())
    }

    const JUNE_2018: i64 = 1_528_000_000;

    #[test]
    fn dates_decide_the_status_when_the_file_has_them() {
        let c = catalog(vec![
            batch("a", "closed", Some("2018-05-25T00:00:00+08:00"), Some("2018-06-14T23:59:59+08:00")),
            batch("b", "open", Some("2018-07-06T00:00:00+08:00"), None),
            batch("c", "closed", None, Some("2018-05-08T23:59:59+08:00")),
            batch("d", "upcoming", None, None),
        ])
        .unwrap();
        let status = |id| c.get(id).unwrap().status_at(JUNE_2018);
        assert_eq!(status("a"), BatchStatus::Open);
        assert_eq!(status("b"), BatchStatus::Upcoming);
        assert_eq!(status("c"), BatchStatus::Closed);
        assert_eq!(status("d"), BatchStatus::Upcoming);
    }

    #[test]
    fn the_soonest_upcoming_batch_comes_before_any_closed_one() {
        let c = catalog(vec![
            batch("closed", "closed", None, None),
            batch("later", "upcoming", Some("2018-08-10T00:00:00+08:00"), None),
            batch("sooner", "upcoming", Some("2018-07-06T00:00:00+08:00"), None),
        ])
        .unwrap();
        assert_eq!(c.current(JUNE_2018).unwrap().batch().id, "sooner");
    }

    #[test]
    fn the_last_closed_batch_is_shown_when_nothing_else_is_left() {
        let c = catalog(vec![
            batch("first", "closed", Some("2018-04-19T00:00:00+08:00"), Some("2018-05-08T23:59:59+08:00")),
            batch("second", "closed", Some("2018-05-25T00:00:00+08:00"), Some("2018-06-14T23:59:59+08:00")),
        ])
        .unwrap();
        assert_eq!(c.current(JUNE_2018 + 10_000_000).unwrap().batch().id, "second");
        assert!(catalog(vec![]).unwrap().current(JUNE_2018).is_none());
    }

    #[test]
    fn a_broken_batch_or_a_repeated_id_stops_the_start_up() {
        let mut bad = batch("a", "open", None, None);
        bad["choices"] = json!({"min": 2, "max": 1});
        let err = catalog(vec![bad]).unwrap_err().to_string();
        assert!(err.contains("batch \"a\" breaks protocol v1"), "{err}");
        let err = catalog(vec![batch("a", "open", None, None), batch("a", "open", None, None)]).unwrap_err();
        assert!(matches!(err, CatalogError::DuplicateId(id) if id == "a"));
    }

    #[test]
    fn follow_up_in_the_batches_file_stops_the_start_up() {
        let day = "2018-06-22T00:00:00+08:00";
        let mut on_batch = batch("a", "closed", None, None);
        on_batch["follow_up"] = json!({"summary": "已解决", "updated_at": day});
        let mut on_option = batch("b", "closed", None, None);
        on_option["options"][0]["follow_up"] = json!({"status": "sent", "updated_at": day});
        for (batch, id) in [(on_batch, "a"), (on_option, "b")] {
            let err = catalog(vec![batch]).unwrap_err().to_string();
            assert!(err.contains(&format!("batch {id:?} carries a follow_up")), "{err}");
            assert!(err.contains("collector publish-follow-up"), "{err}");
        }
    }

    #[test]
    fn an_incomplete_or_misspelt_translation_stops_the_start_up() {
        let cases = [
            (json!({"title": "T", "options": {}, "groups": {"组": "G"}}), "has no text for option \"a\""),
            (json!({"title": "T", "options": {"a": "A"}, "groups": {}}), "has no name for group \"组\""),
            (json!({"title": "T", "options": {"a": "A", "b": "B"}, "groups": {"组": "G"}}), "names option \"b\""),
            (json!({"title": "T", "options": {"a": "A"}, "groups": {"组": "G", "x": "X"}}), "names group \"x\""),
            (json!({"title": "T", "description": "D", "options": {"a": "A"}, "groups": {"组": "G"}}), "a description"),
            (json!({"title": " ", "options": {"a": "A"}, "groups": {"组": "G"}}), "breaks protocol v1"),
        ];
        for (translation, expected) in cases {
            let mut b = batch("a", "open", None, None);
            b["translations"] = json!({ "en": translation });
            let err = catalog(vec![b]).unwrap_err().to_string();
            assert!(err.contains(expected), "{err} should mention {expected}");
        }
    }

    #[test]
    fn a_translated_batch_keeps_ids_and_rules_and_swaps_every_text() {
        let mut b = batch("a", "open", None, None);
        b["translations"] = json!({"en": {"title": "Title", "options": {"a": "A"}, "groups": {"组": "Group"}}});
        let c = catalog(vec![b]).unwrap();
        let (language, en) = c.get("a").unwrap().localized(Some("en-US"), JUNE_2018);
        assert_eq!(language, "en");
        assert_eq!((en.title.as_str(), en.options[0].text.as_str()), ("Title", "A"));
        assert_eq!(en.options[0].group.as_deref(), Some("Group"));
        assert_eq!(en.options[0].id, "a");
        let (language, zh) = c.get("a").unwrap().localized(None, JUNE_2018);
        assert_eq!((language, zh.title.as_str()), ("zh-CN", "标题"));
    }
}
