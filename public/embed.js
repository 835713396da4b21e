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
  #element = null;
  #pendingToken = null;

  connectedCallback() {
    if (this.#element) return;
    widget.then((module) => {
      if (this.#element) return;
      this.#element = module.mount_element(this, base.href);
      if (this.#pendingToken) this.#element.setVerificationToken(...this.#pendingToken);
    });
  }

  /// Hands in a verification token from the portal's own login; see
  /// docs/embedding.md. Never set a token as an attribute.
  setVerificationToken(token, displayName) {
    if (this.#element) this.#element.setVerificationToken(String(token), String(displayName ?? ''));
    else this.#pendingToken = [String(token), String(displayName ?? '')];
  }
}

if (!customElements.get('bottleneck-survey')) {
  customElements.define('bottleneck-survey', BottleneckSurvey);
}
