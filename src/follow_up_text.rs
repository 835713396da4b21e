//! What became of a bottleneck, in the citizen's words: "办理情况：已交各地
//! 限期解决 · 22/31 个省份已解决". A follow-up that breaks a protocol rule is
//! not put in words at all (`FollowUp::is_sound`): the batch is shown
//! without it.

use survey_protocol::{FollowUp, FollowUpStatus};

use crate::i18n::fill;
use crate::i18n::later::LaterCatalogue;

/// The line under a bottleneck, or `None` when its follow-up may not be
/// shown. The note and the date are the component's: the note is in the
/// batch's language, the date in the citizen's locale.
pub fn follow_up_status(follow_up: &FollowUp, t: &LaterCatalogue) -> Option<String> {
    if !follow_up.is_sound() {
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
