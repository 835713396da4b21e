//! How the votes waiting for the writer become one group: a vote whose
//! answer depends on an earlier vote of the same group waits for the next
//! group, so that each vote is judged exactly as if the votes had been
//! written one at a time in the order they came.
//!
//! Two votes depend on each other when they share an id (a retry racing its
//! original, a reused key) or a person (two real-name votes of one citizen).
//! One case is answered within the group, since its answer cannot differ: a
//! later vote with the same id, body and person as an earlier one that is
//! written gets the earlier one's answer (a receipt as a replay), as a
//! second identical request would one transaction later.

use std::collections::{HashMap, HashSet};

use crate::secret::PersonKey;
use crate::store::Outcome;

/// What the grouping needs to know of a vote.
#[derive(Clone, Copy, Debug)]
pub struct Identity<'a> {
    pub vote_id: &'a str,
    pub body_hash: &'a [u8; 32],
    pub person: Option<&'a PersonKey>,
}

/// Where one vote of the queue goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Written in this group.
    Lead,
    /// Answered as the vote at this index of the queue is.
    Follow(usize),
    /// Left for the next group, in its order.
    Defer,
}

/// Places each vote of `queue`, in order, writing at most `limit` of them
/// (followers are not written). Once a vote is left for later, every later
/// vote with its id or person is too, so none overtakes it.
pub fn place(queue: &[Identity<'_>], limit: usize) -> Vec<Place> {
    let mut places: Vec<Place> = Vec::with_capacity(queue.len());
    let mut first_of_id: HashMap<&str, usize> = HashMap::new();
    let mut persons: HashSet<&PersonKey> = HashSet::new();
    let mut leads = 0;
    for (i, vote) in queue.iter().enumerate() {
        let place = match first_of_id.get(vote.vote_id) {
            Some(&first) => {
                let earlier = &queue[first];
                let same = earlier.body_hash == vote.body_hash && earlier.person == vote.person;
                if same && places[first] == Place::Lead { Place::Follow(first) } else { Place::Defer }
            }
            None => {
                first_of_id.insert(vote.vote_id, i);
                if leads >= limit || vote.person.is_some_and(|p| persons.contains(p)) {
                    Place::Defer
                } else {
                    leads += 1;
                    Place::Lead
                }
            }
        };
        persons.extend(vote.person);
        places.push(place);
    }
    places
}

/// The answer of a follower, given its leader's.
pub fn follow(leader: &Outcome) -> Outcome {
    match leader {
        Outcome::Counted(receipt) => Outcome::Replayed(receipt.clone()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: [u8; 32] = [1; 32];
    const B: [u8; 32] = [2; 32];

    fn id<'a>(vote_id: &'a str, body_hash: &'a [u8; 32], person: Option<&'a PersonKey>) -> Identity<'a> {
        Identity { vote_id, body_hash, person }
    }

    #[test]
    fn votes_with_nothing_in_common_are_written_together() {
        let queue = [id("1", &A, None), id("2", &A, None), id("3", &B, None)];
        assert_eq!(place(&queue, 100), [Place::Lead; 3]);
    }

    #[test]
    fn an_identical_retry_follows_its_original_and_a_reused_key_waits() {
        let queue = [id("1", &A, None), id("1", &A, None), id("1", &B, None), id("2", &A, None)];
        assert_eq!(place(&queue, 100), [Place::Lead, Place::Follow(0), Place::Defer, Place::Lead]);
    }

    #[test]
    fn a_second_real_name_vote_of_one_person_waits_for_the_first() {
        let (p, q) = (PersonKey([7; 32]), PersonKey([8; 32]));
        let queue = [id("1", &A, Some(&p)), id("2", &A, Some(&p)), id("3", &A, Some(&q)), id("1", &A, Some(&q))];
        // The last has the first's id but another person: it waits too.
        assert_eq!(place(&queue, 100), [Place::Lead, Place::Defer, Place::Lead, Place::Defer]);
    }

    #[test]
    fn nothing_overtakes_a_vote_left_for_later() {
        let p = PersonKey([7; 32]);
        let queue = [id("1", &A, None), id("2", &A, Some(&p)), id("2", &A, Some(&p)), id("3", &A, Some(&p))];
        assert_eq!(place(&queue, 1), [Place::Lead, Place::Defer, Place::Defer, Place::Defer]);
    }

    #[test]
    fn a_follower_hears_a_receipt_as_a_replay_and_anything_else_as_it_is() {
        let receipt = survey_protocol::Receipt {
            vote_id: "1".into(),
            receipt: "7KQM-4ZPA".into(),
            real_name: false,
            counted_at: "2018-07-09T02:13:45Z".into(),
        };
        assert_eq!(follow(&Outcome::Counted(receipt.clone())), Outcome::Replayed(receipt.clone()));
        assert_eq!(follow(&Outcome::Replayed(receipt.clone())), Outcome::Replayed(receipt));
        assert_eq!(follow(&Outcome::AlreadyVoted), Outcome::AlreadyVoted);
        assert_eq!(follow(&Outcome::KeyReused), Outcome::KeyReused);
    }
}
