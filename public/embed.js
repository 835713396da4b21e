// bottleneck-survey embed loader.
//
// On a portal page:
//   <script type="module" src="https://survey.example.gov.cn/embed.js"></script>
//   <bottleneck-survey endpoint="https://survey.example.gov.cn/api/v1"></bottleneck-survey>
//
// Loads the widget's module and wasm from next to this file once, then mounts
// one widget per <bottleneck-survey> element, in its own shadow root. No
// inline script or style is used anywhere: see docs/embedding.md for the
// Content-Security-Policy a page needs.
const base = new URL('./', import.meta.url);

const widget = import(new URL('bottleneck-survey.js', base).href).then(async (module) => {
  await module.default({ module_or_path: new URL('bottleneck-survey_bg.wasm', base) });
  return module;
});

class BottleneckSurvey extends HTMLElement {
  /// The attributes of docs/embedding.md: changing one mounts the widget anew.
  static observedAttributes = ['endpoint', 'lang', 'region', 'theme', 'results'];

  #element = null;
  #token = null;
  #stale = false;
  #queued = false;

  connectedCallback() {
    this.#sync();
  }

  disconnectedCallback() {
    this.#sync();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue) return;
    // A token is good only at the endpoint that issued it. (The first call,
    // for the attribute as written in the page, has no old value.)
    if (name === 'endpoint' && oldValue !== null) this.#token = null;
    if (!this.#element) return;
    this.#stale = true;
    this.#sync();
  }

  /// Hands in a verification token from the portal's own login; see
  /// docs/embedding.md. Never set a token as an attribute. Kept here so a
  /// widget mounted anew gets it too.
  setVerificationToken(token, displayName) {
    this.#token = [String(token), String(displayName ?? '')];
    if (this.#element) this.#element.setVerificationToken(...this.#token);
  }

  /// Brings the widget in line with the element once the current task is
  /// done: mounted while connected, with its attributes of now. A move
  /// (disconnected and connected again at once) or several attributes set
  /// together come to one step, or none.
  #sync() {
    if (this.#queued) return;
    this.#queued = true;
    widget.then((module) => {
      this.#queued = false;
      if (this.#element && (this.#stale || !this.isConnected)) {
        this.#element.unmount();
        this.#element = null;
      }
      this.#stale = false;
      if (!this.#element && this.isConnected) {
        this.#element = module.mount_element(this, base.href);
        if (this.#token) this.#element.setVerificationToken(...this.#token);
      }
    });
  }
}

if (!customElements.get('bottleneck-survey')) {
  customElements.define('bottleneck-survey', BottleneckSurvey);
}
