//! The checker against the reference collector on a real socket: as it is
//! (every rule passes, whatever the batch), behind layers that each break one
//! rule (that rule fails, no other), and as a binary.

mod binary;
mod broken;
mod layers;
mod reference;
mod support;
