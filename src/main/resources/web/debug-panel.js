// @ts-check
/**
 * The debug panel. Its element ids are a stable interface for tests and users' scripts:
 * `status`, `results-count`, `dropped-count`, `slowdown-count`, `max-fps`, `sent-fps`, `drop-rate`,
 * `latencies`, `ws-url`.
 */

/**
 * @typedef {{
 *   status: string,
 *   results: number,
 *   dropped: number,
 *   slowdowns: number,
 *   maxFps: number,
 *   sentFps: number,
 *   dropRate: number,
 *   latencies: number[],
 *   url: string,
 *   inFlight: number,
 * }} PanelState
 */

export const PANEL_IDS = Object.freeze({
  status: 'status',
  results: 'results-count',
  dropped: 'dropped-count',
  slowdowns: 'slowdown-count',
  maxFps: 'max-fps',
  sentFps: 'sent-fps',
  dropRate: 'drop-rate',
  latencies: 'latencies',
  url: 'ws-url',
  inFlight: 'in-flight',
});

/**
 * The panel's text for each element, from the client's state (pure, for tests).
 * @param {PanelState} s
 * @returns {Record<keyof typeof PANEL_IDS, string>}
 */
export function panelText(s) {
  return {
    status: s.status,
    results: String(s.results),
    dropped: String(s.dropped),
    slowdowns: String(s.slowdowns),
    maxFps: formatFps(s.maxFps),
    sentFps: String(s.sentFps),
    dropRate: `${(s.dropRate * 100).toFixed(0)}%`,
    latencies: s.latencies.length ? s.latencies.map((l) => Math.round(l)).join(', ') + ' ms' : '–',
    url: s.url || '–',
    inFlight: String(s.inFlight),
  };
}

/** @param {number} fps */
function formatFps(fps) {
  return Number.isInteger(fps) ? String(fps) : fps.toFixed(1);
}

export class DebugPanel {
  /** @param {Document} doc */
  constructor(doc) {
    /** @type {Record<string, HTMLElement>} */
    this.elements = {};
    for (const [key, id] of Object.entries(PANEL_IDS)) {
      const el = doc.getElementById(id);
      if (!el) throw new Error(`debug panel element #${id} missing`);
      this.elements[key] = el;
    }
  }

  /** @param {PanelState} state */
  update(state) {
    const text = panelText(state);
    for (const [key, value] of Object.entries(text)) {
      const el = this.elements[key];
      if (el.textContent !== value) el.textContent = value;
    }
    this.elements.status.dataset.status = state.status;
  }
}
