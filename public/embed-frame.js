// bottleneck-survey iframe resizer, for portals that only allow iframes.
//
//   <iframe data-bottleneck-survey title="群众办事堵点征集"
//     src="https://survey.example.gov.cn/?endpoint=…&parent_origin=https://www.portal.gov.cn"></iframe>
//   <script src="https://survey.example.gov.cn/embed-frame.js" defer></script>
//
// The framed page posts {type: "bottleneck-survey:resize", height} whenever
// its content changes height; this sets the frame's height to match, so it
// never shows a scrollbar. A message counts only if it comes from the frame's
// own window and origin.
(() => {
  const frames = () => document.querySelectorAll('iframe[data-bottleneck-survey]');
  const fit = (frame) => {
    frame.style.border = '0';
    frame.style.width = '100%';
    frame.style.display = 'block';
  };
  const start = () => frames().forEach(fit);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
  window.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || data.type !== 'bottleneck-survey:resize' || !Number.isFinite(data.height)) return;
    for (const frame of frames()) {
      if (frame.contentWindow !== event.source) continue;
      if (new URL(frame.src, location.href).origin !== event.origin) return;
      frame.style.height = `${Math.ceil(data.height)}px`;
    }
  });
})();
