//! Host tests of the real-name steps and the checks made before anything
//! is sent.
#![cfg(not(target_arch = "wasm32"))]

use bottleneck_survey::real_name::{
    is_code, Identity, IdentityField as F, IdentityProblem as P, Mode, NotVerified, RealNameState, Step,
};
use survey_protocol::identity::IdNumberError;
use survey_protocol::RealName;

const TODAY: (i64, u32, u32) = (2026, 11, 29);

fn identity(name: &str, id_number: &str, phone: &str) -> Identity {
    Identity { name: name.into(), id_number: id_number.into(), phone: phone.into() }
}

#[test]
fn a_valid_identity_has_no_problems_and_is_sent_normalised() {
    let id = identity(" 张三 ", "11010519491231002x", "+86 138 0013 8000");
    assert_eq!(id.problems(TODAY), vec![]);
    let request = id.to_request("2018-3-social-medical");
    assert_eq!(request.name, "张三");
    assert_eq!(request.id_number, "11010519491231002X");
    assert_eq!(request.phone, "13800138000");
}

#[test]
fn each_field_gets_its_own_specific_problem() {
    assert_eq!(
        identity("", "", "").problems(TODAY),
        vec![(F::Name, P::Missing), (F::IdNumber, P::Missing), (F::Phone, P::Missing)]
    );
    assert_eq!(
        identity("张3", "110105194912310021", "12800138000").problems(TODAY),
        vec![(F::Name, P::NameInvalid), (F::IdNumber, P::IdNumber(IdNumberError::Checksum)), (F::Phone, P::PhoneInvalid)]
    );
    assert_eq!(
        identity("张三", "1101051949", "13800138000").problems(TODAY),
        vec![(F::IdNumber, P::IdNumber(IdNumberError::Length))]
    );
}

#[test]
fn the_identity_never_shows_in_debug_output() {
    let id = identity("张三", "11010519491231002X", "13800138000");
    let printed = format!("{id:?} {:?}", RealNameState { identity: id.clone(), ..RealNameState::for_batch(RealName::Required).unwrap() });
    for secret in ["张三", "11010519491231002X", "13800138000"] {
        assert!(!printed.contains(secret), "{printed}");
    }
}

#[test]
fn an_optional_batch_starts_anonymous_and_a_required_one_does_not() {
    assert_eq!(RealNameState::for_batch(RealName::Off), None);
    assert_eq!(RealNameState::for_batch(RealName::Optional).unwrap().mode, Mode::Anonymous);
    assert_eq!(RealNameState::for_batch(RealName::Required).unwrap().mode, Mode::RealName);
}

#[test]
fn a_real_name_vote_needs_a_token_and_an_anonymous_one_does_not() {
    let mut state = RealNameState::for_batch(RealName::Optional).unwrap();
    assert_eq!(state.vote_token(), Ok(None));
    state.set_mode(Mode::RealName);
    assert_eq!(state.vote_token(), Err(NotVerified));
    state.verified("tok".into(), "张*".into());
    assert_eq!(state.vote_token(), Ok(Some("tok".into())));
}

#[test]
fn receiving_the_token_forgets_name_id_number_and_phone() {
    let mut state = RealNameState::for_batch(RealName::Required).unwrap();
    state.identity = identity("张三", "11010519491231002X", "13800138000");
    state.verified("tok".into(), "张*".into());
    assert_eq!(state.identity, Identity::default());
    assert_eq!(state.step, Step::Verified { token: "tok".into(), display_name: "张*".into() });
}

#[test]
fn switching_to_anonymous_forgets_the_identity_and_the_consent() {
    let mut state = RealNameState::for_batch(RealName::Optional).unwrap();
    state.set_mode(Mode::RealName);
    state.consent = true;
    state.identity = identity("张三", "11010519491231002X", "13800138000");
    state.set_mode(Mode::Anonymous);
    assert!(!state.consent);
    assert_eq!(state.identity, Identity::default());
}

#[test]
fn a_refused_token_sends_the_citizen_back_to_verification() {
    let mut state = RealNameState::for_batch(RealName::Required).unwrap();
    state.verified("tok".into(), "张*".into());
    state.token_refused();
    assert_eq!(state.step, Step::Details);
    assert_eq!(state.vote_token(), Err(NotVerified));
}

#[test]
fn a_new_code_may_be_asked_for_once_the_wait_is_over() {
    let mut state = RealNameState::for_batch(RealName::Required).unwrap();
    state.code_sent("v1".into(), 60, 1_000.0);
    assert_eq!(state.resend_wait_s(1_000.0), 60);
    assert_eq!(state.resend_wait_s(30_500.0), 31);
    assert_eq!(state.resend_wait_s(61_000.0), 0);
}

#[test]
fn codes_are_six_digits() {
    assert!(is_code("482913"));
    assert!(is_code(" 482913 "));
    assert!(!is_code("48291"));
    assert!(!is_code("48291a"));
}

#[test]
fn each_identity_field_is_read_and_written_by_name_and_the_code_is_not_kept_there() {
    let mut id = Identity::default();
    id.set_field(F::IdNumber, "11010519491231002X".into());
    id.set_field(F::Code, "482913".into());
    assert_eq!(id.field(F::IdNumber), "11010519491231002X");
    assert_eq!(id.field(F::Code), "");
    assert_eq!(id, identity("", "11010519491231002X", ""));
}
