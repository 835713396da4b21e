//! What became of a bottleneck after the votes were counted, as the organiser
//! publishes it: the question every citizen asks of such a survey ("will it
//! just be for show?"), answered on the batch itself.
//!
//! Optional everywhere: an endpoint without follow-up still speaks protocol
//! v1. A follow-up that breaks its rules is not shown, and never costs the
//! citizen the batch itself: [`FollowUp::is_sound`] decides.

use serde::{Deserialize, Serialize};

use crate::time::parse_rfc3339;

/// Longest follow-up note or summary, in characters: a line under a
/// bottleneck, not a report.
pub const MAX_NOTE_CHARS: usize = 280;

/// One bottleneck's follow-up, `options[].follow_up`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub status: FollowUpStatus,
    /// How many regions report it solved; given together with `regions_total`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regions_solved: Option<u16>,
    /// How many regions it was sent to (31 for the mainland provinces).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regions_total: Option<u16>,
    /// A short note in the batch's language, e.g. what changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// RFC 3339: when the organiser last reported on it.
    pub updated_at: String,
}

/// Where a bottleneck stands. A status this client does not know yet is
/// kept as [`FollowUpStatus::Unknown`] rather than refusing the batch, so an
/// endpoint may add statuses within v1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpStatus {
    /// Votes are still being collected.
    Collecting,
    /// Sent to the regions to be solved by a deadline.
    Sent,
    /// Reported solved.
    Solved,
    #[serde(other)]
    Unknown,
}

/// The whole batch's follow-up, `follow_up` on a batch: one summary, e.g.
/// "by 22 June the 31 provinces had solved 369 of the 620 problems sent".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchFollowUp {
    pub summary: String,
    /// RFC 3339.
    pub updated_at: String,
}

impl FollowUp {
    /// Whether a client may show it: a known status, a real date, counts given
    /// together with solved ≤ total and total ≥ 1, and a note that is not
    /// blank or over [`MAX_NOTE_CHARS`].
    pub fn is_sound(&self) -> bool {
        let counts_ok = match (self.regions_solved, self.regions_total) {
            (None, None) => true,
            (Some(solved), Some(total)) => total >= 1 && solved <= total,
            _ => false,
        };
        self.status != FollowUpStatus::Unknown
            && counts_ok
            && parse_rfc3339(&self.updated_at).is_some()
            && self.note.as_deref().is_none_or(is_sound_note)
    }
}

impl BatchFollowUp {
    /// Whether a client may show it: a summary that is not blank or over
    /// [`MAX_NOTE_CHARS`], and a real date.
    pub fn is_sound(&self) -> bool {
        is_sound_note(&self.summary) && parse_rfc3339(&self.updated_at).is_some()
    }
}

fn is_sound_note(note: &str) -> bool {
    !note.trim().is_empty() && note.chars().count() <= MAX_NOTE_CHARS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(solved: Option<u16>, total: Option<u16>) -> FollowUp {
        FollowUp {
            status: FollowUpStatus::Sent,
            regions_solved: solved,
            regions_total: total,
            note: None,
            updated_at: "2018-06-22T00:00:00+08:00".into(),
        }
    }

    #[test]
    fn counts_come_together_and_solved_never_exceeds_sent() {
        assert!(sent(None, None).is_sound());
        assert!(sent(Some(22), Some(31)).is_sound());
        assert!(sent(Some(31), Some(31)).is_sound());
        assert!(!sent(Some(32), Some(31)).is_sound());
        assert!(!sent(Some(0), Some(0)).is_sound());
        assert!(!sent(Some(22), None).is_sound());
        assert!(!sent(None, Some(31)).is_sound());
    }

    #[test]
    fn an_unknown_status_parses_but_is_not_shown() {
        let parsed: FollowUp = serde_json::from_str(
            r#"{"status": "escalated", "updated_at": "2018-06-22T00:00:00+08:00"}"#,
        )
        .unwrap();
        assert_eq!(parsed.status, FollowUpStatus::Unknown);
        assert!(!parsed.is_sound());
    }

    #[test]
    fn a_note_is_short_and_not_blank_and_the_date_is_real() {
        let mut follow_up = sent(None, None);
        follow_up.note = Some("  ".into());
        assert!(!follow_up.is_sound());
        follow_up.note = Some("办".repeat(MAX_NOTE_CHARS));
        assert!(follow_up.is_sound(), "counted in characters, not bytes");
        follow_up.note = Some("办".repeat(MAX_NOTE_CHARS + 1));
        assert!(!follow_up.is_sound());
        let undated = FollowUp {
            updated_at: "22 June".into(),
            ..sent(None, None)
        };
        assert!(!undated.is_sound());
        let summary = BatchFollowUp {
            summary: "已解决 369 个".into(),
            updated_at: "2018-06-22T00:00:00+08:00".into(),
        };
        assert!(summary.is_sound());
        assert!(
            !BatchFollowUp {
                summary: String::new(),
                ..summary
            }
            .is_sound()
        );
    }
}
