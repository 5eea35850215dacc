// @ts-check
/**
 * The "Stored events" panel (docs/client.md): the latest events of the server's event store, newest
 * first, each with its snapshot's thumbnail (a link to the full picture), kept current by the live
 * tail `/ws/events`; filters by type, stream and label; events per hour over the last day as a
 * small SVG chart. Self-contained: it mounts itself into #stored-events-panel and needs nothing
 * from app.js. The logic (merging, gap filling, geometry) is events-feed.js's.
 */
import {
  CHART_HOURS, EventFeed, FILL_PAGE, countBars, countsUrl, describeRefusal, describeStored, listUrl, refreshDelay, tailUrl,
  typeColor,
} from './events-feed.js';
import { inRequestOrder } from './in-order.js';
import { Reconnector } from './reconnect.js';
import { el } from './dom.js';

/** The chart is redrawn every minute, and on new events at most once per this gap. */
const COUNTS_PERIOD_MS = 60_000;
const COUNTS_MIN_GAP_MS = 5_000;
/** A failed load or gap fill is tried again after this. */
const RETRY_MS = 2_000;
/**
 * A snapshot is written moments after its event is stored: its thumbnail is asked for again, up to
 * this many times in all, half a second later each time (0.5 s, 1 s, 1.5 s, 2 s).
 */
const SNAPSHOT_TRIES = 5;
const SNAPSHOT_RETRY_MS = 500;
const CHART = { width: 288, height: 48 };
const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attrs
 */
function svg(tag, attrs) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** @param {string} url */
async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, body };
}

class EventsPanel {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    /** @param {string} key @param {string} placeholder */
    const input = (key, placeholder) => /** @type {HTMLInputElement} */ (el('input', {
      id: `stored-events-${key}`, name: key, type: 'text', placeholder, autocomplete: 'off',
      'aria-label': `Filter by ${key} (comma-separated)`, ...(key === 'type' ? { list: 'stored-events-types' } : {}),
    }));
    this.inputs = {
      type: input('type', 'type, e.g. line_crossed'),
      stream: input('stream', 'stream, e.g. source:door'),
      label: input('label', 'label, e.g. person'),
    };
    this.typeList = el('datalist', { id: 'stored-events-types' });
    const form = el('form', { class: 'stored-events-filters' }, [
      this.inputs.type, this.inputs.stream, this.inputs.label, this.typeList,
      el('button', { type: 'submit' }, ['Filter'])]);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.reload();
    });
    this.status = el('p', { id: 'stored-events-status', class: 'stored-events-status', role: 'status' });
    this.chart = /** @type {SVGSVGElement} */ (/** @type {unknown} */ (svg('svg', {
      id: 'stored-events-chart', viewBox: `0 0 ${CHART.width} ${CHART.height}`, width: CHART.width, height: CHART.height,
      role: 'img', 'aria-label': `Events per hour, last ${CHART_HOURS} hours`,
    })));
    this.chartCaption = el('figcaption', { id: 'stored-events-chart-caption' });
    this.list = el('ol', { id: 'stored-events-list', class: 'stored-events-list' });
    root.append(el('h2', {}, ['Stored events']), form, this.status,
      el('figure', { class: 'stored-events-chart' }, [this.chart, this.chartCaption]), this.list);

    this.feed = new EventFeed();
    /** @type {WebSocket | null} */
    this.socket = null;
    /** @type {EventFeed | null} the feed whose gap is being read */
    this.filling = null;
    /** @type {Map<number, HTMLElement>} rows by event id, kept so thumbnails load once */
    this.rows = new Map();
    /** Event types seen, offered in the type filter. */
    this.types = new Set(['line_crossed', 'zone_entered', 'zone_exited', 'zone_dwell', 'track_started', 'track_ended']);
    this.reconnector = new Reconnector({
      reconnect: () => this.connect(this.feed),
      onCountdown: (seconds, reason) => this.say(`Live updates paused (${reason}); reconnecting in ${seconds} s…`, 'reconnecting'),
    });
    /** @type {any} */
    this.countsTimer = null;
    /** @type {number | null} */
    this.countsAt = null;
    this.loadCounts = inRequestOrder((/** @type {string} */ url) => getJson(url), (answer) => this.showCounts(answer));
  }

  start() {
    this.showTypes();
    void this.reload();
    setInterval(() => this.requestCounts(), COUNTS_PERIOD_MS);
  }

  /** The filters as typed. */
  filters() {
    return { type: this.inputs.type.value, stream: this.inputs.stream.value, label: this.inputs.label.value };
  }

  /** A new feed for the current filters: load the latest, then tail. */
  async reload() {
    this.reconnector.cancel();
    this.closeSocket();
    const feed = new EventFeed(this.filters());
    this.feed = feed;
    this.render();
    this.say('Loading…', 'loading');
    let answer;
    try {
      answer = await getJson(listUrl(feed.filters));
    } catch (e) {
      answer = { ok: false, status: 0, body: { detail: String(e) } };
    }
    if (this.feed !== feed) return; // the filters changed meanwhile
    if (!answer.ok) {
      const refusal = describeRefusal(answer.status, answer.body);
      this.say(refusal.message, refusal.disabled ? 'disabled' : 'error');
      // The store being off is how this server runs: nothing to retry. Anything else may pass.
      if (!refusal.disabled) setTimeout(() => { if (this.feed === feed) void this.reload(); }, RETRY_MS);
      return;
    }
    feed.loaded(answer.body.events);
    this.render();
    this.requestCounts();
    this.connect(feed);
  }

  /** @param {EventFeed} feed */
  connect(feed) {
    if (this.feed !== feed) return;
    this.closeSocket();
    const socket = new WebSocket(tailUrl(location, feed.filters));
    this.socket = socket;
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      let message;
      try {
        message = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (message.tailing === true) {
        this.reconnector.connected();
        this.say('Live', 'live');
      }
      if (feed.onTail(message)) {
        this.render();
        this.requestCounts();
      }
      if (feed.pendingGap() !== null) void this.fill(feed);
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      const decision = this.reconnector.streamEnded({ closeCode: ev.code });
      if (!decision.retry) this.say(`Live updates stopped: ${decision.reason}.`, 'error');
    };
  }

  closeSocket() {
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.close();
  }

  /**
   * Reads the feed's gap page by page (oldest first) until it is closed; a failure tries again later.
   * @param {EventFeed} feed
   */
  async fill(feed) {
    if (this.filling === feed) return;
    this.filling = feed;
    try {
      for (let gap = feed.pendingGap(); gap !== null && this.feed === feed; gap = feed.pendingGap()) {
        const answer = await getJson(listUrl(feed.filters, { after: gap.after, order: 'asc', limit: FILL_PAGE }));
        if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
        if (feed.filled(answer.body.events, answer.body.next === null) && this.feed === feed) {
          this.render();
          this.requestCounts();
        }
      }
    } catch (e) {
      console.warn('framewire: could not fill the events list', e);
      setTimeout(() => void this.fill(feed), RETRY_MS);
    } finally {
      if (this.filling === feed) this.filling = null;
    }
  }

  /**
   * @param {string} text
   * @param {string} state
   */
  say(text, state) {
    this.status.textContent = text;
    this.root.dataset.state = state;
  }

  render() {
    const events = this.feed.events;
    const rows = events.map((e) => this.rowFor(e));
    if (rows.length !== this.list.children.length || rows.some((r, i) => this.list.children[i] !== r)) {
      this.list.replaceChildren(...rows);
    }
    const shown = new Set(events.map((e) => e.id));
    for (const id of [...this.rows.keys()]) if (!shown.has(id)) this.rows.delete(id);
    this.root.dataset.events = String(events.length);
    let newType = false;
    for (const e of events) {
      if (typeof e.type === 'string' && !this.types.has(e.type)) {
        this.types.add(e.type);
        newType = true;
      }
    }
    if (newType) this.showTypes();
  }

  showTypes() {
    this.typeList.replaceChildren(...[...this.types].sort().map((t) => new Option(t, t)));
  }

  /**
   * An event's row, made once (a stored event does not change).
   * @param {any} e
   */
  rowFor(e) {
    const existing = this.rows.get(e.id);
    if (existing) return existing;
    const id = encodeURIComponent(String(e.id));
    const swatch = el('span', { class: 'stored-event-type', title: String(e.type) }); // the type's colour, as in the chart
    swatch.style.borderColor = typeColor(String(e.type));
    const row = el('li', { class: 'stored-event', 'data-event-id': String(e.id), 'data-type': String(e.type) }, [
      e.snapshot ? this.thumbnail(e.id, `/events/${id}/snapshot.jpg`) : el('span', { class: 'stored-event-thumb none' }, ['no snapshot']),
      el('div', { class: 'stored-event-text' }, [
        el('div', {}, [swatch, describeStored(e)]),
        el('div', { class: 'stored-event-meta' }, [
          el('a', { href: `/events/${id}`, target: '_blank', rel: 'noopener' }, [`#${e.id}`]),
          ` ${e.stream ?? ''} · ${e.pipeline_id ?? ''} v${e.pipeline_version ?? ''} · ${e.node ?? ''}`]),
      ]),
    ]);
    this.rows.set(e.id, row);
    return row;
  }

  /**
   * A lazy thumbnail linking to the full picture. The file may not be written yet when the event
   * comes (404 no_snapshot): asked again a few times, each later than the last.
   * @param {number} eventId
   * @param {string} url
   */
  thumbnail(eventId, url) {
    const img = /** @type {HTMLImageElement} */ (el('img', {
      src: url, loading: 'lazy', alt: `snapshot of event ${eventId}`, width: '64', height: '48', 'data-snapshot': 'loading',
    }));
    let tries = 1;
    img.addEventListener('load', () => { img.dataset.snapshot = 'loaded'; });
    img.addEventListener('error', () => {
      if (tries >= SNAPSHOT_TRIES) {
        img.dataset.snapshot = 'missing';
        return;
      }
      const again = `${url}?try=${tries}`; // a new URL, so the browser asks again
      setTimeout(() => { img.src = again; }, SNAPSHOT_RETRY_MS * tries);
      tries += 1;
    });
    return el('a', { class: 'stored-event-thumb', href: url, target: '_blank', rel: 'noopener', title: 'open the snapshot' }, [img]);
  }

  /** Refreshes the chart now, or once the minimum gap since the last refresh has passed. */
  requestCounts() {
    if (this.countsTimer !== null || this.root.dataset.state === 'disabled') return;
    const delay = refreshDelay(this.countsAt, Date.now(), COUNTS_MIN_GAP_MS);
    this.countsTimer = setTimeout(() => {
      this.countsTimer = null;
      this.countsAt = Date.now();
      void this.loadCounts(countsUrl(this.feed.filters, this.countsAt)).catch(() => {}); // the next refresh retries
    }, delay);
  }

  /** @param {{ok: boolean, body: any}} answer */
  showCounts(answer) {
    if (!answer.ok || !Array.isArray(answer.body?.counts)) return;
    const { bars, max, types } = countBars(answer.body.counts, Date.now(), CHART);
    const nodes = [svg('line', { x1: 0, y1: CHART.height - 0.5, x2: CHART.width, y2: CHART.height - 0.5, class: 'axis' })];
    for (const bar of bars) {
      const hour = new Date(bar.start).toISOString().slice(11, 16);
      for (const s of bar.segments) {
        const rect = svg('rect', { x: bar.x, y: s.y, width: bar.width, height: s.height, fill: s.color, 'data-type': s.type });
        const title = svg('title', {});
        title.textContent = `${hour} UTC: ${s.count} ${s.type} (${bar.total} in all)`;
        rect.append(title);
        nodes.push(rect);
      }
    }
    this.chart.replaceChildren(...nodes);
    const total = bars.reduce((sum, b) => sum + b.total, 0);
    this.chart.dataset.total = String(total);
    this.chartCaption.replaceChildren(
      `${total} in ${CHART_HOURS} h${max ? `, at most ${max} an hour` : ''}`,
      ...types.map((t) => {
        const key = el('span', { class: 'stored-events-key' }, [t]);
        key.style.borderColor = typeColor(t);
        return key;
      }));
  }
}

if (typeof document !== 'undefined') {
  const root = document.getElementById('stored-events-panel');
  if (root) new EventsPanel(root).start();
}
