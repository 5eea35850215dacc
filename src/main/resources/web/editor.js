// @ts-check
/**
 * The pipeline editor: a text area holding one definition as JSON, validated
 * (`POST /pipelines/validate`) and saved (`PUT /pipelines/{id}`: creates or replaces; a copy of a
 * built-in: `POST /pipelines`) through the API, with every error the server reports listed. The
 * request and answer handling is plain functions over a `fetch`-like function, so Node tests it
 * without a browser.
 */

/**
 * @typedef {(url: string, init?: {method?: string, headers?: Record<string, string>, body?: string})
 *   => Promise<{status: number, ok: boolean, json(): Promise<any>}>} FetchLike
 * @typedef {{ok: boolean, message: string, errors: string[], id?: string}} Outcome
 */

/**
 * The pipeline id a text defines, or null if it is not a JSON object with a string id.
 * @param {string} text
 */
export function pipelineIdOf(text) {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && typeof value.id === 'string' && value.id !== '' ? value.id : null;
  } catch {
    return null;
  }
}

/** @param {string | null | undefined} token */
function headers(token) {
  /** @type {Record<string, string>} */
  const h = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

/** @param {{json(): Promise<any>}} response */
async function bodyOf(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/**
 * @param {FetchLike} fetchFn
 * @param {string} text the definition as typed
 * @returns {Promise<Outcome>}
 */
export async function validatePipeline(fetchFn, text) {
  const response = await fetchFn('/pipelines/validate', { method: 'POST', headers: headers(null), body: text });
  const body = await bodyOf(response);
  if (!response.ok || !body) {
    return { ok: false, message: `validation failed (HTTP ${response.status})`, errors: [] };
  }
  const errors = Array.isArray(body.errors) ? body.errors.map(String) : [];
  if (body.valid) {
    const what = body.exists ? (body.editable ? 'Save replaces the current version.' : 'but it is built in: save it under another id.') : 'Save creates it.';
    return { ok: true, message: `Valid. ${what}`, errors };
  }
  return { ok: false, message: errors.length === 1 ? '1 problem' : `${errors.length} problems`, errors };
}

/**
 * What a save answer means for the person editing.
 * @param {number} status
 * @param {any} body
 * @returns {Outcome}
 */
export function describeSave(status, body) {
  if (status === 200 || status === 201) {
    const verb = status === 201 ? 'Created' : 'Saved';
    const where = body?.persisted ? ` in ${body.file}` : ' (in memory only: PIPELINES_DIR is not set)';
    return { ok: true, message: `${verb} '${body?.id}' version ${body?.version}${where}.`, errors: [], id: body?.id };
  }
  if (status === 400 && body?.error === 'invalid_pipeline') {
    const errors = Array.isArray(body.errors) ? body.errors.map(String) : [];
    return { ok: false, message: `Not saved: ${errors.length === 1 ? '1 problem' : `${errors.length} problems`}`, errors };
  }
  if (status === 401 || status === 403) {
    return { ok: false, message: `Not saved: ${body?.detail ?? 'not allowed'}`, errors: [] };
  }
  if (status === 409) {
    return { ok: false, message: `Not saved: ${body?.detail ?? 'conflict'}`, errors: [] };
  }
  return { ok: false, message: `Not saved (HTTP ${status}${body?.detail ? `: ${body.detail}` : ''})`, errors: [] };
}

/**
 * @param {FetchLike} fetchFn
 * @param {string} text
 * @param {string | null} [token] the admin token, when the server has one
 * @returns {Promise<Outcome>}
 */
export async function savePipeline(fetchFn, text, token = null) {
  const id = pipelineIdOf(text);
  if (id === null) {
    // Let the server word the JSON error (line and column) through validation.
    const checked = await validatePipeline(fetchFn, text);
    return { ok: false, message: `Not saved: ${checked.ok ? "the definition needs a string 'id'" : checked.message}`, errors: checked.errors };
  }
  const response = await fetchFn(`/pipelines/${encodeURIComponent(id)}`, { method: 'PUT', headers: headers(token), body: text });
  return describeSave(response.status, await bodyOf(response));
}

/**
 * Creates the pipeline the text defines (`POST /pipelines`): unlike `PUT`, refused (409) if its id
 * was taken meanwhile, so a copy never replaces someone's pipeline.
 * @param {FetchLike} fetchFn
 * @param {string} text
 * @param {string | null} [token]
 * @returns {Promise<Outcome>}
 */
export async function createPipeline(fetchFn, text, token = null) {
  const response = await fetchFn('/pipelines', { method: 'POST', headers: headers(token), body: text });
  return describeSave(response.status, await bodyOf(response));
}

/**
 * The id for a copy of pipeline `id`: `<id>_counting`, or `<id>_counting_2`, `_3`, … when taken.
 * @param {string} id
 * @param {Iterable<string>} taken the ids in use
 */
export function copyIdFor(id, taken) {
  const used = new Set(taken);
  const first = `${id}_counting`;
  if (!used.has(first)) return first;
  for (let n = 2; ; n++) {
    if (!used.has(`${first}_${n}`)) return `${first}_${n}`;
  }
}

/**
 * Where a drawing on pipeline `definition` is saved. Built-ins cannot be replaced (`editable: false`
 * in `GET /pipelines`), so a drawing on one goes into a copy under a free id (copyIdFor), named and
 * described as a copy; null: save the definition under its own id (editable, or not listed).
 * @param {any} definition the pipeline with the drawing added
 * @param {{id: string, editable?: boolean}[]} pipelines `GET /pipelines`
 * @returns {{id: string, definition: any} | null}
 */
export function drawingCopy(definition, pipelines) {
  const listed = pipelines.find((p) => p.id === definition.id);
  if (!listed || listed.editable !== false) return null;
  const id = copyIdFor(definition.id, pipelines.map((p) => p.id));
  return {
    id,
    definition: {
      ...definition,
      id,
      name: `${definition.name ?? definition.id} (counting)`,
      description: `A copy of the built-in '${definition.id}' holding the lines and zones drawn on the page.`,
    },
  };
}

/**
 * Deletes the pipeline whose id the text holds.
 * @param {FetchLike} fetchFn
 * @param {string} text
 * @param {string | null} [token]
 * @returns {Promise<Outcome>}
 */
export async function deletePipeline(fetchFn, text, token = null) {
  const id = pipelineIdOf(text);
  if (id === null) return { ok: false, message: "Not deleted: the definition needs a string 'id'", errors: [] };
  const response = await fetchFn(`/pipelines/${encodeURIComponent(id)}`, { method: 'DELETE', headers: headers(token) });
  if (response.status === 204) return { ok: true, message: `Deleted '${id}'.`, errors: [], id };
  const body = await bodyOf(response);
  return { ok: false, message: `Not deleted: ${body?.detail ?? `HTTP ${response.status}`}`, errors: [] };
}

/**
 * `GET /workbench`'s `file_errors` ({file: [errors]}) as one line per error, file first.
 * @param {Record<string, unknown> | null | undefined} fileErrors
 * @returns {string[]}
 */
export function fileErrorLines(fileErrors) {
  if (!fileErrors || typeof fileErrors !== 'object') return [];
  const lines = [];
  for (const [file, errors] of Object.entries(fileErrors).sort(([a], [b]) => a.localeCompare(b))) {
    for (const e of Array.isArray(errors) ? errors : [errors]) lines.push(`${file}: ${e}`);
  }
  return lines;
}

/**
 * What a definition loaded for the selected pipeline does to the editor, given what it shows now.
 * 'edits': the same pipeline with unsaved edits, which stay. 'same': the definition shown already,
 * as when the list is refilled twice after one save or delete (its own event, then the poll seeing
 * the change count move): nothing is redrawn and the save's or delete's message stays. 'show':
 * draw it and put it in the editor.
 * @param {{id: string, text: string, dirty: boolean, drawn: boolean}} shown what the editor holds;
 *   drawn: false when the last load failed and the graph is empty
 * @param {string} id
 * @param {string} json the loaded definition, as loadPipeline returns it
 * @returns {'edits' | 'same' | 'show'}
 */
export function definitionUpdate(shown, id, json) {
  if (id !== shown.id) return 'show';
  if (shown.dirty) return 'edits';
  return shown.drawn && json === shown.text ? 'same' : 'show';
}

/**
 * The pipeline as the editor shows it: indented JSON.
 * @param {FetchLike} fetchFn
 * @param {string} id
 */
export async function loadPipeline(fetchFn, id) {
  const response = await fetchFn(`/pipelines/${encodeURIComponent(id)}`, { headers: { Accept: 'application/json' } });
  if (!response.ok) return null;
  return JSON.stringify(await response.json(), null, 2);
}
