// @ts-check
/**
 * Page wiring of lines, zones, counts and events: the *Counts* and *Events* lists (from app.js's
 * `framewire:result`), and the drawing tools under the video. *Draw line* takes two clicks (or a
 * drag) on the video, *Draw zone* a click per corner and a double click or *Close zone*; the drawing
 * is named, given a node (an `analytics/lines` or `analytics/zones` node of the selected pipeline, or
 * a new one after its tracker) and saved through the workbench's save path (`framewire:save-drawing`,
 * workbench.js), in the frame's pixels or, for a node in `relative` units, fractions of the frame.
 * The geometry and bookkeeping are web/analytics.js's pure functions.
 */
import {
  analyticsNodes, closedPolygon, countsOf, describeEvent, freshName, screenToFrame, withDrawing, withEvents,
} from './analytics.js';
import { drawInArrow } from './overlay.js';

/** Pointer travel (screen pixels) between press and release that makes a drag rather than a click. */
const DRAG_PX = 8;

/** @param {string} id */
function el(id) {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} missing`);
  return found;
}

const select = /** @type {HTMLSelectElement} */ (el('pipeline-select'));
const overlayCanvas = /** @type {HTMLCanvasElement} */ (el('overlay'));
const layer = /** @type {HTMLCanvasElement} */ (el('draw-layer'));
const layerCtx = /** @type {CanvasRenderingContext2D} */ (layer.getContext('2d'));
const lineButton = /** @type {HTMLButtonElement} */ (el('draw-line-button'));
const zoneButton = /** @type {HTMLButtonElement} */ (el('draw-zone-button'));
const closeButton = /** @type {HTMLButtonElement} */ (el('close-zone-button'));
const nameInput = /** @type {HTMLInputElement} */ (el('draw-name'));
const nodeSelect = /** @type {HTMLSelectElement} */ (el('draw-node'));
const saveButton = /** @type {HTMLButtonElement} */ (el('draw-save-button'));
const cancelButton = /** @type {HTMLButtonElement} */ (el('draw-cancel-button'));
const status = el('draw-status');
const countsList = el('counts');
const eventsList = el('events');

/** @type {any} the selected pipeline's definition as the workbench last loaded it */
let definition = null;
let definitionId = '';
/** @type {'lines' | 'zones' | null} what is being drawn */
let tool = null;
/** @type {'lines' | 'zones'} what was drawn last: the node picker offers its nodes between drawings */
let lastTool = 'lines';
/** @type {import('./analytics.js').Point[]} corners placed, in frame pixels */
let points = [];
let complete = false;
/** @type {import('./analytics.js').Point | null} where the pointer is, for the rubber band */
let hover = null;
/** @type {{frame: import('./analytics.js').Point, x: number, y: number} | null} the pointer press */
let press = null;
/** The name the page suggested, replaced by the next suggestion unless the user typed another. */
let suggested = '';
/** @type {any[]} newest first */
let events = [];

function frameSize() {
  return { width: overlayCanvas.width, height: overlayCanvas.height };
}

/** @param {string} message @param {boolean} ok */
function say(message, ok = true) {
  status.textContent = message;
  status.dataset.ok = String(ok);
}

/** @param {PointerEvent | MouseEvent} e */
function framePoint(e) {
  return screenToFrame(e.clientX, e.clientY, layer.getBoundingClientRect(), frameSize());
}

/** The node the user chose for this drawing (null: none yet, the first offered is selected). */
let chosenNode = /** @type {string | null} */ (null);

/** The node choices for the tool being drawn (or drawn last): its nodes in the selected pipeline, or a new one. */
function fillNodes() {
  const kind = tool ?? lastTool;
  const nodes = definitionId === select.value ? analyticsNodes(definition, kind) : [];
  nodeSelect.replaceChildren(
    ...nodes.map((n) => new Option(`${n.id} (analytics/${kind}${n.units === 'relative' ? ', relative' : ''})`, n.id)),
    new Option(`new analytics/${kind} node after the tracker`, ''),
  );
  if (chosenNode !== null && [...nodeSelect.options].some((o) => o.value === chosenNode)) nodeSelect.value = chosenNode;
  if (!nameInput.value || nameInput.value === suggested) {
    suggested = freshName(definitionId === select.value ? definition : null, kind);
    nameInput.value = suggested;
  }
}

/** @param {'lines' | 'zones' | null} next */
function begin(next) {
  if (next !== tool) chosenNode = null; // a line's node is no choice for a zone
  tool = next;
  if (next !== null) lastTool = next;
  points = [];
  complete = false;
  hover = null;
  press = null;
  layer.classList.toggle('active', tool !== null);
  lineButton.classList.toggle('drawing', tool === 'lines');
  zoneButton.classList.toggle('drawing', tool === 'zones');
  closeButton.hidden = tool !== 'zones';
  cancelButton.hidden = tool === null;
  if (tool !== null) {
    const frame = frameSize();
    if (!frame.width || !frame.height) {
      begin(null);
      say('Start the stream first: lines and zones are drawn on its frames.', false);
      return;
    }
    fillNodes();
    say(tool === 'lines' ? 'Click the line’s two ends (or drag); in is to the right of the first → second.' : 'Click the corners; double-click or Close zone to finish.');
  }
  render();
}

function render() {
  const frame = frameSize();
  if (layer.width !== frame.width) layer.width = frame.width;
  if (layer.height !== frame.height) layer.height = frame.height;
  layer.dataset.points = String(points.length);
  layer.dataset.complete = String(complete);
  saveButton.disabled = !complete;
  layerCtx.clearRect(0, 0, layer.width, layer.height);
  if (tool === null || points.length === 0) return;
  const scale = Math.max(1, layer.width / 640);
  const shown = complete || !hover ? points : [...points, hover];
  layerCtx.strokeStyle = '#fff200';
  layerCtx.fillStyle = '#fff200';
  layerCtx.lineWidth = 3 * scale;
  layerCtx.font = `${Math.round(13 * scale)}px system-ui, sans-serif`;
  layerCtx.setLineDash(complete ? [] : [8 * scale, 6 * scale]);
  layerCtx.beginPath();
  layerCtx.moveTo(shown[0][0], shown[0][1]);
  for (const [x, y] of shown.slice(1)) layerCtx.lineTo(x, y);
  if (tool === 'zones' && complete) layerCtx.closePath();
  layerCtx.stroke();
  layerCtx.setLineDash([]);
  if (tool === 'zones' && complete) {
    layerCtx.fillStyle = 'rgba(255, 242, 0, 0.2)';
    layerCtx.fill();
    layerCtx.fillStyle = '#fff200';
  }
  for (const [x, y] of points) layerCtx.fillRect(x - 3 * scale, y - 3 * scale, 6 * scale, 6 * scale);
  if (tool === 'lines' && shown.length === 2) drawInArrow(layerCtx, shown[0], shown[1], scale);
}

layer.addEventListener('pointerdown', (e) => {
  if (tool === null || complete) return;
  press = { frame: framePoint(e), x: e.clientX, y: e.clientY };
  layer.setPointerCapture(e.pointerId);
});

layer.addEventListener('pointermove', (e) => {
  if (tool === null || complete) return;
  hover = framePoint(e);
  render();
});

layer.addEventListener('pointerup', (e) => {
  if (tool === null || complete || press === null) return;
  const start = press;
  press = null;
  const here = framePoint(e);
  if (tool === 'lines') {
    const dragged = Math.hypot(e.clientX - start.x, e.clientY - start.y) >= DRAG_PX;
    if (dragged && points.length === 0) points = [start.frame, here];
    else points = [...points, here];
    complete = points.length === 2;
  } else {
    points = [...points, here];
  }
  if (complete) say('Name it, choose the node, and save.');
  render();
});

layer.addEventListener('dblclick', () => closeZone());
closeButton.addEventListener('click', () => closeZone());

function closeZone() {
  if (tool !== 'zones' || complete) return;
  const corners = closedPolygon(points);
  if (corners.length < 3) {
    say('A zone needs at least three corners.', false);
    return;
  }
  points = corners;
  complete = true;
  say('Name it, choose the node, and save.');
  render();
}

nodeSelect.addEventListener('change', () => {
  chosenNode = nodeSelect.value;
});
lineButton.addEventListener('click', () => begin('lines'));
zoneButton.addEventListener('click', () => begin('zones'));
cancelButton.addEventListener('click', () => {
  begin(null);
  say('');
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && tool !== null) {
    begin(null);
    say('');
  }
});

saveButton.addEventListener('click', () => {
  if (tool === null || !complete) return;
  const drawing = { tool, target: nodeSelect.value || null, name: nameInput.value, points, frame: frameSize() };
  say('Saving…');
  saveButton.disabled = true;
  document.dispatchEvent(new CustomEvent('framewire:save-drawing', {
    detail: {
      change: (/** @type {any} */ base) => withDrawing(base, drawing),
      reply: (/** @type {{ok: boolean, message: string}} */ outcome) => {
        if (outcome.ok) {
          const what = drawing.tool === 'lines' ? 'Line' : 'Zone';
          begin(null);
          nameInput.value = ''; // the next drawing gets a fresh name, not this one's (which would replace it)
          say(`${what} '${drawing.name.trim()}' saved. ${outcome.message}`);
        } else {
          saveButton.disabled = false;
          say(outcome.message, false);
        }
      },
    },
  }));
});

document.addEventListener('framewire:definition', (event) => {
  const detail = /** @type {CustomEvent} */ (event).detail;
  definition = detail.definition;
  definitionId = detail.id;
  // Drawing or not: after a save the picker lists the node the drawing went into (a new one, or in a copy).
  fillNodes();
});

select.addEventListener('change', () => {
  if (tool !== null) begin(null); // a drawing belongs to the pipeline it was started on
});

document.addEventListener('framewire:stream-started', () => {
  events = [];
  countsList.replaceChildren();
  eventsList.replaceChildren();
});

document.addEventListener('framewire:result', (event) => {
  const { result } = /** @type {CustomEvent} */ (event).detail;
  const rows = countsOf(result);
  if (rows.length > 0 || countsList.children.length > 0) {
    countsList.replaceChildren(...rows.map((row) => {
      const li = document.createElement('li');
      li.textContent = row.text;
      li.dataset.kind = row.kind;
      li.dataset.name = row.name;
      for (const [key, n] of Object.entries(row.counts)) li.dataset[key] = String(n);
      return li;
    }));
  }
  const next = withEvents(events, result);
  if (next === events) return; // no events on this frame: nothing to redraw
  events = next;
  eventsList.replaceChildren(...events.map((e) => {
    const li = document.createElement('li');
    li.textContent = describeEvent(e);
    li.dataset.type = String(e.type ?? '');
    return li;
  }));
});

render();
