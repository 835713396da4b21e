//! Real-name verification bodies. The request carries a citizen's name, ID
//! number and phone: its `Debug` prints none of them, so no log line or
//! error report can leak them by accident.

use std::fmt;

use serde::{Deserialize, Serialize};

/// `POST /verifications`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationRequest {
    pub batch_id: String,
    pub name: String,
    pub id_number: String,
    pub phone: String,
}

impl fmt::Debug for VerificationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerificationRequest")
            .field("batch_id", &self.batch_id)
            .field("name", &"[redacted]")
            .field("id_number", &"[redacted]")
            .field("phone", &"[redacted]")
            .finish()
    }
}

/// `201` from `POST /verifications`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationCreated {
    pub verification_id: String,
    /// How the code was sent; `sms` in protocol v1.
    pub method: String,
    /// RFC 3339: the code is refused after this.
    pub expires_at: String,
    /// Seconds before the client offers to send a new code.
    pub resend_after_s: u32,
}

/// `POST /verifications/{id}/confirm`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationConfirm {
    pub code: String,
}

impl fmt::Debug for VerificationConfirm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VerificationConfirm { code: [redacted] }")
    }
}

/// `200` from the confirmation: proof of identity for one batch.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    /// Opaque; sent as the vote's `verification_token`.
    pub token: String,
    /// RFC 3339.
    pub expires_at: String,
    /// The name as the widget may show it, e.g. `张*`.
    pub display_name: String,
}

impl fmt::Debug for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verified")
            .field("token", &"[redacted]")
            .field("expires_at", &self.expires_at)
            .field("display_name", &self.display_name)
            .finish()
    }
}
