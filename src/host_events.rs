//! The DOM events a host page can listen for on the widget's element:
//! `survey-loaded`, `survey-submitted` and `survey-error`. They bubble and
//! cross the shadow boundary (`composed`), and their `detail` never holds
//! personal data: a batch id, a receipt, an error kind and sentence.

use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

/// Dispatches the widget's events on its host element.
#[derive(Clone)]
pub struct HostEvents {
    host: send_wrapper::SendWrapper<HtmlElement>,
}

impl HostEvents {
    pub fn new(host: HtmlElement) -> Self {
        Self { host: send_wrapper::SendWrapper::new(host) }
    }

    fn dispatch(&self, name: &str, detail: &[(&str, &str)]) {
        let object = js_sys::Object::new();
        for (key, value) in detail {
            let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
        }
        let init = CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&object);
        if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
            let _ = self.host.dispatch_event(&event);
        }
    }

    /// The batch loaded; `status` is `open`, `closed` or `upcoming`.
    pub fn loaded(&self, batch_id: &str, status: &str) {
        self.dispatch("survey-loaded", &[("batch_id", batch_id), ("status", status)]);
    }

    /// A vote was counted.
    pub fn submitted(&self, batch_id: &str, receipt: &str) {
        self.dispatch("survey-submitted", &[("batch_id", batch_id), ("receipt", receipt)]);
    }

    /// Something failed that the citizen was told about; `kind` is `config`,
    /// `batch` or `vote`, `message` the sentence shown.
    pub fn error(&self, kind: &str, message: &str) {
        self.dispatch("survey-error", &[("kind", kind), ("message", message)]);
    }
}
