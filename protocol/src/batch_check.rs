//! The rules a batch must keep before anyone renders it. A batch that breaks
//! one is refused whole: a half-rendered survey would collect votes the
//! endpoint cannot count.

use std::convert::Infallible;
use std::fmt;
use std::ops::ControlFlow;

use crate::batch::Batch;
use crate::time::parse_rfc3339;

/// Most options a batch may carry; 2018's batches had a few dozen.
pub const MAX_OPTIONS: usize = 200;
/// Longest batch or option id.
pub const MAX_ID_LEN: usize = 64;

/// Why a batch cannot be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BatchError {
    /// The body is not JSON at all (an HTML error page, say).
    NotJson,
    /// JSON, but not a batch: a field is missing or has the wrong type.
    WrongShape(String),
    BadId,
    EmptyTitle,
    NoOptions,
    TooManyOptions(usize),
    /// An option with an empty or over-long id, or empty text.
    BadOption(String),
    DuplicateOptionId(String),
    /// `choices.max` is below `choices.min`, or zero.
    BadChoiceRange { min: u16, max: u16 },
    /// `choices.min` asks for more ticks than there are options.
    MinAboveOptions { min: u16, options: usize },
    BadLevels(u8),
    /// The "other" box is on but may hold no character.
    BadOtherLength,
    /// `opens_at` or `closes_at` is not an RFC 3339 timestamp.
    BadDate(&'static str),
    /// Real-name voting collects ID numbers; PIPL art. 17 and 30 require a notice first.
    MissingPrivacyNotice,
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotJson => write!(f, "the batch is not JSON"),
            Self::WrongShape(detail) => write!(f, "the batch has the wrong shape: {detail}"),
            Self::BadId => write!(f, "the batch id must be 1-64 characters of A-Z a-z 0-9 . _ -"),
            Self::EmptyTitle => write!(f, "the batch has no title"),
            Self::NoOptions => write!(f, "the batch has no options"),
            Self::TooManyOptions(n) => write!(f, "the batch has {n} options, more than {MAX_OPTIONS}"),
            Self::BadOption(id) => write!(f, "option \"{id}\" has an empty or over-long id or no text"),
            Self::DuplicateOptionId(id) => write!(f, "option id \"{id}\" appears twice"),
            Self::BadChoiceRange { min, max } => {
                write!(f, "choices.max ({max}) must be at least 1 and not below choices.min ({min})")
            }
            Self::MinAboveOptions { min, options } => {
                write!(f, "choices.min ({min}) is more than the {options} options")
            }
            Self::BadLevels(n) => write!(f, "location.levels is {n}, not 1, 2 or 3"),
            Self::BadOtherLength => write!(f, "other.max_length must be at least 1"),
            Self::BadDate(field) => write!(f, "{field} is not an RFC 3339 timestamp"),
            Self::MissingPrivacyNotice => {
                write!(f, "a batch that asks for real names must carry a privacy_notice")
            }
        }
    }
}

impl std::error::Error for BatchError {}

/// Parses and checks a batch in one step, as a client receives it.
pub fn parse_batch(json: &str) -> Result<Batch, BatchError> {
    // Parsed straight into the type, without an intermediate `Value`: the
    // widget pays for every byte of deserialiser code it ships.
    let batch: Batch = serde_json::from_str(json).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => BatchError::WrongShape(e.to_string()),
        _ => BatchError::NotJson,
    })?;
    batch.check()?;
    Ok(batch)
}

/// True for 1–64 characters of `[A-Za-z0-9._-]`: safe in a URL path and a storage key.
pub fn is_valid_batch_id(id: &str) -> bool {
    (1..=MAX_ID_LEN).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

impl Batch {
    /// Checks every rule of protocol v1 that JSON types alone cannot express,
    /// and names the first one broken.
    pub fn check(&self) -> Result<(), BatchError> {
        match self.visit_broken_rules(ControlFlow::Break) {
            ControlFlow::Break(error) => Err(error),
            ControlFlow::Continue(()) => Ok(()),
        }
    }

    /// Every rule the batch breaks, in the order [`Batch::check`] tests
    /// them. A client needs only the first (it refuses the batch whole); a
    /// conformance checker reports each, so one fix does not hide the next.
    pub fn broken_rules(&self) -> Vec<BatchError> {
        let mut all = Vec::new();
        let ControlFlow::Continue(()) = self.visit_broken_rules(|error| {
            all.push(error);
            ControlFlow::<Infallible>::Continue(())
        });
        all
    }

    /// The rules themselves, written once for both of the above: each broken
    /// rule goes to `found`, which says whether to look further.
    fn visit_broken_rules<B>(&self, mut found: impl FnMut(BatchError) -> ControlFlow<B>) -> ControlFlow<B> {
        use crate::batch::RealName;

        if !is_valid_batch_id(&self.id) {
            found(BatchError::BadId)?;
        }
        if self.title.trim().is_empty() {
            found(BatchError::EmptyTitle)?;
        }
        if self.options.is_empty() {
            found(BatchError::NoOptions)?;
        }
        if self.options.len() > MAX_OPTIONS {
            found(BatchError::TooManyOptions(self.options.len()))?;
        }
        // At most 200 options: a linear scan beats a hash set here, and keeps
        // hashing code out of the widget's wasm.
        for (index, option) in self.options.iter().enumerate() {
            let id_ok = !option.id.trim().is_empty() && option.id.len() <= MAX_ID_LEN;
            if !id_ok || option.text.trim().is_empty() {
                found(BatchError::BadOption(option.id.clone()))?;
            } else if self.options[..index].iter().any(|earlier| earlier.id == option.id) {
                found(BatchError::DuplicateOptionId(option.id.clone()))?;
            }
        }
        let rule = self.choices;
        if rule.max == 0 || rule.max < rule.min {
            found(BatchError::BadChoiceRange { min: rule.min, max: rule.max })?;
        }
        if usize::from(rule.min) > self.options.len() {
            found(BatchError::MinAboveOptions { min: rule.min, options: self.options.len() })?;
        }
        if !(1..=3).contains(&self.location.levels) {
            found(BatchError::BadLevels(self.location.levels))?;
        }
        if self.other_enabled().is_some_and(|o| o.max_length == 0) {
            found(BatchError::BadOtherLength)?;
        }
        for (field, value) in [("opens_at", &self.opens_at), ("closes_at", &self.closes_at)] {
            if value.as_deref().is_some_and(|v| parse_rfc3339(v).is_none()) {
                found(BatchError::BadDate(field))?;
            }
        }
        let notice_missing = self.privacy_notice.as_deref().is_none_or(|n| n.trim().is_empty());
        if self.real_name != RealName::Off && notice_missing {
            found(BatchError::MissingPrivacyNotice)?;
        }
        ControlFlow::Continue(())
    }

    /// Choices the citizen may still make a rule-abiding vote with; `max`
    /// larger than the option list simply means "all of them".
    pub fn effective_max(&self) -> usize {
        usize::from(self.choices.max).min(self.options.len())
    }
}
