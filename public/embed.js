// bottleneck-survey embed loader.
//
// On a portal page:
//   <script type="module" src="https://survey.example.gov.cn/embed.js"></script>
//   <bottleneck-survey endpoint="https://survey.example.gov.cn/api/v1"></bottleneck-survey>
//
// Loads the widget's module and wasm from next to this file once, then mounts
// one widget per <bottleneck-survey> element, in its own shadow root, and the
// standalone page's widget (index.html). While the module downloads, it
// already asks each widget's endpoint for the current batch, so that the
// answer is there when the wasm is. No inline script or style is used
// anywhere: see docs/embedding.md for the Content-Security-Policy a page needs.
const base = new URL('./', import.meta.url);

// The wasm is asked for now, alongside the JS glue rather than after it
// (on the standalone page this is the request index.html preloads).
const wasm = fetch(new URL('bottleneck-survey_bg.wasm', base));
const widget = import(new URL('bottleneck-survey.js', base).href).then(async (module) => {
  await module.default({ module_or_path: wasm });
  // Mounting starts a task of its own: one task for instantiating the
  // module and drawing the widget is long enough to hold up a phone.
  await new Promise((resolve) => setTimeout(resolve, 0));
  return module;
});

/// The widget's language for a requested tag and the browser's languages,
/// as src/config.rs negotiates it (Lang::negotiate).
function negotiateLang(requested) {
  const spoken = (tag) => {
    const primary = String(tag ?? '').trim().split(/[-_]/)[0].toLowerCase();
    return primary === 'zh' ? 'zh-CN' : primary === 'en' ? 'en' : null;
  };
  return spoken(requested) ?? navigator.languages.map(spoken).find(Boolean) ?? 'zh-CN';
}

/// Starts `GET E/batches/current` as the widget would send it (api.rs), for
/// the widget to take over once it runs: the same address, headers and
/// deadline. Nothing is sent for an endpoint the widget would refuse (see
/// Endpoint::parse); the widget drops a request whose address or language
/// is not the one it wants, and sends its own.
function prefetchBatch(rawEndpoint, lang) {
  const raw = String(rawEndpoint ?? '').trim();
  const path = raw.startsWith('/') && !raw.startsWith('//');
  if (!raw || /[?# ]/.test(raw) || !(path || /^https?:\/\/[^/]/i.test(raw))) return undefined;
  const url = `${new URL(raw, location.href).href.replace(/\/+$/, '')}/batches/current`;
  const controller = new AbortController();
  const response = fetch(url, {
    headers: { Accept: 'application/json', 'Accept-Language': lang },
    credentials: 'omit',
    signal: controller.signal,
  });
  // Whoever takes it over handles a failure; one never taken over is no error.
  response.catch(() => {});
  return { url, lang, started: Date.now(), controller, response };
}

/// Until its widget mounts, an element keeps a screen's height, as the
/// page's `bottleneck-survey:not(:defined)` rule did before this script ran
/// (docs/embedding.md): the form is taller than that on any screen, so
/// nothing below the element moves when it appears. A constructed sheet,
/// which a strict Content-Security-Policy allows; the widget's own replaces it.
const reserved = (() => {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(':host{display:block;min-height:100vh}');
    return sheet;
  } catch {
    return null; // Safari before 16.4: no reservation, the widget still mounts.
  }
})();

class BottleneckSurvey extends HTMLElement {
  /// The attributes of docs/embedding.md: changing one mounts the widget anew.
  static observedAttributes = ['endpoint', 'lang', 'region', 'theme', 'results'];

  #element = null;
  #token = null;
  #stale = false;
  #queued = false;
  #prefetch = undefined;

  connectedCallback() {
    if (!this.shadowRoot && reserved) this.attachShadow({ mode: 'open' }).adoptedStyleSheets = [reserved];
    // The first mount's batch request starts now, not once the wasm is here.
    if (!this.#element && !this.#prefetch) {
      this.#prefetch = prefetchBatch(this.getAttribute('endpoint'), negotiateLang(this.getAttribute('lang')));
    }
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
        const prefetch = this.#prefetch;
        this.#prefetch = null;
        this.#element = module.mount_element(this, base.href, prefetch);
        if (this.#token) this.#element.setVerificationToken(...this.#token);
      }
    });
  }
}

if (!customElements.get('bottleneck-survey')) {
  customElements.define('bottleneck-survey', BottleneckSurvey);
}

// The standalone page (index.html): one widget, set by the page's query.
const page = document.querySelector('#bottleneck-survey[data-standalone]');
if (page) {
  const query = new URLSearchParams(location.search);
  const prefetch = prefetchBatch(query.get('endpoint') || '/api/v1', negotiateLang(query.get('lang')));
  widget.then((module) => module.mount_page(page, prefetch));
}
