// @ts-check
/**
 * Draws a pipeline result over the video: motion regions, decoded codes with their text, any
 * `detections`, `tracks` with their id, label and trail, the pipeline's lines (with their `in` side
 * and counts) and zones (shaded, with the count inside), and the frame index in a corner. The
 * overlay canvas has the frame's pixel size, so result coordinates (frame pixels) are used as they
 * are; CSS scales it with the video.
 */
import { inSide, toPixels } from './analytics.js';

/**
 * @typedef {{x: number, y: number, w: number, h: number, label: string, kind: 'motion' | 'code' | 'detection' | 'track', track_id?: string}} Box
 * @typedef {{geometry: import('./analytics.js').Geometry, trails: import('./analytics.js').Trails}} Scene
 */

/** Longest summary shown for results of unknown shape. */
const SUMMARY_MAX = 120;

const COLORS = { motion: '#ffb020', code: '#20d0ff', detection: '#7cff5a' };
const LINE_COLOR = '#ff4fd8';
const ZONE_COLOR = '#4fa3ff';

/**
 * A colour per track id, so neighbouring tracks differ and a track keeps its colour.
 * @param {string} trackId
 */
export function trackColor(trackId) {
  let h = 0;
  for (const c of trackId) h = (h * 31 + c.charCodeAt(0)) % 360;
  return `hsl(${(h * 137) % 360}, 90%, 60%)`;
}

/**
 * @param {any} b
 * @returns {b is {x: number, y: number, w: number, h: number}}
 */
function isBox(b) {
  return (
    b !== null &&
    typeof b === 'object' &&
    [b.x, b.y, b.w, b.h].every((v) => typeof v === 'number' && Number.isFinite(v))
  );
}

/**
 * The boxes to draw for one result, whatever pipeline produced it.
 * @param {any} result
 * @returns {Box[]}
 */
export function collectBoxes(result) {
  /** @type {Box[]} */
  const boxes = [];
  if (result === null || typeof result !== 'object') return boxes;
  const regions = result.motion?.regions;
  if (Array.isArray(regions)) {
    for (const r of regions) {
      if (isBox(r)) boxes.push({ x: r.x, y: r.y, w: r.w, h: r.h, label: 'motion', kind: 'motion' });
    }
  }
  if (Array.isArray(result.codes)) {
    for (const c of result.codes) {
      if (c && isBox(c.box)) {
        const text = typeof c.text === 'string' ? c.text : '';
        const label = c.format ? `${c.format}: ${text}` : text;
        boxes.push({ ...pick(c.box), label, kind: 'code' });
      }
    }
  }
  if (Array.isArray(result.detections)) {
    for (const item of result.detections) {
      /** @type {any} */
      const d = item;
      if (isBox(item)) {
        let label = typeof d.label === 'string' ? d.label : '';
        if (typeof d.score === 'number') label = `${label} ${(d.score * 100).toFixed(0)}%`.trim();
        boxes.push({ ...pick(d), label, kind: 'detection' });
      }
    }
  }
  if (Array.isArray(result.tracks)) {
    for (const item of result.tracks) {
      /** @type {any} */
      const t = item;
      if (isBox(item) && (typeof t.track_id === 'number' || typeof t.track_id === 'string')) {
        const label = typeof t.label === 'string' && t.label ? `#${t.track_id} ${t.label}` : `#${t.track_id}`;
        boxes.push({ ...pick(t), label, kind: 'track', track_id: String(t.track_id) });
      }
    }
  }
  return boxes;
}

/**
 * @param {{x: number, y: number, w: number, h: number}} b
 */
function pick(b) {
  return { x: b.x, y: b.y, w: b.w, h: b.h };
}

/**
 * One line of text summarising the result's scalar facts (for the caption under the video).
 * @param {any} result
 * @returns {string}
 */
export function summarize(result) {
  if (result === null || typeof result !== 'object') return '';
  /** @type {string[]} */
  const parts = [];
  if (typeof result.width === 'number' && typeof result.height === 'number') {
    parts.push(`${result.width}×${result.height}`);
  }
  if (typeof result.mean_luminance === 'number') parts.push(`luminance ${result.mean_luminance.toFixed(1)}`);
  if (typeof result.motion?.score === 'number') parts.push(`motion ${result.motion.score.toFixed(3)}`);
  if (Array.isArray(result.codes)) parts.push(`${result.codes.length} code(s)`);
  if (Array.isArray(result.detections)) parts.push(`${result.detections.length} detection(s)`);
  if (Array.isArray(result.tracks)) parts.push(`${result.tracks.length} track(s)`);
  if (typeof result.bytes === 'number') parts.push(`${result.bytes} bytes`);
  if (parts.length === 0) {
    // A pipeline this page does not know: show its result as compact JSON.
    const json = JSON.stringify(result);
    return json.length > SUMMARY_MAX ? `${json.slice(0, SUMMARY_MAX - 1)}…` : json;
  }
  return parts.join(' · ');
}

export class Overlay {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('2D canvas not available');
    this.ctx = ctx;
  }

  /**
   * Matches the overlay to the frame size.
   * @param {number} width
   * @param {number} height
   */
  resize(width, height) {
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
  }

  clear() {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /**
   * Replaces the drawing with this result's boxes and the frame index, and, given a scene, the
   * pipeline's zones and lines with this result's counts and the tracks' trails. Not called for
   * dropped frames, so the last result stays visible. What is drawn is also left on the canvas
   * element as `data-boxes` (count), `data-tracks`, `data-lines`, `data-zones` and
   * `data-frame-index`, for tests and users' scripts.
   * @param {number} frameIndex
   * @param {any} result
   * @param {Scene | null} [scene]
   */
  draw(frameIndex, result, scene = null) {
    const ctx = this.ctx;
    this.clear();
    const scale = Math.max(1, this.canvas.width / 640);
    ctx.lineWidth = 2 * scale;
    ctx.font = `${Math.round(13 * scale)}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    const frame = { width: this.canvas.width, height: this.canvas.height };
    const zones = scene?.geometry.zones ?? [];
    const lines = scene?.geometry.lines ?? [];
    for (const zone of zones) this.drawZone(zone, result?.zones?.[zone.name], frame, scale);
    for (const line of lines) this.drawLine(line, result?.lines?.[line.name], frame, scale);
    this.canvas.dataset.zones = String(zones.length);
    this.canvas.dataset.lines = String(lines.length);
    const boxes = collectBoxes(result);
    this.canvas.dataset.boxes = String(boxes.length);
    this.canvas.dataset.tracks = String(boxes.filter((b) => b.kind === 'track').length);
    this.canvas.dataset.frameIndex = String(frameIndex);
    for (const box of boxes) {
      const color = box.track_id !== undefined ? trackColor(box.track_id) : COLORS[/** @type {'motion' | 'code' | 'detection'} */ (box.kind)];
      if (box.track_id !== undefined && scene) this.drawTrail(scene.trails.of(box.track_id), color, scale);
      ctx.strokeStyle = color;
      ctx.lineWidth = 2 * scale;
      ctx.strokeRect(box.x, box.y, box.w, box.h);
      if (box.label) this.tag(box.label, box.x, box.y >= 19 * scale ? box.y - 19 * scale : box.y, color, scale);
    }
    const tag = `#${frameIndex}`;
    const pad = 4 * scale;
    const w = ctx.measureText(tag).width + 2 * pad;
    const h = 13 * scale + 2 * pad;
    ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
    ctx.fillRect(this.canvas.width - w - pad, pad, w, h);
    ctx.fillStyle = '#fff';
    ctx.fillText(tag, this.canvas.width - w, 2 * pad);
  }

  /**
   * A label on a coloured background, its top left corner at x, y.
   * @param {string} text
   * @param {number} x
   * @param {number} y
   * @param {string} color
   * @param {number} scale
   */
  tag(text, x, y, color, scale) {
    const ctx = this.ctx;
    const pad = 3 * scale;
    ctx.fillStyle = color;
    ctx.fillRect(x, y, ctx.measureText(text).width + 2 * pad, 13 * scale + 2 * pad);
    ctx.fillStyle = '#111';
    ctx.fillText(text, x + pad, y + pad);
  }

  /**
   * @param {import('./analytics.js').Point[]} points oldest first
   * @param {string} color
   * @param {number} scale
   */
  drawTrail(points, color, scale) {
    if (points.length < 2) return;
    const ctx = this.ctx;
    ctx.strokeStyle = color;
    ctx.lineWidth = 2 * scale;
    ctx.beginPath();
    ctx.moveTo(points[0][0], points[0][1]);
    for (const [x, y] of points.slice(1)) ctx.lineTo(x, y);
    ctx.stroke();
  }

  /**
   * A line, an arrow to its `in` side, and its name with this result's counts.
   * @param {import('./analytics.js').LineGeometry} line
   * @param {any} counts `result.lines[name]`, if the result has it
   * @param {import('./analytics.js').Size} frame
   * @param {number} scale
   */
  drawLine(line, counts, frame, scale) {
    const ctx = this.ctx;
    const from = toPixels(line.from, line.units, frame);
    const to = toPixels(line.to, line.units, frame);
    ctx.strokeStyle = LINE_COLOR;
    ctx.fillStyle = LINE_COLOR;
    ctx.lineWidth = 3 * scale;
    ctx.beginPath();
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(to[0], to[1]);
    ctx.stroke();
    drawInArrow(ctx, from, to, scale);
    const text = counts && typeof counts === 'object' ? `${line.name} in ${counts.in ?? 0} · out ${counts.out ?? 0}` : line.name;
    this.tag(text, (from[0] + to[0]) / 2 + 6 * scale, (from[1] + to[1]) / 2 + 6 * scale, LINE_COLOR, scale);
  }

  /**
   * A shaded zone with its name and the count inside it on this result.
   * @param {import('./analytics.js').ZoneGeometry} zone
   * @param {any} counts `result.zones[name]`, if the result has it
   * @param {import('./analytics.js').Size} frame
   * @param {number} scale
   */
  drawZone(zone, counts, frame, scale) {
    const ctx = this.ctx;
    const points = zone.points.map((p) => toPixels(p, zone.units, frame));
    const inside = typeof counts?.inside === 'number' ? counts.inside : 0;
    ctx.beginPath();
    ctx.moveTo(points[0][0], points[0][1]);
    for (const [x, y] of points.slice(1)) ctx.lineTo(x, y);
    ctx.closePath();
    // Darker when something is inside.
    ctx.fillStyle = inside > 0 ? 'rgba(79, 163, 255, 0.35)' : 'rgba(79, 163, 255, 0.15)';
    ctx.fill();
    ctx.strokeStyle = ZONE_COLOR;
    ctx.lineWidth = 2 * scale;
    ctx.stroke();
    const top = points.reduce((a, b) => (b[1] < a[1] ? b : a));
    const text = counts && typeof counts === 'object' ? `${zone.name}: ${inside}` : zone.name;
    this.tag(text, top[0], top[1], ZONE_COLOR, scale);
  }
}

/**
 * An arrow from a line's middle towards its `in` side, with "in" written at its tip.
 * @param {CanvasRenderingContext2D} ctx
 * @param {import('./analytics.js').Point} from
 * @param {import('./analytics.js').Point} to
 * @param {number} scale
 */
export function drawInArrow(ctx, from, to, scale) {
  const { mid, normal } = inSide(from, to);
  const length = 24 * scale;
  const tip = [mid[0] + normal[0] * length, mid[1] + normal[1] * length];
  const head = 7 * scale;
  ctx.beginPath();
  ctx.moveTo(mid[0], mid[1]);
  ctx.lineTo(tip[0], tip[1]);
  ctx.stroke();
  // The head: two points back from the tip, either side of the shaft.
  ctx.beginPath();
  ctx.moveTo(tip[0], tip[1]);
  ctx.lineTo(tip[0] - normal[0] * head - normal[1] * head, tip[1] - normal[1] * head + normal[0] * head);
  ctx.lineTo(tip[0] - normal[0] * head + normal[1] * head, tip[1] - normal[1] * head - normal[0] * head);
  ctx.closePath();
  ctx.fill();
  ctx.fillText('in', tip[0] + normal[0] * 4 * scale - 6 * scale, tip[1] + normal[1] * 4 * scale - 6 * scale);
}
