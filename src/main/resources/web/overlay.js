// @ts-check
/**
 * Draws a pipeline result over the video: motion regions, decoded codes with their text, any
 * `detections`, and the frame index in a corner. The overlay canvas has the frame's pixel size, so
 * result coordinates (frame pixels) are used as they are; CSS scales it with the video.
 */

/**
 * @typedef {{x: number, y: number, w: number, h: number, label: string, kind: 'motion' | 'code' | 'detection'}} Box
 */

/** Longest summary shown for results of unknown shape. */
const SUMMARY_MAX = 120;

const COLORS = { motion: '#ffb020', code: '#20d0ff', detection: '#7cff5a' };

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
   * Replaces the drawing with this result's boxes and the frame index. Not called for dropped
   * frames, so the last result stays visible. What is drawn is also left on the canvas element as
   * `data-boxes` (count) and `data-frame-index`, for tests and users' scripts.
   * @param {number} frameIndex
   * @param {any} result
   */
  draw(frameIndex, result) {
    const ctx = this.ctx;
    this.clear();
    const scale = Math.max(1, this.canvas.width / 640);
    ctx.lineWidth = 2 * scale;
    ctx.font = `${Math.round(13 * scale)}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    const boxes = collectBoxes(result);
    this.canvas.dataset.boxes = String(boxes.length);
    this.canvas.dataset.frameIndex = String(frameIndex);
    for (const box of boxes) {
      const color = COLORS[box.kind];
      ctx.strokeStyle = color;
      ctx.strokeRect(box.x, box.y, box.w, box.h);
      if (box.label) {
        const pad = 3 * scale;
        const textH = 13 * scale + 2 * pad;
        const textW = ctx.measureText(box.label).width + 2 * pad;
        const ty = box.y >= textH ? box.y - textH : box.y;
        ctx.fillStyle = color;
        ctx.fillRect(box.x, ty, textW, textH);
        ctx.fillStyle = '#111';
        ctx.fillText(box.label, box.x + pad, ty + pad);
      }
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
}
