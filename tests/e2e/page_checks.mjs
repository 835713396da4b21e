// Measurements and comparisons the accessibility tests share
// (accessibility.test.mjs, results_accessibility.test.mjs). The first two
// run inside the page, on the widget's open shadow root, and may use
// nothing outside themselves.

/**
 * Every piece of text the widget shows, with what the care-mode rules ask
 * about it: font size, line height, and contrast against the colour behind
 * it (WCAG relative luminance, opacity of the element and its ancestors
 * taken into account). `kind` is 'heading' (h1–h6 and fieldset legends),
 * 'field' (single-line select or input: line height does not apply) or 'text'.
 */
export function textStyles() {
  const root = document.querySelector('#bottleneck-survey').shadowRoot;
  const parse = (text) => {
    const match = /rgba?\(([^)]+)\)/.exec(text ?? '');
    if (!match) return null;
    const [r, g, b, a = 1] = match[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const luminance = ({ r, g, b }) => {
    const channel = (c) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const outward = function* (element) {
    for (let node = element; node; node = node.parentElement ?? node.getRootNode().host) yield node;
  };
  const out = [];
  for (const element of root.querySelectorAll('*')) {
    const tag = element.tagName.toLowerCase();
    const ownText = [...element.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '');
    const field = tag === 'select' || (tag === 'input' && !['checkbox', 'radio'].includes(element.type));
    if (!ownText && !field && tag !== 'textarea') continue;
    if (tag === 'option' || element.getClientRects().length === 0) continue;
    const style = getComputedStyle(element);
    if (style.visibility !== 'visible') continue;
    const layers = [];
    let opacity = 1;
    for (const node of outward(element)) {
      const nodeStyle = getComputedStyle(node);
      opacity *= Number(nodeStyle.opacity);
      const bg = parse(nodeStyle.backgroundColor);
      if (bg && bg.a > 0 && layers.every((l) => l.a < 1)) layers.push(bg);
    }
    const background = layers.reverse().reduce((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
    const ink = parse(style.color);
    const color = over({ ...ink, a: ink.a * opacity }, background);
    const [hi, lo] = [luminance(color), luminance(background)].sort((x, y) => y - x);
    const fontSize = parseFloat(style.fontSize);
    const heading = /^h[1-6]$/.test(tag) || (tag === 'legend' && element.classList.contains('bsv-fieldset__legend'));
    out.push({
      what: `<${tag} class="${element.className}">${(element.textContent || element.value || '').trim().slice(0, 24)}`,
      kind: heading ? 'heading' : field ? 'field' : 'text',
      disabled: element.closest(':disabled') !== null || element.matches(':disabled'),
      fontSize,
      lineHeight: style.lineHeight === 'normal' ? null : parseFloat(style.lineHeight),
      contrast: (hi + 0.05) / (lo + 0.05),
      color: style.color,
      background: `rgb(${background.r.toFixed(0)}, ${background.g.toFixed(0)}, ${background.b.toFixed(0)})`,
    });
  }
  return out;
}

/**
 * What sticks out sideways: the document's scroll width against the viewport,
 * and every rendered element of the widget wider than the viewport or
 * reaching past either edge.
 */
export function sidewaysOverflow() {
  const root = document.querySelector('#bottleneck-survey').shadowRoot;
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const element of root.querySelectorAll('*')) {
    if (element.getClientRects().length === 0) continue;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    if (rect.width > width + 0.5 || rect.left < -0.5 || rect.right > width + 0.5) {
      wide.push(`<${element.tagName.toLowerCase()} class="${element.className}"> left ${rect.left.toFixed(1)} right ${rect.right.toFixed(1)} width ${rect.width.toFixed(1)}`);
    }
  }
  return {
    width,
    innerWidth,
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    wide,
  };
}

/**
 * How many pixels two PNGs of the same size differ in, decoded by Chromium
 * in a blank page of its own.
 */
export async function differingPixels(browser, first, second) {
  const scratch = await browser.newPage();
  try {
    return await scratch.evaluate(async (pngs) => {
      const pixels = async (base64) => {
        const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))]));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d');
        context.drawImage(bitmap, 0, 0);
        return context.getImageData(0, 0, bitmap.width, bitmap.height).data;
      };
      const [a, b] = await Promise.all(pngs.map(pixels));
      if (a.length !== b.length) return Infinity;
      let count = 0;
      for (let i = 0; i < a.length; i += 4) {
        if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || a[i + 3] !== b[i + 3]) count += 1;
      }
      return count;
    }, [first.toString('base64'), second.toString('base64')]);
  } finally {
    await scratch.close();
  }
}

/** Pixels two shots of an unchanged screen may differ in: Chromium's antialiasing of a rounded corner varies from run to run. */
export const SCREENSHOT_JITTER_PX = 16;
