//! The sentence shown at a field for each protocol error code, in the
//! citizen's language, whether the error came from the widget's own check or
//! from the endpoint's 422.

use survey_protocol::field_error::field;
use survey_protocol::{Batch, FieldError, FieldErrorCode as Code};

use crate::i18n::{fill, Catalogue};

/// What to tell the citizen about one field error.
pub fn field_message(error: &FieldError, batch: &Batch, t: &Catalogue) -> String {
    let rule = batch.choices;
    let max_other = batch.other.map_or(0, |o| o.max_length);
    match (error.field.as_str(), error.code) {
        (field::PROVINCE, Code::Required) => t.err_province_required.to_owned(),
        (field::CITY, Code::Required) => t.err_city_required.to_owned(),
        (field::COUNTY, Code::Required) => t.err_county_required.to_owned(),
        (field::PROVINCE | field::CITY | field::COUNTY, Code::UnknownPlace | Code::InvalidFormat) => {
            t.err_place_unknown.to_owned()
        }
        (field::CHOICES, Code::Required | Code::TooFew) => fill(t.err_choices_too_few, &[("min", &rule.min.max(1))]),
        (field::CHOICES, Code::TooMany) => fill(t.err_choices_too_many, &[("max", &rule.max)]),
        (field::CHOICES, Code::UnknownOption | Code::DuplicateOption) => t.err_choices_unknown.to_owned(),
        (field::OTHER, Code::TooLong) => fill(t.err_other_too_long, &[("max", &max_other)]),
        (_, Code::NotAllowed) => t.err_not_allowed.to_owned(),
        // A code or field this widget does not know: the endpoint's own words.
        _ => error.message.clone(),
    }
}
