//! What became of a bottleneck, in the citizen's words: "办理情况：已交各地
//! 限期解决 · 22/31 个省份已解决". A follow-up that breaks a protocol rule is
//! not put in words at all (`FollowUp::is_sound`): the batch is shown
//! without it. Nor is a bare "collecting" (no count, no note): the batch's
//! own dates say as much, and fifteen copies of it would bury the tallies.

use survey_protocol::{FollowUp, FollowUpStatus};

use crate::i18n::fill;
use crate::i18n::later::LaterCatalogue;

/// The line under a bottleneck, or `None` when its follow-up may not be
/// shown. The note and the date are the component's: the note is in the
/// batch's language, the date in the citizen's locale.
pub fn follow_up_status(follow_up: &FollowUp, t: &LaterCatalogue) -> Option<String> {
    let says_nothing_new =
        follow_up.status == FollowUpStatus::Collecting && follow_up.regions_solved.is_none() && follow_up.note.is_none();
    if !follow_up.is_sound() || says_nothing_new {
        return None;
    }
    let status = match follow_up.status {
        FollowUpStatus::Collecting => t.follow_up_collecting,
        FollowUpStatus::Sent => t.follow_up_sent,
        FollowUpStatus::Solved => t.follow_up_solved,
        FollowUpStatus::Unknown => return None,
    };
    let line = match (follow_up.regions_solved, follow_up.regions_total) {
        (Some(solved), Some(total)) => {
            format!("{status} · {}", fill(t.follow_up_regions, &[("solved", &solved), ("total", &total)]))
        }
        _ => status.to_owned(),
    };
    Some(fill(t.follow_up_line, &[("status", &line)]))
}
