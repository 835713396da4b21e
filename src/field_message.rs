//! The sentence shown at a field for each protocol error code, in the
//! citizen's language, whether the error came from the widget's own check or
//! from the endpoint's 422.

use survey_protocol::field_error::field;
use survey_protocol::identity::IdNumberError;
use survey_protocol::{Batch, FieldError, FieldErrorCode as Code, RealName};

use crate::i18n::real_name::RealNameCatalogue;
use crate::i18n::{fill, Catalogue};
use crate::real_name::{IdentityField, IdentityProblem};

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
        (field::VERIFICATION_TOKEN, _) if batch.real_name == RealName::Required => t.err_verify_first_required.to_owned(),
        (field::VERIFICATION_TOKEN, _) => t.err_verify_first.to_owned(),
        (_, Code::NotAllowed) => t.err_not_allowed.to_owned(),
        // A code or field this widget does not know: the endpoint's own words.
        _ => error.message.clone(),
    }
}

/// What to tell the citizen about a problem with a real-name field.
pub fn identity_message(field: IdentityField, problem: IdentityProblem, t: &RealNameCatalogue) -> &'static str {
    use IdentityField as F;
    use IdentityProblem as P;
    match (field, problem) {
        (F::Name, P::Missing) => t.err_name_missing,
        (F::Name, _) => t.err_name_invalid,
        (F::IdNumber, P::Missing) => t.err_id_missing,
        (F::IdNumber, P::IdNumber(IdNumberError::Length)) => t.err_id_length,
        (F::IdNumber, P::IdNumber(IdNumberError::Characters)) => t.err_id_characters,
        (F::IdNumber, P::IdNumber(IdNumberError::Region)) => t.err_id_region,
        (F::IdNumber, P::IdNumber(IdNumberError::BirthDate)) => t.err_id_birth_date,
        (F::IdNumber, _) => t.err_id_checksum,
        (F::Phone, P::Missing) => t.err_phone_missing,
        (F::Phone, _) => t.err_phone_invalid,
        (F::Code, P::CodeWrong) => t.err_code_wrong,
        (F::Code, _) => t.err_code_invalid,
    }
}

/// The problem an endpoint's 422 reports for an identity field.
pub fn identity_problem_from(error: &FieldError) -> Option<(IdentityField, IdentityProblem)> {
    let field = IdentityField::from_protocol(&error.field)?;
    let problem = match (field, error.code) {
        (IdentityField::Code, Code::WrongCode) => IdentityProblem::CodeWrong,
        (IdentityField::Code, _) => IdentityProblem::CodeInvalid,
        (IdentityField::Name, _) => IdentityProblem::NameInvalid,
        (IdentityField::IdNumber, _) => IdentityProblem::IdNumber(IdNumberError::Checksum),
        (IdentityField::Phone, _) => IdentityProblem::PhoneInvalid,
    };
    Some((field, problem))
}
