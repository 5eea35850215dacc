// @ts-check
/**
 * Page wiring of the workbench: the selected pipeline's graph (web/graph.js), its node timings when
 * "Timings" is ticked, and the editor (web/editor.js). It talks to app.js only through the shared
 * pipeline selector and document events: `framewire:timings` (app.js: a result's `timings_ms`),
 * `framewire:pipelines-changed` (here: a save; app.js reloads the selector) and
 * `framewire:definition` (here: a definition loaded from the server, whose lines and zones app.js
 * draws and analytics-panel.js offers as targets). `framewire:save-drawing` (analytics-panel.js: a
 * drawn line or zone) changes the editor's definition and saves it through the same path as *Save*;
 * on a built-in, into a copy under a new id (`framewire:pipelines-changed` then names the original
 * as `copyOf`, and app.js streams the copy).
 */
import { layoutPipeline, graphSvg, NodeTimings } from './graph.js';
import {
  createPipeline, definitionUpdate, deletePipeline, drawingCopy, fileErrorLines, loadPipeline, savePipeline, validatePipeline,
} from './editor.js';
import { inRequestOrder } from './in-order.js';
import { fetchPipelines } from './pipeline-list.js';

const TOKEN_KEY = 'framewire.adminToken';
const PREVIEW_DELAY_MS = 300;

/** @param {string} id */
function el(id) {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} missing`);
  return found;
}

const select = /** @type {HTMLSelectElement} */ (el('pipeline-select'));
const graph = el('graph');
const timingsToggle = /** @type {HTMLInputElement} */ (el('timings-toggle'));
const text = /** @type {HTMLTextAreaElement} */ (el('editor-text'));
const status = el('editor-status');
const errorList = el('editor-errors');
const validateButton = /** @type {HTMLButtonElement} */ (el('validate-button'));
const saveButton = /** @type {HTMLButtonElement} */ (el('save-button'));
const deleteButton = /** @type {HTMLButtonElement} */ (el('delete-button'));
const tokenInput = /** @type {HTMLInputElement} */ (el('admin-token'));
const DELETE_CONFIRM_MS = 4000;
let deleteArmedUntil = 0;

const timings = new NodeTimings();
/** @type {any} the definition drawn now */
let drawn = null;
let drawnId = '';
let previewTimer = 0;
/** After a save or delete, the next load of this pipeline ('*': any) keeps the message shown. */
let keepStatusFor = '';
/** The text differs from the loaded definition: a reload of the same pipeline must not overwrite it. */
let dirty = false;
/** The server's change count last seen (GET /workbench), to follow hot reloads. */
let changesSeen = -1;
const STATUS_POLL_MS = 2000;
const fileErrors = el('file-errors');

function draw() {
  if (!drawn) {
    graph.replaceChildren();
    graph.dataset.pipeline = '';
    return;
  }
  // graphSvg escapes every text it writes; the markup is parsed as SVG, scripts never run from it.
  const doc = new DOMParser().parseFromString(graphSvg(layoutPipeline(drawn), timingsToggle.checked ? timings : null), 'image/svg+xml');
  graph.replaceChildren(document.importNode(doc.documentElement, true));
  graph.dataset.pipeline = drawnId;
  graph.dataset.results = String(timings.results);
}

/**
 * Loads a pipeline's definition and shows it (graph and editor); a definition older than the one
 * shown is dropped (web/in-order.js): two loads of the same pipeline can be out at once (the list is
 * refilled after a save and again when the poll sees the change count move, or by a hot reload).
 */
const showDefinition = inRequestOrder(
  (/** @type {string} */ id) => loadPipeline(fetch, id).catch(() => null),
  (json, id) => {
    // Another pipeline was selected while this one loaded (a save, a hot reload): its own call draws
    // it, and this late answer must not draw over it.
    if (select.value !== id) return;
    if (json === null) {
      drawn = null;
      draw();
      return;
    }
    const update = definitionUpdate({ id: drawnId, text: text.value, dirty, drawn: drawn !== null }, id, json);
    if (update === 'edits') return; // keep unsaved edits; the graph shows their preview
    // The definition shown, loaded again (the list is refilled twice after a save or delete): nothing
    // to redraw, and that save's or delete's message stays.
    if (update === 'same') return;
    if (id !== drawnId) timings.reset();
    drawn = JSON.parse(json);
    drawnId = id;
    text.value = json;
    dirty = false;
    document.dispatchEvent(new CustomEvent('framewire:definition', { detail: { id, definition: JSON.parse(json) } }));
    if (keepStatusFor === id || keepStatusFor === '*') {
      keepStatusFor = '';
    } else {
      showOutcome({ ok: true, message: '', errors: [] });
    }
    draw();
  },
);

/** Shows the selected pipeline: its graph and its definition in the editor. */
async function showSelected() {
  const id = select.value;
  if (!id) return;
  await showDefinition(id);
}

/** @param {{ok: boolean, message: string, errors: string[]}} outcome */
function showOutcome(outcome) {
  status.textContent = outcome.message;
  status.dataset.ok = String(outcome.ok);
  errorList.replaceChildren(...outcome.errors.map((e) => {
    const li = document.createElement('li');
    li.textContent = e;
    return li;
  }));
}

text.addEventListener('input', () => {
  dirty = true;
  // Preview what is typed, once it parses.
  clearTimeout(previewTimer);
  previewTimer = window.setTimeout(() => {
    try {
      drawn = JSON.parse(text.value);
      draw();
    } catch {
      // not JSON yet: keep the last drawing
    }
  }, PREVIEW_DELAY_MS);
});

/** Validation answers in request order (web/in-order.js): a late answer about an older text is dropped. */
const showValidation = inRequestOrder(
  (/** @type {string} */ definition) => validatePipeline(fetch, definition).catch((e) => ({ ok: false, message: String(e), errors: [] })),
  showOutcome,
);

validateButton.addEventListener('click', () => {
  showOutcome({ ok: true, message: 'Validating…', errors: [] });
  void showValidation(text.value);
});

saveButton.addEventListener('click', () => void save());

/**
 * Saves the editor's text (`PUT /pipelines/{id}`) and shows the outcome; a saved pipeline is
 * selected and the list refilled.
 * @param {string} [copyOf] the text is a new copy of this pipeline: created with `POST /pipelines`,
 *   which never replaces one that exists
 * @returns {Promise<import('./editor.js').Outcome>}
 */
async function save(copyOf) {
  showOutcome({ ok: true, message: 'Saving…', errors: [] });
  const token = tokenInput.value.trim();
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  const saving = copyOf === undefined ? savePipeline(fetch, text.value, token || null) : createPipeline(fetch, text.value, token || null);
  const outcome = await saving.catch((e) => ({ ok: false, message: String(e), errors: [] }));
  showOutcome(outcome);
  if (outcome.ok) dirty = false;
  if (outcome.ok && 'id' in outcome && outcome.id) {
    // Select the saved pipeline: app.js reloads the list and keeps the URL's pipeline_id.
    const url = new URL(location.href);
    url.searchParams.set('pipeline_id', String(outcome.id));
    url.searchParams.delete('autostart');
    history.replaceState(null, '', url);
    drawnId = '';
    keepStatusFor = String(outcome.id);
    // Loads and validations asked for before the save describe the editor before it: the one the
    // list refill asks for next shows the saved pipeline and keeps this message.
    showDefinition.dropEarlier();
    showValidation.dropEarlier();
    document.dispatchEvent(new CustomEvent('framewire:pipelines-changed', { detail: { id: outcome.id, copyOf } }));
  }
  return outcome;
}

/**
 * A line or zone drawn on the video (analytics-panel.js): `change` adds it to the definition in the
 * editor (the selected pipeline as loaded, or with the edits not saved yet), the result is put in
 * the editor, previewed on the graph and saved like *Save*; `reply` gets the outcome. A built-in
 * cannot be replaced: the drawing goes into a copy under a new id (editor.js `drawingCopy`), which
 * is selected, so the next drawing goes into the copy too.
 */
document.addEventListener('framewire:save-drawing', async (event) => {
  const { change, reply } = /** @type {CustomEvent} */ (event).detail;
  /** @type {any} */
  let base;
  try {
    base = JSON.parse(text.value);
  } catch {
    reply({ ok: false, message: 'Not saved: the editor does not hold valid JSON; fix it or choose the pipeline again.', errors: [] });
    return;
  }
  if (!select.value || base?.id !== select.value) {
    reply({ ok: false, message: `Not saved: the editor holds '${base?.id}', not the selected pipeline '${select.value}'.`, errors: [] });
    return;
  }
  const changed = change(base);
  if (!changed.ok) {
    reply({ ok: false, message: `Not saved: ${changed.error}`, errors: [] });
    return;
  }
  text.value = JSON.stringify(changed.definition, null, 2);
  dirty = true; // until saved: a reload of this pipeline must not overwrite it
  drawn = changed.definition;
  draw();
  const copy = drawingCopy(changed.definition, await fetchPipelines(fetch));
  // Choosing another pipeline meanwhile put it in the editor and dropped this draft.
  if (select.value !== base.id) {
    reply({ ok: false, message: `Not saved: '${select.value}' was selected while saving.`, errors: [] });
    return;
  }
  if (copy === null) {
    reply(await save());
    return;
  }
  text.value = JSON.stringify(copy.definition, null, 2);
  drawn = copy.definition;
  draw();
  const outcome = await save(base.id);
  reply(outcome.ok
    ? { ...outcome, message: `'${base.id}' is built in, so it went into a copy, '${copy.id}', now selected. ${outcome.message}` }
    : outcome);
});

deleteButton.addEventListener('click', async () => {
  // Two clicks: the first arms the button for a few seconds.
  if (Date.now() > deleteArmedUntil) {
    deleteArmedUntil = Date.now() + DELETE_CONFIRM_MS;
    deleteButton.textContent = 'Really delete?';
    setTimeout(() => {
      deleteButton.textContent = 'Delete';
    }, DELETE_CONFIRM_MS);
    return;
  }
  deleteArmedUntil = 0;
  deleteButton.textContent = 'Delete';
  const token = tokenInput.value.trim();
  const outcome = await deletePipeline(fetch, text.value, token || null).catch((e) => ({ ok: false, message: String(e), errors: [] }));
  showOutcome(outcome);
  if (outcome.ok) {
    keepStatusFor = '*';
    showDefinition.dropEarlier(); // e.g. a poll's load of the deleted pipeline, still out
    showValidation.dropEarlier();
    const url = new URL(location.href);
    url.searchParams.delete('pipeline_id');
    url.searchParams.delete('autostart');
    history.replaceState(null, '', url);
    document.dispatchEvent(new CustomEvent('framewire:pipelines-changed', { detail: { deleted: outcome.id } }));
  }
});

timingsToggle.addEventListener('change', () => {
  timings.reset();
  draw();
  // app.js restarts a running stream on a selector change, now with or without timings=1.
  select.dispatchEvent(new Event('change'));
});

document.addEventListener('framewire:timings', (event) => {
  const detail = /** @type {CustomEvent} */ (event).detail;
  if (!timingsToggle.checked || drawnId !== select.value) return;
  timings.add(detail);
  draw();
});

/** `GET /workbench`, shown in request order (web/in-order.js): polls overlap when the server is slow. */
const followStatus = inRequestOrder(
  async () => {
    const response = await fetch('/workbench', { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`GET /workbench: HTTP ${response.status}`);
    return response.json();
  },
  (body) => {
    fileErrors.replaceChildren(...fileErrorLines(body.file_errors).map((line) => {
      const li = document.createElement('li');
      li.textContent = line;
      return li;
    }));
    if (changesSeen >= 0 && body.changes !== changesSeen) {
      document.dispatchEvent(new CustomEvent('framewire:pipelines-changed', { detail: { changes: body.changes } }));
    }
    changesSeen = body.changes;
  },
);

/**
 * Follows the server: files of PIPELINES_DIR that are invalid now are listed under the graph, and a
 * change made elsewhere (a hot-reloaded file, another browser) reloads the pipeline list.
 */
async function pollStatus() {
  if (document.hidden) return;
  await followStatus().catch(() => {}); // the server is away: the next poll asks again
}

select.addEventListener('change', () => {
  dirty = false; // choosing another pipeline discards the draft
  void showSelected();
});
setInterval(() => void pollStatus(), STATUS_POLL_MS);
void pollStatus();
// app.js fills the selector asynchronously (and again after a save): draw once it has options.
new MutationObserver(() => void showSelected()).observe(select, { childList: true });
tokenInput.value = sessionStorage.getItem(TOKEN_KEY) ?? '';
if (select.options.length > 0) void showSelected();
