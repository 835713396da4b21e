//! Element ids for the form's controls. Several widgets may share one page,
//! so every id carries the instance's prefix; the error summary links to a
//! control by the same id the protocol's field name maps to here.

use survey_protocol::field_error::field;

/// The ids of one widget instance's controls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormIds {
    prefix: String,
}

impl FormIds {
    /// Ids for the `n`th widget on the page.
    pub fn new(instance: usize) -> Self {
        Self { prefix: format!("bsv{instance}") }
    }

    /// The id of a named control, e.g. `province` → `bsv1-province`.
    pub fn of(&self, name: &str) -> String {
        format!("{}-{name}", self.prefix)
    }

    /// The id of the `index`th choice checkbox.
    pub fn choice(&self, index: usize) -> String {
        self.of(&format!("choice-{index}"))
    }

    /// The control an error in a protocol field should take the citizen to:
    /// for the choices, the first checkbox, as GOV.UK Frontend does.
    pub fn for_field(&self, protocol_field: &str) -> String {
        match protocol_field {
            field::PROVINCE => self.of("province"),
            field::CITY => self.of("city"),
            field::COUNTY => self.of("county"),
            field::OTHER => self.of("other"),
            field::VERIFICATION_TOKEN => self.of("real-name"),
            _ => self.choice(0),
        }
    }

    /// The id of the error message shown under a control.
    pub fn error_of(&self, control_id: &str) -> String {
        format!("{control_id}-error")
    }
}
