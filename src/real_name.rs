//! Real-name voting as the citizen goes through it: choose to vote under
//! one's name, consent to the notice, give name, ID number and phone, get a
//! code, confirm it, and vote with the token. Plain Rust, so every step and
//! every check is tested on the host.
//!
//! The name, ID number and phone live only in an [`Identity`] in memory: it
//! prints nothing in `Debug`, is sent only to the verification endpoint, and
//! is cleared the moment a token arrives.

use std::fmt;

use survey_protocol::identity::{check_id_number, is_plausible_name, normalize_phone, IdNumberError};
use survey_protocol::{RealName, VerificationRequest};

/// How the citizen votes, when the batch lets them choose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Anonymous,
    RealName,
}

/// What the citizen typed to prove who they are. Never stored, never logged.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub id_number: String,
    pub phone: String,
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Identity { [redacted] }")
    }
}

/// Which identity field a problem is about; also its protocol field name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityField {
    Name,
    IdNumber,
    Phone,
    Code,
}

impl IdentityField {
    /// The protocol's field name, as a 422 from the endpoint names it.
    pub fn from_protocol(field: &str) -> Option<Self> {
        match field {
            "name" => Some(Self::Name),
            "id_number" => Some(Self::IdNumber),
            "phone" => Some(Self::Phone),
            "code" => Some(Self::Code),
            _ => None,
        }
    }
}

/// A specific reason an identity field is refused, each with its own message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityProblem {
    Missing,
    NameInvalid,
    IdNumber(IdNumberError),
    PhoneInvalid,
    /// The code is not six digits.
    CodeInvalid,
    /// The endpoint says the code is not the one it sent.
    CodeWrong,
}

impl Identity {
    /// Every problem, in form order; empty when the identity may be sent.
    /// `today` is (year, month, day), for the birth date in the ID number.
    pub fn problems(&self, today: (i64, u32, u32)) -> Vec<(IdentityField, IdentityProblem)> {
        let mut problems = Vec::new();
        if self.name.trim().is_empty() {
            problems.push((IdentityField::Name, IdentityProblem::Missing));
        } else if !is_plausible_name(&self.name) {
            problems.push((IdentityField::Name, IdentityProblem::NameInvalid));
        }
        if self.id_number.trim().is_empty() {
            problems.push((IdentityField::IdNumber, IdentityProblem::Missing));
        } else if let Err(e) = check_id_number(&self.id_number, today) {
            problems.push((IdentityField::IdNumber, IdentityProblem::IdNumber(e)));
        }
        if self.phone.trim().is_empty() {
            problems.push((IdentityField::Phone, IdentityProblem::Missing));
        } else if normalize_phone(&self.phone).is_none() {
            problems.push((IdentityField::Phone, IdentityProblem::PhoneInvalid));
        }
        problems
    }

    /// The request body, normalised as the endpoint expects it: trimmed
    /// name, upper-case check character, 11-digit phone.
    pub fn to_request(&self, batch_id: &str) -> VerificationRequest {
        VerificationRequest {
            batch_id: batch_id.to_owned(),
            name: self.name.trim().to_owned(),
            id_number: self.id_number.trim().to_ascii_uppercase(),
            phone: normalize_phone(&self.phone).unwrap_or_else(|| self.phone.trim().to_owned()),
        }
    }

    /// The field's text; the code is not part of an identity and reads empty.
    pub fn field(&self, field: IdentityField) -> &str {
        match field {
            IdentityField::Name => &self.name,
            IdentityField::IdNumber => &self.id_number,
            IdentityField::Phone => &self.phone,
            IdentityField::Code => "",
        }
    }

    /// Sets the field's text; the code is kept elsewhere and is ignored.
    pub fn set_field(&mut self, field: IdentityField, value: String) {
        match field {
            IdentityField::Name => self.name = value,
            IdentityField::IdNumber => self.id_number = value,
            IdentityField::Phone => self.phone = value,
            IdentityField::Code => {}
        }
    }

    /// Forgets every field; called once a token arrives, or the citizen
    /// switches to voting anonymously.
    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

/// True for a verification code as the citizen may type it: six digits.
pub fn is_code(code: &str) -> bool {
    let code = code.trim();
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// A real-name vote without a finished verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotVerified;

/// Where the verification stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Nothing sent yet.
    Details,
    /// A code was sent; `resend_at_ms` is when a new one may be asked for.
    CodeSent { verification_id: String, resend_at_ms: f64 },
    /// Verified: the token goes with the vote.
    Verified { token: String, display_name: String },
}

/// The real-name part of the ballot.
#[derive(Clone, Debug, PartialEq)]
pub struct RealNameState {
    pub mode: Mode,
    pub consent: bool,
    pub identity: Identity,
    pub step: Step,
}

impl RealNameState {
    /// The starting state for a batch: anonymous unless the batch requires
    /// real names. `None` when the batch takes no real names.
    pub fn for_batch(real_name: RealName) -> Option<Self> {
        let mode = match real_name {
            RealName::Off => return None,
            RealName::Optional => Mode::Anonymous,
            RealName::Required => Mode::RealName,
        };
        Some(Self { mode, consent: false, identity: Identity::default(), step: Step::Details })
    }

    /// Switching to anonymous forgets whatever identity was typed or proven.
    pub fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
        if mode == Mode::Anonymous {
            self.consent = false;
            self.identity.clear();
            self.step = Step::Details;
        }
    }

    /// The code was sent.
    pub fn code_sent(&mut self, verification_id: String, resend_after_s: u32, now_ms: f64) {
        self.step = Step::CodeSent { verification_id, resend_at_ms: now_ms + f64::from(resend_after_s) * 1000.0 };
    }

    /// The code was confirmed: keep the token, forget the identity.
    pub fn verified(&mut self, token: String, display_name: String) {
        self.identity.clear();
        self.step = Step::Verified { token, display_name };
    }

    /// The token was refused (expired before the vote got through): back to
    /// the start of verification; the ballot's answers are untouched.
    pub fn token_refused(&mut self) {
        self.step = Step::Details;
    }

    /// Seconds until a new code may be asked for, or 0.
    pub fn resend_wait_s(&self, now_ms: f64) -> u32 {
        match self.step {
            Step::CodeSent { resend_at_ms, .. } if resend_at_ms > now_ms => ((resend_at_ms - now_ms) / 1000.0).ceil() as u32,
            _ => 0,
        }
    }

    /// The token the vote carries: `Ok(None)` for an anonymous vote, `Err`
    /// when the citizen chose (or the batch requires) a real name but has not
    /// finished verifying.
    pub fn vote_token(&self) -> Result<Option<String>, NotVerified> {
        match (&self.mode, &self.step) {
            (Mode::Anonymous, _) => Ok(None),
            (Mode::RealName, Step::Verified { token, .. }) => Ok(Some(token.clone())),
            (Mode::RealName, _) => Err(NotVerified),
        }
    }
}
