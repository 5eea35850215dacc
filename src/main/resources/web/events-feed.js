// @ts-check
/**
 * The stored-events panel's logic, with no DOM so that Node tests it (the wiring is
 * events-panel.js): filters → query strings, the list of the latest events kept from a load and
 * the live tail (`/ws/events`) without duplicates or gaps ({@link EventFeed}), when to fill a gap
 * with `GET /events?after=…&order=asc`, the refusal `events_disabled` as a sentence, and counts per
 * hour → SVG bar geometry (docs/events.md).
 */

/** How many events the panel keeps (newest first). */
export const LIST_LIMIT = 100;
/** Events per gap-filling page (the API's maximum). */
export const FILL_PAGE = 1000;
export const HOUR_MS = 3_600_000;
/** Hours the chart shows, the current one last. */
export const CHART_HOURS = 24;

/** The filters the panel offers; each is a comma-separated list of values (any of them matches). */
export const FILTER_KEYS = Object.freeze(/** @type {const} */ (['type', 'stream', 'label']));

/** @typedef {{type?: string, stream?: string, label?: string}} Filters */

/**
 * A filter's values: comma-separated, trimmed, empty ones left out.
 * @param {string | undefined} text
 * @returns {string[]}
 */
export function filterValues(text) {
  return (text ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
}

/**
 * The filters as query parameters, as `/events`, `/events/counts` and `/ws/events` take them
 * (`type=a,b&stream=…&label=…`, in that order; empty filters left out).
 * @param {Filters} filters
 * @returns {[string, string][]}
 */
export function filterParams(filters) {
  /** @type {[string, string][]} */
  const params = [];
  for (const key of FILTER_KEYS) {
    const values = filterValues(filters[key]);
    if (values.length > 0) params.push([key, values.join(',')]);
  }
  return params;
}

/** @param {[string, string | number][]} params */
function query(params) {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}

/**
 * `GET /events` with the filters: the latest `limit` (newest first), or a gap's events oldest first
 * after an id.
 * @param {Filters} filters
 * @param {{limit?: number, after?: number, order?: 'asc' | 'desc'}} [page]
 */
export function listUrl(filters, page = {}) {
  /** @type {[string, string | number][]} */
  const params = [...filterParams(filters), ['limit', page.limit ?? LIST_LIMIT]];
  if (page.after !== undefined) params.push(['after', page.after]);
  if (page.order !== undefined) params.push(['order', page.order]);
  return `/events?${query(params)}`;
}

/**
 * The live tail's URL, same host and scheme family as the page.
 * @param {{protocol: string, host: string}} loc
 * @param {Filters} filters
 */
export function tailUrl(loc, filters) {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  const q = query(filterParams(filters));
  return `${scheme}//${loc.host}/ws/events${q ? `?${q}` : ''}`;
}

/**
 * The first hour the chart shows: the start of the hour {@link CHART_HOURS} − 1 before the current
 * one, so the chart's bars are whole hours (the UTC buckets the server counts in), the current one
 * last.
 * @param {number} nowMs
 */
export function chartStart(nowMs) {
  return Math.floor(nowMs / HOUR_MS) * HOUR_MS - (CHART_HOURS - 1) * HOUR_MS;
}

/**
 * `GET /events/counts` per type and hour for the chart, with the filters.
 * @param {Filters} filters
 * @param {number} nowMs
 */
export function countsUrl(filters, nowMs) {
  return `/events/counts?${query([
    ...filterParams(filters), ['group_by', 'type'], ['bucket', '1h'], ['since', new Date(chartStart(nowMs)).toISOString()],
  ])}`;
}

/**
 * Whether an event passes the filters (as the server filters: each value exactly).
 * @param {Filters} filters
 * @param {any} event
 */
export function matches(filters, event) {
  return FILTER_KEYS.every((key) => {
    const values = filterValues(filters[key]);
    return values.length === 0 || values.includes(String(event?.[key] ?? ''));
  });
}

/**
 * The events of `list` and `incoming` (each newest first or in any order), by id without duplicates,
 * newest first, at most `limit`. `list` itself when nothing new was kept, so the page redraws only
 * on a change.
 * @param {any[]} list newest first
 * @param {any[]} incoming
 * @param {number} [limit]
 * @returns {any[]}
 */
export function mergeEvents(list, incoming, limit = LIST_LIMIT) {
  const known = new Set(list.map((e) => e.id));
  const fresh = incoming.filter((e) => typeof e?.id === 'number' && !known.has(e.id));
  if (fresh.length === 0) return list;
  const byId = new Map([...list, ...fresh].map((e) => [e.id, e]));
  const merged = [...byId.values()].sort((a, b) => b.id - a.id).slice(0, limit);
  return merged.length === list.length && merged.every((e, i) => e === list[i]) ? list : merged;
}

/**
 * @typedef {{after: number, until: number | null}} Gap events with `after < id <= until` (`until`
 *   null: up to the newest) are missing from the list and must be read with `GET /events?after=…&order=asc`.
 */

/**
 * The latest events, kept complete: every event with an id up to {@link EventFeed#through} that
 * matches the filters is in the list or was older than the list's last. The page loads the latest
 * ({@link loaded}), opens the tail and hands each message to {@link onTail}; when that (or a page of
 * the fill) leaves a gap ({@link pendingGap}), the page reads it page by page ({@link filled}).
 * A new filter gets a new feed.
 */
export class EventFeed {
  /** @param {Filters} [filters] @param {number} [limit] */
  constructor(filters = {}, limit = LIST_LIMIT) {
    this.filters = filters;
    this.limit = limit;
    /** @type {any[]} newest first */
    this.events = [];
    /** Every matching event with an id up to this one is known (0: none loaded yet). */
    this.through = 0;
    /** @type {Gap | null} */
    this.gap = null;
    /** The newest id the tail delivered while a gap was open: `through` once the gap is filled. */
    this.tailMax = 0;
  }

  /**
   * The first load, `GET /events?limit=…` (newest first): the list is complete up to its newest.
   * @param {any[]} events
   */
  loaded(events) {
    this.add(events);
    for (const e of events) this.through = Math.max(this.through, e.id);
  }

  /**
   * A message of the live tail. `{"tailing": true, "after": N}` (the tail delivers what is stored
   * after N; on every connection, first): a gap when N is beyond what the list has. `{"lost": n}`
   * (the tail dropped events for this watcher): a gap from what the list has up to the newest. An
   * event: into the list (and, with no gap open, the list is complete up to it).
   * @param {any} message
   * @returns {boolean} whether the list changed
   */
  onTail(message) {
    if (message?.tailing === true && typeof message.after === 'number') {
      if (message.after > this.through) this.open(message.after);
      return false;
    }
    if (typeof message?.lost === 'number') {
      this.open(null);
      return false;
    }
    if (typeof message?.id !== 'number') return false;
    if (this.gap === null) this.through = Math.max(this.through, message.id);
    else this.tailMax = Math.max(this.tailMax, message.id);
    return this.add([message]);
  }

  /** The gap to read next (from {@link through}), or null when the list is complete. */
  pendingGap() {
    return this.gap === null ? null : { after: this.through, until: this.gap.until };
  }

  /**
   * A page of the gap, `GET /events?after=<pendingGap().after>&order=asc`.
   * @param {any[]} events oldest first
   * @param {boolean} last whether it was the last page (`next` null)
   * @returns {boolean} whether the list changed
   */
  filled(events, last) {
    const changed = this.add(events);
    for (const e of events) this.through = Math.max(this.through, e.id);
    const gap = this.gap;
    if (gap !== null && (last || events.length === 0 || (gap.until !== null && this.through >= gap.until))) {
      // Everything up to the gap's end is read, and the tail had everything after it.
      this.gap = null;
      this.through = Math.max(this.through, this.tailMax, gap.until ?? 0);
      this.tailMax = 0;
    }
    return changed;
  }

  /** @param {number | null} until */
  open(until) {
    if (this.gap === null) this.gap = { after: this.through, until };
    else if (this.gap.until !== null) this.gap = { after: this.gap.after, until: until === null ? null : Math.max(this.gap.until, until) };
  }

  /**
   * @param {any[]} events
   * @returns {boolean} whether the list changed
   */
  add(events) {
    const next = mergeEvents(this.events, events.filter((e) => matches(this.filters, e)), this.limit);
    const changed = next !== this.events;
    this.events = next;
    return changed;
  }
}

/**
 * What the panel says when a load is refused: the store being off is a state, not a failure.
 * @param {number} status
 * @param {any} body the answer's JSON, if any
 * @returns {{disabled: boolean, message: string}}
 */
export function describeRefusal(status, body) {
  if (status === 404 && body?.error === 'events_disabled') {
    return {
      disabled: true,
      message: 'This server keeps no events: its event store is off. Start it with EVENTS_ENABLED=true '
        + '(framewire.events.enabled, on by default) to keep every event and see them here.',
    };
  }
  if (status === 503) return { disabled: false, message: 'The event store cannot answer now; retrying.' };
  const detail = body?.detail ? `: ${body.detail}` : '';
  return { disabled: false, message: `Could not load events (HTTP ${status}${body?.error ? ` ${body.error}` : ''}${detail}).` };
}

/** Colours of the known event types in the chart and the list; others get one from their name. */
export const TYPE_COLORS = Object.freeze(/** @type {Record<string, string>} */ ({
  line_crossed: '#c2185b',
  zone_entered: '#1e6fd9',
  zone_exited: '#5c9ded',
  zone_dwell: '#7b3fb0',
  track_started: '#2e8b57',
  track_ended: '#8aa399',
}));
const OTHER_COLORS = ['#e07b00', '#6d4c41', '#00897b', '#9e9d24', '#546e7a'];

/** @param {string} type */
export function typeColor(type) {
  if (TYPE_COLORS[type]) return TYPE_COLORS[type];
  let h = 0;
  for (const c of type) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return OTHER_COLORS[h % OTHER_COLORS.length];
}

/**
 * @typedef {{type: string, count: number, y: number, height: number, color: string}} Segment
 * @typedef {{start: number, total: number, x: number, width: number, segments: Segment[]}} Bar
 */

/**
 * Counts per hour and type (`GET /events/counts?group_by=type&bucket=1h`) → one bar per hour of
 * the chart ({@link CHART_HOURS}, oldest left), each stacked by type (types in name order, the
 * first at the bottom), heights scaled so the fullest hour fills `height`; whole-pixel geometry.
 * Rows outside the chart's hours are left out.
 * @param {{bucket: string, type?: string, count: number}[]} rows
 * @param {number} nowMs
 * @param {{width: number, height: number, gap?: number}} size
 * @returns {{bars: Bar[], max: number, types: string[]}}
 */
export function countBars(rows, nowMs, size) {
  const start = chartStart(nowMs);
  /** @type {Map<string, number>[]} */
  const perHour = Array.from({ length: CHART_HOURS }, () => new Map());
  const types = new Set();
  for (const row of rows) {
    const i = Math.floor((Date.parse(row.bucket) - start) / HOUR_MS);
    if (!(i >= 0 && i < CHART_HOURS) || !(row.count > 0)) continue;
    const type = row.type ?? 'unknown';
    types.add(type);
    perHour[i].set(type, (perHour[i].get(type) ?? 0) + row.count);
  }
  const order = [...types].sort();
  const totals = perHour.map((m) => [...m.values()].reduce((a, b) => a + b, 0));
  const max = Math.max(0, ...totals);
  const gap = size.gap ?? 1;
  const step = size.width / CHART_HOURS;
  const bars = perHour.map((m, i) => {
    const x = Math.round(i * step);
    const width = Math.max(1, Math.round((i + 1) * step) - x - gap);
    /** @type {Segment[]} */
    const segments = [];
    let below = 0; // counts stacked under this segment
    for (const type of order) {
      const count = m.get(type);
      if (!count) continue;
      // Edges from cumulative counts, so the segments of a bar touch and its top is the total's.
      const bottom = Math.round((below / max) * size.height);
      const top = Math.round(((below + count) / max) * size.height);
      segments.push({ type, count, y: size.height - top, height: top - bottom, color: typeColor(type) });
      below += count;
    }
    return { start: start + i * HOUR_MS, total: totals[i], x, width, segments };
  });
  return { bars, max, types: order };
}

/**
 * When to refresh the chart after asking at `nowMs`: at once if the last refresh was at least
 * `minGapMs` ago, else when it will be (new events can come many a second; one refresh per gap is
 * enough for an hourly chart).
 * @param {number | null} lastMs when the last refresh started, null: never
 * @param {number} nowMs
 * @param {number} minGapMs
 */
export function refreshDelay(lastMs, nowMs, minGapMs) {
  return lastMs === null ? 0 : Math.max(0, lastMs + minGapMs - nowMs);
}

/**
 * One line of an event for the list: time of day (UTC), type, what it concerns.
 * @param {any} e a stored event
 */
export function describeStored(e) {
  const time = typeof e.time === 'string' ? e.time.slice(11, 19) : '';
  const where = e.line ?? e.zone ?? '';
  const parts = [time, e.type, where, e.direction ?? '', e.track_id !== undefined ? `#${e.track_id}` : '', e.label ?? ''];
  return parts.filter((p) => p !== '' && p !== null && p !== undefined).join(' ');
}
