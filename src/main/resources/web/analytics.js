// @ts-check
/**
 * Tracks, lines and zones on the page, without the DOM so that Node tests it: the geometry of a
 * pipeline's `analytics/lines` and `analytics/zones` nodes, the mapping between the screen and the
 * frame's pixels, the tracks' trails, the bounded event list, and the definition with one more line
 * or zone (what the drawing tools save through the workbench's save path).
 *
 * Coordinates: results and definitions in `pixels` units are source-frame pixels, y down; in
 * `relative` units, fractions 0..1 of the frame's width and height.
 */

/** Anchor points kept per track. */
export const TRAIL_LENGTH = 20;
/** Events kept in the list, newest first. */
export const EVENTS_MAX = 50;

/**
 * @typedef {[number, number]} Point
 * @typedef {{width: number, height: number}} Size
 * @typedef {{left: number, top: number, width: number, height: number}} Rect
 * @typedef {'pixels' | 'relative'} Units
 * @typedef {{node: string, name: string, from: Point, to: Point, units: Units}} LineGeometry
 * @typedef {{node: string, name: string, points: Point[], units: Units}} ZoneGeometry
 * @typedef {{lines: LineGeometry[], zones: ZoneGeometry[]}} Geometry
 * @typedef {{id: string, units: Units, names: string[]}} AnalyticsNode
 */

/** @param {any} v */
function isPoint(v) {
  return Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));
}

/**
 * A node's `units` param: `relative` or, by default, `pixels`.
 * @param {any} node
 * @returns {Units}
 */
export function unitsOf(node) {
  return node?.params?.units === 'relative' ? 'relative' : 'pixels';
}

/**
 * @param {any} node
 * @param {'lines' | 'zones'} tool
 */
function isAnalytics(node, tool) {
  return node && node.plugin_id === 'analytics' && node.tool_id === tool;
}

/**
 * The lines and zones a pipeline definition declares, in definition order; malformed entries
 * (the server refuses them anyway) are left out.
 * @param {any} definition
 * @returns {Geometry}
 */
export function geometryOf(definition) {
  /** @type {Geometry} */
  const geometry = { lines: [], zones: [] };
  const nodes = Array.isArray(definition?.nodes) ? definition.nodes : [];
  for (const node of nodes) {
    const units = unitsOf(node);
    if (isAnalytics(node, 'lines') && Array.isArray(node.params?.lines)) {
      for (const l of node.params.lines) {
        if (l && typeof l.name === 'string' && isPoint(l.from) && isPoint(l.to)) {
          geometry.lines.push({ node: node.id, name: l.name, from: [l.from[0], l.from[1]], to: [l.to[0], l.to[1]], units });
        }
      }
    }
    if (isAnalytics(node, 'zones') && Array.isArray(node.params?.zones)) {
      for (const z of node.params.zones) {
        if (z && typeof z.name === 'string' && Array.isArray(z.points) && z.points.length >= 3 && z.points.every(isPoint)) {
          geometry.zones.push({ node: node.id, name: z.name, points: z.points.map((/** @type {Point} */ p) => [p[0], p[1]]), units });
        }
      }
    }
  }
  return geometry;
}

/**
 * A point of a definition in frame pixels.
 * @param {Point} point
 * @param {Units} units
 * @param {Size} frame
 * @returns {Point}
 */
export function toPixels(point, units, frame) {
  return units === 'relative' ? [point[0] * frame.width, point[1] * frame.height] : [point[0], point[1]];
}

/**
 * A point in frame pixels as a definition in these units stores it: whole pixels, or fractions
 * rounded to 4 decimals (a tenth of a pixel on a 4K frame).
 * @param {Point} point
 * @param {Units} units
 * @param {Size} frame
 * @returns {Point}
 */
export function fromPixels(point, units, frame) {
  if (units === 'relative') {
    const r = (/** @type {number} */ v) => Math.round(v * 10000) / 10000;
    return [r(point[0] / frame.width), r(point[1] / frame.height)];
  }
  return [Math.round(point[0]), Math.round(point[1])];
}

/**
 * Where the frame is drawn in an element that shows it with `object-fit: contain` (the video and
 * the canvases): scaled to fit, centred, the rest letterboxed.
 * @param {Rect} rect the element's box on screen (getBoundingClientRect)
 * @param {Size} frame
 */
function fit(rect, frame) {
  const scale = Math.min(rect.width / frame.width, rect.height / frame.height);
  return {
    scale,
    left: rect.left + (rect.width - frame.width * scale) / 2,
    top: rect.top + (rect.height - frame.height * scale) / 2,
  };
}

/**
 * A point on screen (a pointer event's clientX, clientY) in frame pixels, clamped to the frame
 * (a click in the letterbox lands on the nearest edge).
 * @param {number} clientX
 * @param {number} clientY
 * @param {Rect} rect
 * @param {Size} frame
 * @returns {Point}
 */
export function screenToFrame(clientX, clientY, rect, frame) {
  const f = fit(rect, frame);
  const x = (clientX - f.left) / f.scale;
  const y = (clientY - f.top) / f.scale;
  return [Math.min(frame.width, Math.max(0, x)), Math.min(frame.height, Math.max(0, y))];
}

/**
 * A point in frame pixels on screen (the inverse of {@link screenToFrame} inside the frame).
 * @param {Point} point
 * @param {Rect} rect
 * @param {Size} frame
 * @returns {Point}
 */
export function frameToScreen(point, rect, frame) {
  const f = fit(rect, frame);
  return [f.left + point[0] * f.scale, f.top + point[1] * f.scale];
}

/**
 * The `in` side of a line from→to: a crossing from its left to its right, as seen in the image
 * (y down), is `in`. Returns the line's midpoint and the unit normal pointing to the `in` side, to
 * draw the arrow.
 * @param {Point} from
 * @param {Point} to
 * @returns {{mid: Point, normal: Point}}
 */
export function inSide(from, to) {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  const length = Math.hypot(dx, dy) || 1;
  // With y down, the right of a direction (dx, dy) as seen on screen is (-dy, dx): (1, 0) → (0, 1), below
  // (0 - dy: a plain -0 would show as such).
  return { mid: [(from[0] + to[0]) / 2, (from[1] + to[1]) / 2], normal: [0 - dy / length, dx / length] };
}

/**
 * The analytics tools' `anchor` param: the point of a box tested against lines and zones, as
 * fractions of the box's width and height. `bottom_center`, their default, is where a person or a
 * car touches the ground.
 * @type {Record<string, Point>}
 */
export const ANCHORS = {
  bottom_center: [0.5, 1], center: [0.5, 0.5], top_center: [0.5, 0], left_center: [0, 0.5], right_center: [1, 0.5],
  top_left: [0, 0], top_right: [1, 0], bottom_left: [0, 1], bottom_right: [1, 1],
};
export const DEFAULT_ANCHOR = 'bottom_center';

/**
 * The anchor the trails follow: that of the definition's first `analytics/lines` or `zones` node,
 * so a trail shows the point that is counted; `bottom_center` without one (or with an unknown one).
 * @param {any} definition
 * @returns {string}
 */
export function anchorIn(definition) {
  const nodes = Array.isArray(definition?.nodes) ? definition.nodes : [];
  const node = nodes.find((/** @type {any} */ n) => isAnalytics(n, 'lines') || isAnalytics(n, 'zones'));
  const anchor = node?.params?.anchor;
  return typeof anchor === 'string' && Object.hasOwn(ANCHORS, anchor) ? anchor : DEFAULT_ANCHOR;
}

/**
 * A box's anchor point.
 * @param {{x: number, y: number, w: number, h: number}} box
 * @param {string} [anchor] a key of {@link ANCHORS}
 * @returns {Point}
 */
export function anchorOf(box, anchor = DEFAULT_ANCHOR) {
  const [fx, fy] = ANCHORS[anchor] ?? ANCHORS[DEFAULT_ANCHOR];
  return [box.x + fx * box.w, box.y + fy * box.h];
}

/** @param {any} t */
function isTrack(t) {
  return t !== null && typeof t === 'object' && (typeof t.track_id === 'number' || typeof t.track_id === 'string')
    && [t.x, t.y, t.w, t.h].every((v) => typeof v === 'number' && Number.isFinite(v));
}

/**
 * A result's well-formed `tracks` (anything else in the list is ignored).
 * @param {any} result
 * @returns {{track_id: number | string, label?: string, x: number, y: number, w: number, h: number}[]}
 */
export function tracksOf(result) {
  const tracks = result?.tracks;
  return Array.isArray(tracks) ? tracks.filter(isTrack) : [];
}

/**
 * The last {@link TRAIL_LENGTH} anchor points of each reported track. A track missing from a
 * result is forgotten: the tracker reports every track it still follows on each frame.
 */
export class Trails {
  /**
   * @param {number} [length]
   * @param {string} [anchor] the point of each box the trail follows (a key of {@link ANCHORS})
   */
  constructor(length = TRAIL_LENGTH, anchor = DEFAULT_ANCHOR) {
    this.length = length;
    this.anchor = anchor;
    /** @type {Map<string, Point[]>} track id → anchor points, oldest first */
    this.byTrack = new Map();
  }

  /**
   * Adds this frame's anchors; forgets the tracks it does not report.
   * @param {any} result a result; one without `tracks` forgets every trail
   */
  update(result) {
    /** @type {Map<string, Point[]>} */
    const next = new Map();
    for (const t of tracksOf(result)) {
      const id = String(t.track_id);
      const points = this.byTrack.get(id) ?? [];
      points.push(anchorOf(t, this.anchor));
      if (points.length > this.length) points.splice(0, points.length - this.length);
      next.set(id, points);
    }
    this.byTrack = next;
  }

  /** @param {number | string} trackId */
  of(trackId) {
    return this.byTrack.get(String(trackId)) ?? [];
  }

  clear() {
    this.byTrack = new Map();
  }
}

/**
 * The event list with a result's `events` added, newest first (the last of a result's events is
 * the newest), at most `max` long.
 * @param {any[]} list the list shown, newest first
 * @param {any} result
 * @param {number} [max]
 * @returns {any[]}
 */
export function withEvents(list, result, max = EVENTS_MAX) {
  const events = Array.isArray(result?.events) ? result.events.filter((e) => e && typeof e === 'object') : [];
  if (events.length === 0) return list;
  return [...events.reverse(), ...list].slice(0, max);
}

/**
 * One line for an event: time, what, where, which track.
 * @param {any} e
 * @returns {string}
 */
export function describeEvent(e) {
  const time = typeof e.time === 'string' ? e.time.replace(/^.*T/, '').replace(/Z$/, '') : `#${e.frame_index ?? '?'}`;
  const where = e.line ?? e.zone ?? '';
  const track = e.track_id !== undefined ? `#${e.track_id}${e.label ? ` ${e.label}` : ''}` : '';
  return [time, e.type ?? 'event', where, e.direction ?? '', track].filter((s) => s !== '').join(' ');
}

/**
 * One line per counted line and zone of a result, for the counts list.
 * @param {any} result
 * @returns {{kind: 'line' | 'zone', name: string, text: string, counts: Record<string, number>}[]}
 */
export function countsOf(result) {
  const rows = [];
  const byLabel = (/** @type {any} */ m) => {
    if (!m || typeof m !== 'object') return '';
    const parts = Object.entries(m).map(([label, n]) => `${label} ${n}`);
    return parts.length ? ` (${parts.join(', ')})` : '';
  };
  const num = (/** @type {any} */ v) => (typeof v === 'number' ? v : 0);
  if (result?.lines && typeof result.lines === 'object') {
    for (const [name, c] of Object.entries(result.lines)) {
      const counts = { in: num(c?.in), out: num(c?.out) };
      rows.push({ kind: /** @type {const} */ ('line'), name, counts,
        text: `${name}: in ${counts.in}${byLabel(c?.in_by_label)} · out ${counts.out}${byLabel(c?.out_by_label)}` });
    }
  }
  if (result?.zones && typeof result.zones === 'object') {
    for (const [name, c] of Object.entries(result.zones)) {
      const counts = { inside: num(c?.inside), entered: num(c?.entered), exited: num(c?.exited) };
      rows.push({ kind: /** @type {const} */ ('zone'), name, counts,
        text: `${name}: inside ${counts.inside}${byLabel(c?.inside_by_label)} · entered ${counts.entered} · exited ${counts.exited}` });
    }
  }
  return rows;
}

/**
 * The nodes a drawn line (tool `lines`) or zone (`zones`) can be saved into, with the names
 * they use already.
 * @param {any} definition
 * @param {'lines' | 'zones'} tool
 * @returns {AnalyticsNode[]}
 */
export function analyticsNodes(definition, tool) {
  const nodes = Array.isArray(definition?.nodes) ? definition.nodes : [];
  return nodes.filter((n) => isAnalytics(n, tool) && typeof n.id === 'string').map((n) => {
    const list = n.params?.[tool];
    return { id: n.id, units: unitsOf(n), names: Array.isArray(list) ? list.map((x) => x?.name).filter((s) => typeof s === 'string') : [] };
  });
}

/**
 * A name not used yet by the lines (or zones) of any node: `line1`, `line2`, … (`zone1`, …).
 * @param {any} definition
 * @param {'lines' | 'zones'} tool
 */
export function freshName(definition, tool) {
  const used = new Set(analyticsNodes(definition, tool).flatMap((n) => n.names));
  const stem = tool === 'lines' ? 'line' : 'zone';
  let i = 1;
  while (used.has(`${stem}${i}`)) i += 1;
  return `${stem}${i}`;
}

/**
 * The definition with one more line or zone, drawn in frame pixels: added to node `target` (a
 * line or zone of the same name there is replaced, so redrawing one moves it), or, with `target`
 * null, to a new `analytics/lines` (`zones`) node after the pipeline's `track/bytetrack` node, which
 * is also made an output. The input is not changed.
 * @param {any} definition
 * @param {{tool: 'lines' | 'zones', target: string | null, name: string, points: Point[], frame: Size}} drawn
 *   points: from and to for a line, the polygon's corners for a zone, in frame pixels
 * @returns {{ok: true, definition: any, node: string} | {ok: false, error: string}}
 */
export function withDrawing(definition, drawn) {
  const { tool, target, frame } = drawn;
  const name = drawn.name.trim();
  if (!name) return { ok: false, error: 'Give it a name.' };
  if (tool === 'lines' && drawn.points.length !== 2) return { ok: false, error: 'A line needs two points.' };
  if (tool === 'zones' && drawn.points.length < 3) return { ok: false, error: 'A zone needs at least three corners.' };
  if (!definition || typeof definition !== 'object' || !Array.isArray(definition.nodes)) {
    return { ok: false, error: 'The pipeline definition has no nodes.' };
  }
  const copy = structuredClone(definition);
  let node;
  if (target !== null) {
    node = copy.nodes.find((/** @type {any} */ n) => n?.id === target);
    if (!isAnalytics(node, tool)) return { ok: false, error: `Node '${target}' is not an analytics/${tool} node.` };
  } else {
    const trackerIndex = copy.nodes.findIndex((/** @type {any} */ n) => n?.plugin_id === 'track' && n?.tool_id === 'bytetrack');
    if (trackerIndex < 0) return { ok: false, error: `The pipeline has no track/bytetrack node to put an analytics/${tool} node after.` };
    const tracker = copy.nodes[trackerIndex];
    const ids = new Set(copy.nodes.map((/** @type {any} */ n) => n?.id));
    let id = tool;
    for (let i = 2; ids.has(id); i += 1) id = `${tool}${i}`;
    node = { id, plugin_id: 'analytics', tool_id: tool, params: { [tool]: [] } };
    copy.nodes.splice(trackerIndex + 1, 0, node);
    copy.edges = [...(Array.isArray(copy.edges) ? copy.edges : []), { from_node: tracker.id, to_node: id }];
    copy.output_nodes = [...(Array.isArray(copy.output_nodes) ? copy.output_nodes : []), id];
  }
  const units = unitsOf(node);
  const points = drawn.points.map((p) => fromPixels(p, units, frame));
  const entry = tool === 'lines' ? { name, from: points[0], to: points[1] } : { name, points };
  node.params = { ...(node.params ?? {}) };
  const list = Array.isArray(node.params[tool]) ? [...node.params[tool]] : [];
  const at = list.findIndex((x) => x?.name === name);
  if (at >= 0) list[at] = entry;
  else list.push(entry);
  node.params[tool] = list;
  return { ok: true, definition: copy, node: node.id };
}

/**
 * The corners of a zone being closed: a double click also clicks twice, so points that repeat the
 * previous one (within `tolerance` frame pixels) are dropped.
 * @param {Point[]} points
 * @param {number} [tolerance]
 * @returns {Point[]}
 */
export function closedPolygon(points, tolerance = 2) {
  /** @type {Point[]} */
  const out = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) > tolerance) out.push(p);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (out.length > 1 && Math.hypot(first[0] - last[0], first[1] - last[1]) <= tolerance) out.pop();
  return out;
}
