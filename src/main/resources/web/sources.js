// @ts-check
/**
 * The "Sources" panel: live cameras the server pulls itself (docs/sources.md). Add a URL with a
 * pipeline, see every source's state and counters (polled from GET /sources), watch one: its answers
 * over /ws/sources/{id} drive the overlay, drawn over a low-rate JPEG preview (preview.jpg, polled;
 * no video transport). Self-contained: it mounts itself into #sources-panel and needs nothing from
 * app.js.
 */
import { Overlay, summarize } from './overlay.js';
import { inRequestOrder } from './in-order.js';
import { el } from './dom.js';

const POLL_MS = 1000;
const PREVIEW_MS = 500;

/**
 * The watcher URL of a source, same host and scheme family as the page.
 * @param {{protocol: string, host: string}} loc
 * @param {string} id
 */
export function sourceWatchUrl(loc, id) {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws/sources/${encodeURIComponent(id)}`;
}

/**
 * `GET /sources`; rejects when the server cannot be reached or refuses.
 * @param {(url: string, init?: {headers?: Record<string, string>}) => Promise<{ok: boolean, status: number, json(): Promise<any>}>} fetchFn
 * @returns {Promise<any[]>}
 */
export async function fetchSources(fetchFn) {
  const response = await fetchFn('/sources', { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET /sources: HTTP ${response.status}`);
  return response.json();
}

/**
 * One line of counters for a source's status.
 * @param {any} s a GET /sources entry
 */
export function sourceCounters(s) {
  const size = s.width && s.height ? ` · ${s.width}×${s.height}` : '';
  return `${s.frames_processed} processed · ${s.frames_dropped} dropped · ${s.frames_decoded} decoded` +
    ` · ${Number(s.fps).toFixed(1)} fps${size}` + (s.reconnects ? ` · ${s.reconnects} reconnects` : '');
}

/**
 * What one watcher has seen: counts of results and dropped answers, the latest result, the error
 * that ended it. Pure, so the page and the tests share it.
 * @param {{results: number, dropped: number, lastIndex: number, lastResult: any, error: string | null}} state
 * @param {any} answer one message of /ws/sources/{id}, parsed
 */
export function applyAnswer(state, answer) {
  if (answer && typeof answer.error === 'string') {
    return { ...state, error: answer.detail ? `${answer.error}: ${answer.detail}` : answer.error };
  }
  if (answer && answer.dropped === true) {
    return { ...state, dropped: state.dropped + 1 };
  }
  if (answer && typeof answer.frame_index === 'number' && 'result' in answer) {
    return { ...state, results: state.results + 1, lastIndex: answer.frame_index, lastResult: answer.result };
  }
  return state;
}

export function emptyWatch() {
  return { results: 0, dropped: 0, lastIndex: -1, lastResult: null, error: null };
}

/**
 * Loads an image into the browser's cache; resolves with its URL once it can be shown at once.
 * @param {string} src
 * @returns {Promise<string>}
 */
function loadImage(src) {
  return new Promise((resolve, reject) => {
    const next = new Image();
    next.onload = () => resolve(src);
    next.onerror = () => reject(new Error(`could not load ${src}`));
    next.src = src;
  });
}

class SourcesPanel {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    this.url = /** @type {HTMLInputElement} */ (el('input', {
      id: 'source-url', type: 'url', placeholder: 'rtsp://user:pass@camera/stream', 'aria-label': 'Source URL',
    }));
    this.pipeline = /** @type {HTMLSelectElement} */ (el('select', { id: 'source-pipeline', 'aria-label': 'Source pipeline' }));
    this.add = el('button', { id: 'source-add', type: 'submit', class: 'primary' }, ['Add']);
    this.message = el('p', { id: 'source-message', class: 'sources-message', role: 'status' });
    this.list = el('ul', { id: 'sources-list', class: 'sources-list' });
    this.img = /** @type {HTMLImageElement} */ (el('img', { id: 'source-preview', alt: 'source preview' }));
    this.canvas = /** @type {HTMLCanvasElement} */ (el('canvas', { id: 'source-overlay' }));
    this.watchInfo = el('p', { id: 'source-watch-info', class: 'summary' }, ['\u00a0']);
    this.viewer = el('div', { id: 'source-viewer', class: 'sources-viewer', hidden: '' }, [
      el('div', { class: 'viewport' }, [this.img, this.canvas]), this.watchInfo]);
    const form = el('form', { class: 'sources-form' }, [this.url, this.pipeline, this.add]);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.create();
    });
    root.append(el('h2', {}, ['Sources']), form, this.message, this.list, this.viewer);
    this.overlay = new Overlay(this.canvas);
    /** @type {WebSocket | null} */
    this.socket = null;
    /** @type {string | null} */
    this.watching = null;
    this.watch = emptyWatch();
    /** @type {any[]} */
    this.sources = [];
    /** @type {Map<string, HTMLElement>} */
    this.rows = new Map();
    // A poll can be out while a delete's refresh starts: its late answer would list the deleted
    // source again, so answers are shown in request order (web/in-order.js).
    this.listSources = inRequestOrder(() => fetchSources(fetch), (sources) => this.showSources(sources));
    // Likewise the previews: an older one that loads late would step the picture back, or show the
    // source watched before.
    this.showPreview = inRequestOrder(
      (/** @type {string} */ src, /** @type {string} */ _id) => loadImage(src),
      (loaded, _src, id) => {
        if (this.watching === id) this.img.src = loaded;
      });
  }

  async start() {
    try {
      const response = await fetch('/pipelines', { headers: { Accept: 'application/json' } });
      const pipelines = response.ok ? await response.json() : [];
      for (const p of pipelines) this.pipeline.add(new Option(p.id, p.id));
    } catch (e) {
      console.warn('framewire: could not list pipelines for sources', e);
    }
    await this.refresh();
    setInterval(() => void this.refresh(), POLL_MS);
    setInterval(() => this.reloadPreview(), PREVIEW_MS);
  }

  async create() {
    this.message.textContent = '';
    const body = JSON.stringify({ url: this.url.value.trim(), pipeline_id: this.pipeline.value });
    try {
      const response = await fetch('/sources', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      const answer = await response.json();
      if (!response.ok) {
        this.message.textContent = answer.detail || answer.error || `HTTP ${response.status}`;
        return;
      }
      this.url.value = '';
      this.listSources.dropEarlier(); // a poll's list from before the add would not have it
      await this.refresh();
      this.startWatching(answer.id);
    } catch (e) {
      this.message.textContent = `Could not add the source: ${e}`;
    }
  }

  /** @param {string} id */
  async remove(id) {
    const response = await fetch(`/sources/${encodeURIComponent(id)}`, { method: 'DELETE' });
    if (!response.ok && response.status !== 404) {
      const answer = await response.json().catch(() => ({}));
      this.message.textContent = answer.detail || `HTTP ${response.status}`;
    }
    if (this.watching === id) this.stopWatching();
    this.listSources.dropEarlier(); // a poll's list from before the delete would still have it
    await this.refresh();
  }

  /** Lists the sources again (after an add or delete, and every POLL_MS). */
  async refresh() {
    await this.listSources().catch(() => {}); // the server is away; the next poll retries
  }

  /**
   * Shows a `GET /sources` answer.
   * @param {any[]} sources
   */
  showSources(sources) {
    this.sources = sources;
    // Rows are kept and updated in place (keyed by id), so a click never lands on a replaced button.
    const rows = this.sources.map((s) => this.rowFor(s));
    if (rows.length !== this.list.children.length || rows.some((r, i) => this.list.children[i] !== r)) {
      this.list.replaceChildren(...rows);
    }
    for (const id of [...this.rows.keys()]) {
      if (!this.sources.some((s) => s.id === id)) this.rows.delete(id);
    }
    const watched = this.sources.find((s) => s.id === this.watching);
    if (watched && watched.width && watched.height) this.overlay.resize(watched.width, watched.height);
  }

  /**
   * The row of a source, made once and then updated.
   * @param {any} s
   */
  rowFor(s) {
    let row = this.rows.get(s.id);
    if (!row) {
      const watch = el('button', { type: 'button', 'data-action': 'watch' }, ['Watch']);
      watch.addEventListener('click', () => this.startWatching(s.id));
      const del = el('button', { type: 'button', 'data-action': 'delete' }, ['Delete']);
      del.addEventListener('click', () => void this.remove(s.id));
      row = el('li', { class: 'source', 'data-source-id': s.id }, [
        el('div', { class: 'source-head' }, [
          el('strong', {}, [s.id]), el('span', { class: 'source-state' }), el('span', { class: 'source-pipeline' }, [s.pipeline_id]),
          watch, del]),
        el('div', { class: 'source-url' }, [s.url]),
        el('div', { class: 'source-counters' }),
        el('span', { class: 'source-error' })]);
      this.rows.set(s.id, row);
    }
    const part = (/** @type {string} */ cls) => /** @type {HTMLElement} */ (row?.querySelector(`.${cls}`));
    row.dataset.state = s.state;
    part('source-state').dataset.state = s.state;
    part('source-state').textContent = s.state;
    part('source-counters').textContent = sourceCounters(s);
    part('source-error').textContent = s.last_error || '';
    /** @type {HTMLElement} */ (row.querySelector('[data-action="watch"]')).textContent =
      this.watching === s.id ? 'Watching' : 'Watch';
    return row;
  }

  /** @param {string} id */
  startWatching(id) {
    this.stopWatching();
    this.watching = id;
    this.watch = emptyWatch();
    this.viewer.hidden = false;
    this.viewer.dataset.sourceId = id;
    this.overlay.clear();
    const socket = new WebSocket(sourceWatchUrl(location, id));
    socket.onmessage = (ev) => {
      let answer;
      try {
        answer = JSON.parse(ev.data);
      } catch {
        return;
      }
      this.watch = applyAnswer(this.watch, answer);
      if (answer.result !== undefined && typeof answer.frame_index === 'number') {
        this.overlay.draw(answer.frame_index, answer.result);
      }
      this.showWatch();
    };
    socket.onclose = () => {
      if (this.socket === socket) this.showWatch(true);
    };
    this.socket = socket;
    this.reloadPreview();
    this.showWatch();
  }

  stopWatching() {
    if (this.socket) {
      const socket = this.socket;
      this.socket = null;
      socket.close();
    }
    this.watching = null;
    this.viewer.hidden = true;
  }

  /** @param {boolean} [closed] */
  showWatch(closed = false) {
    const w = this.watch;
    const text = `${this.watching}: ${w.results} results · ${w.dropped} dropped` +
      (w.lastResult ? ` · ${summarize(w.lastResult)}` : '') +
      (w.error ? ` · ${w.error}` : closed ? ' · disconnected' : '');
    this.watchInfo.textContent = text;
    this.viewer.dataset.results = String(w.results);
  }

  reloadPreview() {
    if (!this.watching || document.hidden) return;
    const src = `/sources/${encodeURIComponent(this.watching)}/preview.jpg?t=${Date.now()}`;
    void this.showPreview(src, this.watching).catch(() => {}); // no preview yet: the next one may have it
  }
}

if (typeof document !== 'undefined') {
  const root = document.getElementById('sources-panel');
  if (root) void new SourcesPanel(root).start();
}
