//! The only module that talks to the network. Components call these
//! functions with typed values and get typed results or the crate's
//! [`Error`]; no component builds a URL or looks at a status code.

use gloo_net::http::{Headers, Request, RequestBuilder, Response};
use survey_protocol::batch_check::is_valid_batch_id;
use survey_protocol::region_code::is_province_code;
use survey_protocol::regions::ProvinceFile;
use survey_protocol::{
    Batch, BatchList, Receipt, RegionResults, Results, VerificationCreated, VerificationRequest, Verified, Vote,
};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, ReadableStreamDefaultReader, RequestCredentials, RequestRedirect};

use crate::body_text::BodyText;
use crate::browser::{is_online, now_ms};
use crate::config::Config;
use crate::error::Error;
use crate::retry::parse_retry_after;
use crate::wire::{
    decode_batch, decode_batch_list, decode_province_file, decode_receipt, decode_region_results, decode_results,
    decode_verification_created, decode_verified, encode_confirm, encode_verification_request, encode_vote,
};

/// A request whose answer has not come in whole in this long is abandoned.
/// Long enough for a slow mobile connection, short enough that a hung or
/// trickling server does not leave a citizen staring at a spinner.
const TIMEOUT_MS: i32 = 20_000;

/// Endpoint calls of protocol v1 for one widget instance.
#[derive(Clone)]
pub struct Api {
    config: Config,
}

impl Api {
    pub fn new(config: Config) -> Self {
        Self { config }
    }

    fn endpoint_request(&self, builder: RequestBuilder) -> RequestBuilder {
        builder
            .header("Accept", "application/json")
            .header("Accept-Language", self.config.lang.tag())
            .credentials(RequestCredentials::Omit)
    }

    /// A JSON POST to `E` + `path`. Redirects are refused, not followed: a
    /// vote or a citizen's identity goes to the configured endpoint or
    /// nowhere.
    fn post(&self, path: &str) -> RequestBuilder {
        self.endpoint_request(Request::post(&self.config.endpoint.url(path)))
            .header("Content-Type", "application/json")
            .redirect(RequestRedirect::Error)
    }

    /// `GET E/batches/current`, checked against every batch rule, with the
    /// language its texts are in (`Content-Language`, else the one asked for).
    /// A request `embed.js` already started for the same address and
    /// language is taken over rather than sent again; any other is dropped.
    pub async fn current_batch(&self, prefetch: Option<Prefetch>) -> Result<(Batch, String), Error> {
        let url = self.config.endpoint.url("/batches/current");
        let answer = match prefetch {
            Some(prefetch) if prefetch.url() == url && prefetch.lang() == self.config.lang.tag() => {
                take_over(prefetch).await?
            }
            other => {
                if let Some(prefetch) = other {
                    prefetch.controller().abort();
                }
                exchange(self.endpoint_request(Request::get(&url)), None).await?
            }
        };
        match answer.status {
            200 => {
                let lang = self.content_lang(&answer);
                Ok((decode_batch(&answer.text?)?, lang))
            }
            404 => Err(Error::NoBatch),
            _ => Err(answer.error()),
        }
    }

    /// The language an answer's texts are in: its `Content-Language`, else
    /// the one asked for.
    fn content_lang(&self, answer: &Answer) -> String {
        answer
            .headers
            .get("content-language")
            .and_then(|v| v.split(',').next().map(|l| l.trim().to_owned()))
            .filter(|l| !l.is_empty() && l.len() <= 35 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
            .unwrap_or_else(|| self.config.lang.tag().to_owned())
    }

    /// A GET of `E` + `path` answered whole.
    async fn get(&self, path: &str) -> Result<Answer, Error> {
        exchange(self.endpoint_request(Request::get(&self.config.endpoint.url(path))), None).await
    }

    /// `GET E/batches/{id}`: an earlier batch, checked like the current one,
    /// with the language its texts are in.
    pub async fn batch(&self, batch_id: &str) -> Result<(Batch, String), Error> {
        // The id comes from the endpoint's list and goes into the path: only
        // what a batch id may hold (no `/`, `?` or `#`) is sent.
        if !is_valid_batch_id(batch_id) {
            return Err(Error::BadResponse);
        }
        let answer = self.get(&format!("/batches/{batch_id}")).await?;
        match answer.status {
            200 => {
                let lang = self.content_lang(&answer);
                Ok((decode_batch(&answer.text?)?, lang))
            }
            404 => Err(Error::NoBatch),
            _ => Err(answer.error()),
        }
    }

    /// `GET E/batches`: the batches of the action, newest first, with the
    /// language their titles are in; `None` when the endpoint does not
    /// offer the list (404: protocol v1 before the addition).
    pub async fn batches(&self) -> Result<Option<(BatchList, String)>, Error> {
        let answer = self.get("/batches").await?;
        match answer.status {
            200 => {
                let lang = self.content_lang(&answer);
                decode_batch_list(&answer.text?).map(|list| Some((list, lang))).map_err(|_| Error::BadResponse)
            }
            404 => Ok(None),
            _ => Err(answer.error()),
        }
    }

    /// `GET E/batches/{id}/results/regions`: each province's tallies, or with
    /// `cities_of` each city's of that province; `None` when the endpoint
    /// does not offer them (404: protocol v1 before the addition, or the
    /// batch's results are hidden). The widget then shows the whole
    /// country's results only.
    pub async fn region_results(&self, batch_id: &str, cities_of: Option<&str>) -> Result<Option<RegionResults>, Error> {
        // Written into the path: gloo's own query parameters would cost the
        // first download bindings of its own. (gloo ends a query it is given
        // in the path with `&`, which endpoints ignore.)
        let query = match cities_of {
            None => "level=province".to_owned(),
            Some(province) if is_province_code(province) => format!("level=city&province={province}"),
            Some(_) => return Ok(None),
        };
        let answer = self.get(&format!("/batches/{batch_id}/results/regions?{query}")).await?;
        match answer.status {
            200 => decode_region_results(&answer.text?).map(Some).map_err(|_| Error::BadResponse),
            404 => Ok(None),
            _ => Err(answer.error()),
        }
    }

    /// `POST E/votes`, with the vote id as the idempotency key so a retry of
    /// the same vote is counted once.
    pub async fn post_vote(&self, vote: &Vote) -> Result<Receipt, Error> {
        let request = self.post("/votes").header("Idempotency-Key", &vote.vote_id);
        let answer = exchange(request, Some(encode_vote(vote))).await?;
        match answer.status {
            200 | 201 => decode_receipt(&answer.text?).map_err(|_| Error::BadResponse),
            _ => Err(answer.error()),
        }
    }

    /// `GET E/batches/{id}/results`.
    pub async fn results(&self, batch_id: &str) -> Result<Results, Error> {
        let answer = self.get(&format!("/batches/{batch_id}/results")).await?;
        match answer.status {
            200 => decode_results(&answer.text?).map_err(|_| Error::BadResponse),
            _ => Err(answer.error()),
        }
    }

    /// `POST E/verifications`: the one request that carries a citizen's
    /// name, ID number and phone, refused before sending unless the endpoint
    /// is https (or a loopback address in development).
    pub async fn request_verification(&self, request: &VerificationRequest) -> Result<VerificationCreated, Error> {
        if !self.config.endpoint.allows_personal_data() {
            return Err(Error::InsecureEndpoint);
        }
        let answer = exchange(self.post("/verifications"), Some(encode_verification_request(request))).await?;
        match answer.status {
            201 => decode_verification_created(&answer.text?).map_err(|_| Error::BadResponse),
            _ => Err(answer.error()),
        }
    }

    /// `POST E/verifications/{id}/confirm`.
    pub async fn confirm_verification(&self, verification_id: &str, code: &str) -> Result<Verified, Error> {
        // The id goes into the path: letters, digits and hyphens only, so no
        // `..` or `/` from a hostile endpoint can redirect the request.
        let path_safe = verification_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if verification_id.is_empty() || verification_id.len() > 64 || !path_safe {
            return Err(Error::BadResponse);
        }
        let path = format!("/verifications/{verification_id}/confirm");
        let answer = exchange(self.post(&path), Some(encode_confirm(code.trim()))).await?;
        match answer.status {
            200 => decode_verified(&answer.text?).map_err(|_| Error::BadResponse),
            status => Err(Error::from_confirm_status(status, &answer.text.unwrap_or_default())),
        }
    }

    /// A province's cities and counties, from the widget's own static files.
    pub async fn province(&self, code: &str) -> Result<ProvinceFile, Error> {
        let url = format!("{}regions/{code}.json", self.config.assets_base);
        let answer = exchange(Request::get(&url), None).await?;
        match answer.status {
            200 => decode_province_file(&answer.text?).map_err(|_| Error::BadResponse),
            _ => Err(answer.error()),
        }
    }
}

/// What the endpoint answered: its status and headers, and its body read
/// whole or the reason it could not be.
struct Answer {
    status: u16,
    headers: Headers,
    text: Result<String, Error>,
}

impl Answer {
    /// The error an unexpected status stands for; the body, if it came, may
    /// say more (a problem's field errors), and a broken one says nothing.
    fn error(self) -> Error {
        let now_s = (now_ms() / 1000.0) as i64;
        let retry_after = self.headers.get("retry-after").and_then(|v| parse_retry_after(&v, now_s));
        Error::from_status(self.status, &self.text.unwrap_or_default(), retry_after)
    }
}

#[wasm_bindgen]
extern "C" {
    /// `GET E/batches/current` as `embed.js` starts it while the module
    /// downloads (`prefetchBatch` there): the address and language it was
    /// sent with, when it started (ms since the epoch), its abort
    /// controller, and the promise of its response. The widget holds it to
    /// the same rules as its own requests: one time limit from `started`,
    /// the same size cap.
    pub type Prefetch;
    #[wasm_bindgen(method, getter)]
    fn url(this: &Prefetch) -> String;
    #[wasm_bindgen(method, getter)]
    fn lang(this: &Prefetch) -> String;
    #[wasm_bindgen(method, getter)]
    fn started(this: &Prefetch) -> f64;
    #[wasm_bindgen(method, getter)]
    fn controller(this: &Prefetch) -> AbortController;
    #[wasm_bindgen(method, getter)]
    fn response(this: &Prefetch) -> js_sys::Promise;
}

/// Sends and reads the answer whole under one time limit, turning "no
/// answer" into [`Error::Network`], [`Error::Offline`] or [`Error::Timeout`]:
/// a server that sends its headers and then trickles the body is given up
/// on as surely as one that never answers.
async fn exchange(builder: RequestBuilder, body: Option<String>) -> Result<Answer, Error> {
    let controller = AbortController::new().map_err(|_| Error::Network)?;
    let signal = controller.signal();
    let builder = builder.abort_signal(Some(&signal));
    let request = match body {
        Some(body) => builder.body(body),
        None => builder.build(),
    }
    .map_err(|_| Error::Network)?;
    let _deadline = Deadline::start(TIMEOUT_MS, move || controller.abort())?;
    let response = request.send().await.map_err(|_| cut_off(&signal))?;
    read_answer(response, &signal).await
}

/// [`exchange`] for a request that `embed.js` started: the time limit
/// counts from when it was sent, so the whole answer still comes within it.
async fn take_over(prefetch: Prefetch) -> Result<Answer, Error> {
    let controller = prefetch.controller();
    let signal = controller.signal();
    let left_ms = (f64::from(TIMEOUT_MS) - (now_ms() - prefetch.started())).clamp(0.0, f64::from(TIMEOUT_MS));
    let _deadline = Deadline::start(left_ms as i32, move || controller.abort())?;
    let response = JsFuture::from(prefetch.response()).await.map_err(|_| cut_off(&signal))?;
    let response = response.dyn_into::<web_sys::Response>().map_err(|_| Error::Network)?;
    read_answer(Response::from(response), &signal).await
}

/// The status, headers and body of a response, the body read under the
/// caller's deadline (`signal` is aborted when it passes).
async fn read_answer(response: Response, signal: &AbortSignal) -> Result<Answer, Error> {
    let text = read_body(&response).await.map_err(|error| match error {
        Error::Network => cut_off(signal),
        other => other,
    });
    Ok(Answer { status: response.status(), headers: response.headers(), text })
}

/// Why an exchange stopped before its end.
fn cut_off(signal: &AbortSignal) -> Error {
    if signal.aborted() {
        Error::Timeout
    } else if !is_online() {
        Error::Offline
    } else {
        Error::Network
    }
}

/// Bodies larger than this are refused: no protocol answer comes near it,
/// and a hostile endpoint must not make a phone parse megabytes.
const MAX_BODY_BYTES: usize = 1 << 20;

/// Reads the body a piece at a time, and stops (cancelling the rest) as
/// soon as it passes [`MAX_BODY_BYTES`], whether or not a `Content-Length`
/// announced it.
async fn read_body(response: &Response) -> Result<String, Error> {
    let declared = response.headers().get("content-length").and_then(|v| v.trim().parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(Error::BadResponse);
    }
    let Some(stream) = response.body() else { return Ok(String::new()) };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut text = BodyText::new(MAX_BODY_BYTES);
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(|_| Error::Network)?;
        let done = js_sys::Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true);
        if done {
            return Ok(text.finish());
        }
        let piece = js_sys::Reflect::get(&chunk, &"value".into())
            .ok()
            .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
            .ok_or(Error::BadResponse)?;
        if text.push(&piece.to_vec()).is_err() {
            let _ = reader.cancel();
            return Err(Error::BadResponse);
        }
    }
}

/// A timer that aborts a request; cleared when dropped, so a request that
/// ends (or a component that goes away) never leaves it to fire later.
struct Deadline {
    handle: i32,
    _abort: Closure<dyn FnMut()>,
}

impl Deadline {
    fn start(after_ms: i32, abort: impl FnOnce() + 'static) -> Result<Self, Error> {
        let abort = Closure::once(abort);
        let handle = web_sys::window()
            .ok_or(Error::Network)?
            .set_timeout_with_callback_and_timeout_and_arguments_0(abort.as_ref().unchecked_ref(), after_ms)
            .map_err(|_| Error::Network)?;
        Ok(Self { handle, _abort: abort })
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            window.clear_timeout_with_handle(self.handle);
        }
    }
}
