//! Synthetic votes for the demo (the `demo-seed` binary, which
//! `scripts/demo` runs once on a fresh database), so that the demo tells
//! the story of 2018: batch 1 closed with 180,000 votes, 50,000 of them
//! under a real name (the report's figures), batch 2 and the open batch 3
//! with plausible numbers of their own.
//!
//! Everything else is made up and says so: how the votes spread over
//! provinces (roughly by population), cities and counties, and over the
//! options (the report names only the top bottleneck of batches 1 and 2
//! and the top three of batch 3, which lead here too). Each province
//! leans its own way, so that a map of one bottleneck has something to
//! show. Every vote is marked `client.widget_version: "demo-seed/…"` and
//! goes through [`Store::write_group`], the writer's own path, so the
//! tallies agree with the votes as for any vote.
//!
//! The numbers come from a fixed seed: every demo shows the same figures.

use std::collections::BTreeMap;

use survey_protocol::{Batch, ClientInfo, Location, Vote};

use crate::api::votes::body_hash;
use crate::catalog::Catalog;
use crate::error::Error;
use crate::regions::Regions;
use crate::secret::PersonKey;
use crate::store::tally::Region;
use crate::store::{NewVote, Store};

/// What every seeded vote carries, so that it can be found and deleted.
pub const WIDGET_VERSION: &str = "demo-seed/1";

/// Votes written per transaction.
const GROUP: usize = 4_000;

/// One batch's synthetic votes.
struct Plan {
    batch: &'static str,
    votes: u32,
    real_name: u32,
    /// Option id → weight; options left out weigh 1.
    options: &'static [(&'static str, u32)],
    /// The seed of its made-up numbers.
    seed: u64,
}

const PLANS: &[Plan] = &[
    Plan {
        batch: "2018-1-education-identity",
        // The report: "投票人次达到18万，5万人实名投票".
        votes: 180_000,
        real_name: 50_000,
        options: &[
            ("repeat-personal-info", 30),
            ("repeat-id-copies", 22),
            ("id-card-remote", 18),
            ("odd-education-proofs", 15),
            ("birth-permit-id-copies", 12),
            ("school-enrolment-papers", 11),
            ("kinship-proof", 9),
            ("no-criminal-record", 8),
            ("marriage-registration", 7),
            ("degree-verification", 6),
            ("temporary-travel-id", 5),
            ("school-transfer", 5),
            ("lost-diploma", 4),
            ("id-renewal-reminder", 3),
        ],
        seed: 1,
    },
    Plan {
        batch: "2018-2-business-services",
        votes: 126_000,
        real_name: 31_000,
        options: &[
            ("repeat-company-info", 30),
            ("business-license", 24),
            ("seal-bank-tax-separate", 14),
            ("repeat-filings", 12),
            ("no-online-registration", 11),
            ("deregistration", 10),
            ("change-everywhere", 9),
            ("bank-account-in-person", 8),
            ("annual-reports", 7),
            ("serial-approvals", 7),
            ("first-invoices", 6),
            ("premises-proof", 5),
            ("name-approval", 4),
            ("repeat-inspections", 4),
        ],
        seed: 2,
    },
    Plan {
        batch: "2018-3-social-medical",
        votes: 24_000,
        real_name: 6_000,
        options: &[
            ("clinic-card", 30),
            ("repeat-tests", 26),
            ("no-timed-booking", 22),
            ("remote-filing-stamp", 14),
            ("remote-advance-pay", 13),
            ("pay-queues", 12),
            ("reimburse-paper", 10),
            ("transfer-insurance", 9),
            ("chronic-illness", 8),
            ("pension-alive-check", 8),
            ("card-replacement", 5),
            ("unemployment-onsite", 4),
            ("birth-many-offices", 4),
            ("maternity-proofs", 3),
            ("death-affairs", 3),
        ],
        seed: 3,
    },
];

/// Each province's weight: its population in 2018, in hundred thousands,
/// rounded (a rough guide to how many of its citizens would vote).
const PROVINCES: &[(&str, u32)] = &[
    ("110000", 215), ("120000", 156), ("130000", 756), ("140000", 372), ("150000", 253),
    ("210000", 436), ("220000", 270), ("230000", 377), ("310000", 242), ("320000", 805),
    ("330000", 574), ("340000", 632), ("350000", 394), ("360000", 465), ("370000", 1005),
    ("410000", 961), ("420000", 592), ("430000", 690), ("440000", 1135), ("450000", 493),
    ("460000", 93), ("500000", 310), ("510000", 834), ("520000", 360), ("530000", 483),
    ("540000", 34), ("610000", 386), ("620000", 264), ("630000", 60), ("640000", 69),
    ("650000", 249),
];

/// What seeding came to, for the terminal.
pub enum Seeded {
    /// Votes written per batch.
    Done(Vec<(String, u32)>),
    /// The database holds votes already: nothing was written.
    AlreadyHasVotes,
}

/// Writes the demo's votes into `store`, once: a database that holds any
/// vote of the catalog's batches is left as it is. Batches of `catalog`
/// without a plan get no votes.
pub async fn seed(store: &Store, catalog: &Catalog, regions: &Regions) -> Result<Seeded, Error> {
    for batch in catalog.batches() {
        if store.tallies(&batch.id, &Region::nation()).await?.total > 0 {
            return Ok(Seeded::AlreadyHasVotes);
        }
    }
    let mut done = Vec::new();
    for plan in PLANS {
        let Some(entry) = catalog.get(plan.batch) else { continue };
        let (from, to) = window(entry.opens_at(), entry.closes_at());
        let mut votes = Votes::new(plan, entry.batch(), regions, from, to);
        let mut group = Vec::with_capacity(GROUP);
        for n in 0..plan.votes {
            group.push(votes.next(n)?);
            if group.len() == GROUP || n + 1 == plan.votes {
                store.write_group(std::mem::take(&mut group)).await?;
            }
        }
        done.push((plan.batch.to_owned(), plan.votes));
    }
    Ok(Seeded::Done(done))
}

/// When the votes were counted: between the opening and the closing, or
/// the three days after an opening without a closing.
fn window(opens_at: Option<i64>, closes_at: Option<i64>) -> (i64, i64) {
    let from = opens_at.unwrap_or(1_524_067_200);
    (from, closes_at.unwrap_or(from + 3 * 86_400))
}

/// Makes one plan's votes, one at a time.
struct Votes<'a> {
    plan: &'a Plan,
    batch: &'a Batch,
    random: SplitMix,
    from: i64,
    to: i64,
    /// Province → its weight, its cities with theirs, and its own weight
    /// for each option (so provinces lean differently).
    places: Vec<Place<'a>>,
}

struct Place<'a> {
    code: &'a str,
    weight: u64,
    cities: Vec<(&'a str, u64, Vec<&'a str>)>,
    options: Vec<u64>,
}

impl<'a> Votes<'a> {
    fn new(plan: &'a Plan, batch: &'a Batch, regions: &'a Regions, from: i64, to: i64) -> Self {
        let mut random = SplitMix(plan.seed);
        let base: BTreeMap<&str, u32> = plan.options.iter().copied().collect();
        let places = PROVINCES
            .iter()
            .filter(|(code, _)| regions.is_province(code))
            .map(|&(code, people)| {
                let cities = regions
                    .cities(code)
                    .enumerate()
                    .map(|(rank, (city, _))| {
                        // The first city is the capital, which draws more.
                        let weight = if rank == 0 { 300 } else { 100 } * random.between(50, 150);
                        (city, weight, regions.counties(city).collect())
                    })
                    .collect();
                let options = batch
                    .options
                    .iter()
                    .map(|o| u64::from(*base.get(o.id.as_str()).unwrap_or(&1)) * random.between(50, 150))
                    .collect();
                Place { code, weight: u64::from(people) * random.between(80, 120), cities, options }
            })
            .collect();
        Self { plan, batch, random, from, to, places }
    }

    /// The `n`th vote.
    fn next(&mut self, n: u32) -> Result<NewVote, Error> {
        let random = &mut self.random;
        let place = &self.places[random.pick(self.places.iter().map(|p| p.weight))];
        let levels = self.batch.location.levels;
        let (city, county) = match random.pick(place.cities.iter().map(|c| c.1)) {
            at if at < place.cities.len() && levels >= 2 => {
                let (city, _, counties) = &place.cities[at];
                let county = (levels >= 3 && !counties.is_empty()).then(|| counties[random.below(counties.len() as u64) as usize]);
                (Some(*city), county)
            }
            _ => (None, None),
        };
        let rule = self.batch.choices;
        let most = usize::from(rule.max).min(self.batch.options.len()).max(1);
        let least = usize::from(rule.min).clamp(1, most);
        // Most citizens tick as many as they may.
        let count = (least + random.below(4) as usize).min(most);
        let mut weights = place.options.clone();
        let mut choices = Vec::with_capacity(count);
        for _ in 0..count {
            let at = random.pick(weights.iter().copied());
            weights[at] = 0;
            choices.push(self.batch.options[at].id.clone());
        }
        let vote = Vote {
            batch_id: self.batch.id.clone(),
            vote_id: random.uuid_v4(),
            location: Location {
                province: Some(place.code.to_owned()),
                city: city.map(str::to_owned),
                county: county.map(str::to_owned),
            },
            choices,
            other: None,
            verification_token: None,
            client: ClientInfo { widget_version: WIDGET_VERSION.to_owned(), locale: "zh-CN".to_owned(), embed_origin: None },
        };
        // Exactly `real_name` of `votes` are real-name votes, spread evenly.
        let (votes, real_name) = (u64::from(self.plan.votes), u64::from(self.plan.real_name));
        let is_real_name = (u64::from(n) + 1) * real_name / votes > u64::from(n) * real_name / votes;
        let real_name_key = is_real_name.then(|| PersonKey(random.bytes()));
        let counted_at = self.from + random.below((self.to - self.from).max(1).unsigned_abs()) as i64;
        Ok(NewVote { body_hash: body_hash(&vote)?, vote, real_name_key, counted_at })
    }
}

/// SplitMix64: a fixed seed gives every demo the same figures. Not for
/// anything secret (the ids it makes are only unique in a fresh database).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Below `n` (n ≥ 1).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// From `low` up to `high`, both included.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }

    /// An index picked by weight; the length when all weigh nothing.
    fn pick(&mut self, weights: impl Iterator<Item = u64> + Clone) -> usize {
        let total: u64 = weights.clone().sum();
        if total == 0 {
            return weights.count();
        }
        let mut left = self.below(total);
        for (at, weight) in weights.enumerate() {
            if left < weight {
                return at;
            }
            left -= weight;
        }
        unreachable!("left < total")
    }

    fn bytes(&mut self) -> [u8; 32] {
        let mut bytes = [0; 32];
        for chunk in bytes.chunks_mut(8) {
            chunk.copy_from_slice(&self.next().to_le_bytes());
        }
        bytes
    }

    fn uuid_v4(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use survey_protocol::vote_check::check_vote;

    use super::*;

    #[test]
    fn seeded_votes_keep_their_batch_rules_name_real_places_and_are_marked() {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalog = Catalog::load(&manifest.join("batches/demo-2018.json")).unwrap();
        let regions = Regions::load(&manifest.join("../public/regions")).unwrap();
        for plan in PLANS {
            let entry = catalog.get(plan.batch).unwrap_or_else(|| panic!("{} is not a demo batch", plan.batch));
            let (from, to) = window(entry.opens_at(), entry.closes_at());
            let mut votes = Votes::new(plan, entry.batch(), &regions, from, to);
            let mut real_name = 0;
            for n in 0..2_000 {
                let new = votes.next(n).unwrap();
                let errors = check_vote(entry.batch(), &new.vote);
                assert!(errors.is_empty(), "{errors:?}");
                assert!(regions.unknown_places(&new.vote.location, &[]).is_empty(), "{:?}", new.vote.location);
                assert_eq!(new.vote.client.widget_version, WIDGET_VERSION);
                assert!((from..=to).contains(&new.counted_at));
                real_name += u32::from(new.real_name_key.is_some());
            }
            let expected = 2_000 * u64::from(plan.real_name) / u64::from(plan.votes);
            assert!(u64::from(real_name).abs_diff(expected) <= 1, "{real_name} real-name votes of 2000");
        }
    }

    #[test]
    fn made_up_ids_are_uuid_v4_and_picks_follow_the_weights() {
        let mut random = SplitMix(7);
        let id = random.uuid_v4();
        assert!(survey_protocol::vote_check::is_uuid_v4(&id), "{id}");
        let mut counts = [0_u32; 3];
        for _ in 0..3_000 {
            counts[random.pick([0_u64, 1, 2].into_iter())] += 1;
        }
        assert_eq!(counts[0], 0, "nothing weighing 0 is picked");
        assert!((800..1200).contains(&counts[1]) && (1800..2200).contains(&counts[2]), "{counts:?}");
        assert_eq!(random.pick([0_u64, 0].into_iter()), 2);
    }
}
