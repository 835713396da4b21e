//! Protocol types read from and written to JSON with [`crate::json`],
//! field by field, as protocol v1 defines them. Unknown fields are ignored;
//! a missing or mistyped field is named in the error, e.g.
//! `options[3].text: expected a string`. Host tests hold every function
//! here to the same answers serde gives on `docs/examples/`.

use survey_protocol::regions::{City, Division, ProvinceFile};
use survey_protocol::{
    Batch, BatchError, BatchFollowUp, BatchList, BatchOption, BatchStatus, BatchSummary, ChoiceRule, ClientInfo, FieldError,
    FieldErrorCode, FollowUp, FollowUpStatus, Location, LocationRule, OptionTally, OtherRule, RealName, Receipt, RegionLevel,
    RegionResults, RegionTally, Results, ResultsVisibility, VerificationCreated, VerificationRequest, Verified, Vote,
};

use crate::json::{parse, write_string, Json};
use crate::outbox::{Lease, OutboxEntry};
use crate::voted::VotedRecord;

/// What is wrong with a body's shape, naming the field.
pub type Shape = String;

/// A JSON object being read, with its path for error messages.
struct Obj<'a> {
    json: &'a Json,
    path: String,
}

impl<'a> Obj<'a> {
    fn new(json: &'a Json, path: &str) -> Result<Self, Shape> {
        match json {
            Json::Object(_) => Ok(Self { json, path: path.to_owned() }),
            _ => Err(format!("{path}: expected an object")),
        }
    }

    fn at(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_owned() } else { format!("{}.{key}", self.path) }
    }

    /// The member, absent and `null` alike being `None`.
    fn opt(&self, key: &str) -> Option<&'a Json> {
        self.json.get(key).filter(|v| **v != Json::Null)
    }

    fn req(&self, key: &str) -> Result<&'a Json, Shape> {
        self.opt(key).ok_or_else(|| format!("{}: missing", self.at(key)))
    }

    fn str(&self, key: &str) -> Result<String, Shape> {
        match self.req(key)? {
            Json::String(s) => Ok(s.clone()),
            _ => Err(format!("{}: expected a string", self.at(key))),
        }
    }

    fn opt_str(&self, key: &str) -> Result<Option<String>, Shape> {
        self.opt(key).map(|_| self.str(key)).transpose()
    }

    fn bool(&self, key: &str) -> Result<bool, Shape> {
        match self.req(key)? {
            Json::Bool(b) => Ok(*b),
            _ => Err(format!("{}: expected true or false", self.at(key))),
        }
    }

    fn int(&self, key: &str, max: u64) -> Result<u64, Shape> {
        self.req(key)?
            .as_u64()
            .filter(|n| *n <= max)
            .ok_or_else(|| format!("{}: expected a whole number up to {max}", self.at(key)))
    }

    fn opt_int(&self, key: &str, max: u64) -> Result<Option<u64>, Shape> {
        self.opt(key).map(|_| self.int(key, max)).transpose()
    }

    /// An optional object member.
    fn opt_obj(&self, key: &str) -> Result<Option<Obj<'a>>, Shape> {
        self.opt(key).map(|_| self.obj(key)).transpose()
    }

    fn obj(&self, key: &str) -> Result<Obj<'a>, Shape> {
        Obj::new(self.req(key)?, &self.at(key))
    }

    /// Each element of an array member, read by `item` with its own path.
    fn list<T>(&self, key: &str, item: impl Fn(&Json, &str) -> Result<T, Shape>) -> Result<Vec<T>, Shape> {
        list_of(self.req(key)?, &self.at(key), item)
    }

    /// A string member that must be one of `names`, mapped to its value.
    fn choice<T: Copy>(&self, key: &str, names: &[(&str, T)]) -> Result<T, Shape> {
        let value = self.str(key)?;
        names
            .iter()
            .find(|(name, _)| *name == value)
            .map(|(_, v)| *v)
            .ok_or_else(|| format!("{}: unknown value {value}", self.at(key)))
    }
}

/// Each element of an array, read by `item` with its own path.
fn list_of<T>(json: &Json, path: &str, item: impl Fn(&Json, &str) -> Result<T, Shape>) -> Result<Vec<T>, Shape> {
    let Json::Array(items) = json else {
        return Err(format!("{path}: expected a list"));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, value) in items.iter().enumerate() {
        out.push(item(value, &format!("{path}[{i}]"))?);
    }
    Ok(out)
}

fn u16_of(n: u64) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// Parses and checks a batch, as `GET /batches/current` returns it.
pub fn decode_batch(text: &str) -> Result<Batch, BatchError> {
    let json = parse(text).map_err(|_| BatchError::NotJson)?;
    let batch = batch(&json).map_err(BatchError::WrongShape)?;
    batch.check()?;
    Ok(batch)
}

fn batch(json: &Json) -> Result<Batch, Shape> {
    let o = Obj::new(json, "")?;
    let choices = o.obj("choices")?;
    let location = o.obj("location")?;
    let other = match o.opt_obj("other")? {
        Some(other) => Some(OtherRule { enabled: other.bool("enabled")?, max_length: u16_of(other.int("max_length", 65_535)?) }),
        None => None,
    };
    Ok(Batch {
        id: o.str("id")?,
        title: o.str("title")?,
        description: o.opt_str("description")?,
        status: o.choice("status", BATCH_STATUSES)?,
        opens_at: o.opt_str("opens_at")?,
        closes_at: o.opt_str("closes_at")?,
        choices: ChoiceRule { min: u16_of(choices.int("min", 65_535)?), max: u16_of(choices.int("max", 65_535)?) },
        options: o.list("options", |item, path| {
            let option = Obj::new(item, path)?;
            Ok(BatchOption {
                id: option.str("id")?,
                text: option.str("text")?,
                group: option.opt_str("group")?,
                follow_up: option.opt_obj("follow_up")?.as_ref().map(follow_up).transpose()?,
            })
        })?,
        other,
        location: LocationRule { levels: location.int("levels", 255)? as u8, required: location.bool("required")? },
        real_name: o.choice(
            "real_name",
            &[("off", RealName::Off), ("optional", RealName::Optional), ("required", RealName::Required)],
        )?,
        privacy_notice: o.opt_str("privacy_notice")?,
        results: o.choice(
            "results",
            &[
                ("hidden", ResultsVisibility::Hidden),
                ("after_vote", ResultsVisibility::AfterVote),
                ("always", ResultsVisibility::Always),
            ],
        )?,
        follow_up: o.opt_obj("follow_up")?.as_ref().map(batch_follow_up).transpose()?,
    })
}

const BATCH_STATUSES: &[(&str, BatchStatus)] =
    &[("open", BatchStatus::Open), ("closed", BatchStatus::Closed), ("upcoming", BatchStatus::Upcoming)];

/// An option's follow-up. A status this widget does not know is kept as
/// `Unknown` (and not shown), as serde's `#[serde(other)]` does: an endpoint
/// may add statuses within v1 without costing citizens the batch.
fn follow_up(o: &Obj) -> Result<FollowUp, Shape> {
    let status = match o.str("status")?.as_str() {
        "collecting" => FollowUpStatus::Collecting,
        "sent" => FollowUpStatus::Sent,
        "solved" => FollowUpStatus::Solved,
        _ => FollowUpStatus::Unknown,
    };
    Ok(FollowUp {
        status,
        regions_solved: o.opt_int("regions_solved", 65_535)?.map(u16_of),
        regions_total: o.opt_int("regions_total", 65_535)?.map(u16_of),
        note: o.opt_str("note")?,
        updated_at: o.str("updated_at")?,
    })
}

fn batch_follow_up(o: &Obj) -> Result<BatchFollowUp, Shape> {
    Ok(BatchFollowUp { summary: o.str("summary")?, updated_at: o.str("updated_at")? })
}

/// The receipt of a 200 or 201 from `POST /votes`.
pub fn decode_receipt(text: &str) -> Result<Receipt, Shape> {
    let json = parse(text).map_err(|e| e.to_string())?;
    let o = Obj::new(&json, "")?;
    Ok(Receipt {
        vote_id: o.str("vote_id")?,
        receipt: o.str("receipt")?,
        real_name: o.bool("real_name")?,
        counted_at: o.str("counted_at")?,
    })
}

/// The tallies of `GET /batches/{id}/results`.
pub fn decode_results(text: &str) -> Result<Results, Shape> {
    let json = parse(text).map_err(|e| e.to_string())?;
    let o = Obj::new(&json, "")?;
    Ok(Results {
        batch_id: o.str("batch_id")?,
        total: o.int("total", u64::MAX)?,
        real_name_total: o.int("real_name_total", u64::MAX)?,
        options: o.list("options", tally)?,
        updated_at: o.str("updated_at")?,
    })
}

fn tally(item: &Json, path: &str) -> Result<OptionTally, Shape> {
    let tally = Obj::new(item, path)?;
    Ok(OptionTally { id: tally.str("id")?, votes: tally.int("votes", u64::MAX)? })
}

/// The tallies by region of `GET /batches/{id}/results/regions`.
pub fn decode_region_results(text: &str) -> Result<RegionResults, Shape> {
    let json = parse(text).map_err(|e| e.to_string())?;
    let o = Obj::new(&json, "")?;
    Ok(RegionResults {
        batch_id: o.str("batch_id")?,
        level: o.choice("level", &[("province", RegionLevel::Province), ("city", RegionLevel::City)])?,
        province: o.opt_str("province")?,
        min_votes: o.int("min_votes", u64::MAX)?,
        regions: o.list("regions", |item, path| {
            let region = Obj::new(item, path)?;
            Ok(RegionTally {
                code: region.str("code")?,
                total: region.int("total", u64::MAX)?,
                real_name_total: region.int("real_name_total", u64::MAX)?,
                options: region.list("options", tally)?,
            })
        })?,
        updated_at: o.str("updated_at")?,
    })
}

/// The batches of the action, `GET /batches`.
pub fn decode_batch_list(text: &str) -> Result<BatchList, Shape> {
    let json = parse(text).map_err(|e| e.to_string())?;
    let o = Obj::new(&json, "")?;
    Ok(BatchList {
        batches: o.list("batches", |item, path| {
            let b = Obj::new(item, path)?;
            Ok(BatchSummary {
                id: b.str("id")?,
                title: b.str("title")?,
                status: b.choice("status", BATCH_STATUSES)?,
                opens_at: b.opt_str("opens_at")?,
                closes_at: b.opt_str("closes_at")?,
                total: b.opt_int("total", u64::MAX)?,
                real_name_total: b.opt_int("real_name_total", u64::MAX)?,
                follow_up: b.opt_obj("follow_up")?.as_ref().map(batch_follow_up).transpose()?,
            })
        })?,
    })
}

/// The `errors` of a 422 problem; empty when the body has none or is not one.
pub fn decode_field_errors(text: &str) -> Vec<FieldError> {
    let Ok(json) = parse(text) else { return Vec::new() };
    let Ok(o) = Obj::new(&json, "") else { return Vec::new() };
    o.list("errors", |item, path| {
        let e = Obj::new(item, path)?;
        Ok(FieldError { field: e.str("field")?, code: field_error_code(&e.str("code")?), message: e.str("message")? })
    })
    .unwrap_or_default()
}

fn field_error_code(code: &str) -> FieldErrorCode {
    use FieldErrorCode as C;
    match code {
        "required" => C::Required,
        "too_few" => C::TooFew,
        "too_many" => C::TooMany,
        "unknown_option" => C::UnknownOption,
        "duplicate_option" => C::DuplicateOption,
        "too_long" => C::TooLong,
        "not_allowed" => C::NotAllowed,
        "invalid_format" => C::InvalidFormat,
        "unknown_place" => C::UnknownPlace,
        "key_reused" => C::KeyReused,
        "wrong_code" => C::WrongCode,
        _ => C::Unrecognised,
    }
}

fn division(json: &Json, path: &str) -> Result<Division, Shape> {
    let o = Obj::new(json, path)?;
    Ok(Division { code: o.str("code")?, name: o.str("name")? })
}

/// `regions/provinces.json`.
pub fn decode_provinces(text: &str) -> Result<Vec<Division>, Shape> {
    list_of(&parse(text).map_err(|e| e.to_string())?, "", division)
}

/// `regions/{code}.json`.
pub fn decode_province_file(text: &str) -> Result<ProvinceFile, Shape> {
    let json = parse(text).map_err(|e| e.to_string())?;
    let o = Obj::new(&json, "")?;
    Ok(ProvinceFile {
        code: o.str("code")?,
        name: o.str("name")?,
        cities: o.list("cities", |item, path| {
            let city = Obj::new(item, path)?;
            Ok(City { code: city.str("code")?, name: city.str("name")?, counties: city.list("counties", division)? })
        })?,
    })
}

/// A stored [`VotedRecord`].
pub fn decode_voted_record(text: &str) -> Result<VotedRecord, Shape> {
    let json = parse(text).map_err(|e| e.to_string())?;
    let o = Obj::new(&json, "")?;
    Ok(VotedRecord {
        receipt: o.str("receipt")?,
        counted_at: o.str("counted_at")?,
        province: o.opt_str("province")?,
        city: o.opt_str("city")?,
    })
}

/// Writes `"key":value` members into an object being built.
struct ObjWriter {
    out: String,
}

impl ObjWriter {
    fn new() -> Self {
        Self { out: String::from("{") }
    }

    fn key(&mut self, key: &str) -> &mut String {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        write_string(&mut self.out, key);
        self.out.push(':');
        &mut self.out
    }

    fn str(&mut self, key: &str, value: &str) {
        write_string(self.key(key), value);
    }

    fn opt_str(&mut self, key: &str, value: Option<&str>) {
        match value {
            Some(v) => self.str(key, v),
            None => self.key(key).push_str("null"),
        }
    }

    fn raw(&mut self, key: &str, json: &str) {
        self.key(key).push_str(json);
    }

    fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

fn vote(json: &Json) -> Result<Vote, Shape> {
    let o = Obj::new(json, "vote")?;
    let location = o.obj("location")?;
    let client = o.obj("client")?;
    Ok(Vote {
        batch_id: o.str("batch_id")?,
        vote_id: o.str("vote_id")?,
        location: Location {
            province: location.opt_str("province")?,
            city: location.opt_str("city")?,
            county: location.opt_str("county")?,
        },
        choices: o.list("choices", |item, path| match item {
            Json::String(id) => Ok(id.clone()),
            _ => Err(format!("{path}: expected a string")),
        })?,
        other: o.opt_str("other")?,
        verification_token: o.opt_str("verification_token")?,
        client: ClientInfo {
            widget_version: client.str("widget_version")?,
            locale: client.str("locale")?,
            embed_origin: client.opt_str("embed_origin")?,
        },
    })
}

/// An [`OutboxEntry`] as kept in storage.
pub fn decode_outbox_entry(text: &str) -> Result<OutboxEntry, Shape> {
    let json = parse(text).map_err(|e| e.to_string())?;
    let o = Obj::new(&json, "")?;
    let lease = o
        .opt("lease")
        .map(|_| {
            let lease = o.obj("lease")?;
            Ok::<_, Shape>(Lease { owner: lease.str("owner")?, until_ms: lease.int("until_ms", u64::MAX)? as f64 })
        })
        .transpose()?;
    Ok(OutboxEntry {
        vote: vote(o.req("vote")?)?,
        attempts: u32::try_from(o.int("attempts", u64::from(u32::MAX))?).unwrap_or(u32::MAX),
        next_try_ms: o.int("next_try_ms", u64::MAX)? as f64,
        lease,
    })
}

/// An [`OutboxEntry`] for storage: times as whole milliseconds.
pub fn encode_outbox_entry(entry: &OutboxEntry) -> String {
    let mut o = ObjWriter::new();
    o.raw("vote", &encode_vote(&entry.vote));
    o.raw("attempts", &entry.attempts.to_string());
    o.raw("next_try_ms", &(entry.next_try_ms.max(0.0) as u64).to_string());
    match &entry.lease {
        Some(lease) => {
            let mut l = ObjWriter::new();
            l.str("owner", &lease.owner);
            l.raw("until_ms", &(lease.until_ms.max(0.0) as u64).to_string());
            o.raw("lease", &l.finish());
        }
        None => o.raw("lease", "null"),
    }
    o.finish()
}

/// The body of `POST /votes`. Optional members the vote lacks are left out,
/// as the protocol's examples do; the location's levels are always present.
pub fn encode_vote(vote: &Vote) -> String {
    let mut location = ObjWriter::new();
    location.opt_str("province", vote.location.province.as_deref());
    location.opt_str("city", vote.location.city.as_deref());
    location.opt_str("county", vote.location.county.as_deref());
    let mut choices = String::from("[");
    for (i, id) in vote.choices.iter().enumerate() {
        if i > 0 {
            choices.push(',');
        }
        write_string(&mut choices, id);
    }
    choices.push(']');
    let mut client = ObjWriter::new();
    client.str("widget_version", &vote.client.widget_version);
    client.str("locale", &vote.client.locale);
    client.opt_str("embed_origin", vote.client.embed_origin.as_deref());

    let mut body = ObjWriter::new();
    body.str("batch_id", &vote.batch_id);
    body.str("vote_id", &vote.vote_id);
    body.raw("location", &location.finish());
    body.raw("choices", &choices);
    if let Some(other) = &vote.other {
        body.str("other", other);
    }
    if let Some(token) = &vote.verification_token {
        body.str("verification_token", token);
    }
    body.raw("client", &client.finish());
    body.finish()
}

/// A [`VotedRecord`] for storage; a place it lacks is left out, as records
/// written before places were kept lack it.
pub fn encode_voted_record(record: &VotedRecord) -> String {
    let mut o = ObjWriter::new();
    o.str("receipt", &record.receipt);
    o.str("counted_at", &record.counted_at);
    for (key, code) in [("province", &record.province), ("city", &record.city)] {
        if let Some(code) = code {
            o.str(key, code);
        }
    }
    o.finish()
}

/// The 201 of `POST /verifications`.
pub fn decode_verification_created(text: &str) -> Result<VerificationCreated, Shape> {
    let json = parse(text).map_err(|e| e.to_string())?;
    let o = Obj::new(&json, "")?;
    Ok(VerificationCreated {
        verification_id: o.str("verification_id")?,
        method: o.str("method")?,
        expires_at: o.str("expires_at")?,
        resend_after_s: u32::try_from(o.int("resend_after_s", u64::from(u32::MAX))?).unwrap_or(u32::MAX),
    })
}

/// The 200 of `POST /verifications/{id}/confirm`.
pub fn decode_verified(text: &str) -> Result<Verified, Shape> {
    let json = parse(text).map_err(|e| e.to_string())?;
    let o = Obj::new(&json, "")?;
    Ok(Verified { token: o.str("token")?, expires_at: o.str("expires_at")?, display_name: o.str("display_name")? })
}

/// The body of `POST /verifications`: the only place name, ID number and
/// phone are ever written.
pub fn encode_verification_request(request: &VerificationRequest) -> String {
    let mut o = ObjWriter::new();
    o.str("batch_id", &request.batch_id);
    o.str("name", &request.name);
    o.str("id_number", &request.id_number);
    o.str("phone", &request.phone);
    o.finish()
}

/// The body of `POST /verifications/{id}/confirm`.
pub fn encode_confirm(code: &str) -> String {
    let mut o = ObjWriter::new();
    o.str("code", code);
    o.finish()
}
