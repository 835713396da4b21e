//! How verification codes reach a citizen's phone.
//!
//! The collector sends through an [`SmsSender`]. It has one built in,
//! [`DevelopmentSms`], which sends nothing and writes the code to the log,
//! for development only (`--dev-sms`). A deployment that verifies real names
//! implements [`SmsSender`] for its SMS gateway (a provincial platform,
//! Aliyun, Tencent Cloud and so on), usually by filling the gateway's
//! approved template with [`CodeMessage::code`] and
//! [`CodeMessage::valid_for_minutes`], and hands it to
//! [`AppState::with_sms`](crate::AppState::with_sms). Without a sender,
//! `POST /verifications` answers 503.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// One verification code to send. Its `Debug` prints neither the phone
/// number nor the code.
#[derive(Clone)]
pub struct CodeMessage {
    /// A mainland mobile number, 11 digits (normalised: no `+86`, no spaces).
    pub phone: String,
    /// Six digits.
    pub code: String,
    /// The verification the code belongs to; random, not personal.
    pub verification_id: String,
    /// How long the code is accepted.
    pub valid_for_minutes: u32,
}

impl fmt::Debug for CodeMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeMessage")
            .field("phone", &"[redacted]")
            .field("code", &"[redacted]")
            .field("verification_id", &self.verification_id)
            .field("valid_for_minutes", &self.valid_for_minutes)
            .finish()
    }
}

/// Why a code could not be sent. The collector logs it and answers 503, so
/// it must not contain the phone number or the code.
#[derive(Debug)]
pub struct SmsError(pub String);

impl fmt::Display for SmsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SmsError {}

/// What [`SmsSender::send`] returns: boxed, so a sender can be a trait object.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SmsError>> + Send + 'a>>;

/// The extension point for a real SMS gateway.
///
/// `send` resolves once the gateway has accepted the message; the collector
/// answers the citizen only then. It should give up within a few seconds
/// (the citizen is waiting) and must not log or keep the phone number.
pub trait SmsSender: Send + Sync + 'static {
    fn send<'a>(&'a self, message: &'a CodeMessage) -> SendFuture<'a>;
}

/// The development sender: writes the code to the collector's log and sends
/// nothing. Never the phone number: a developer needs only the code.
#[derive(Clone, Copy, Debug, Default)]
pub struct DevelopmentSms;

impl SmsSender for DevelopmentSms {
    fn send<'a>(&'a self, message: &'a CodeMessage) -> SendFuture<'a> {
        tracing::warn!(
            "DEVELOPMENT SMS (no message was sent): verification {} code {}",
            message.verification_id,
            message.code
        );
        Box::pin(std::future::ready(Ok(())))
    }
}
