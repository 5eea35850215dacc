// @ts-check
/**
 * The "Jobs" panel: video analysis jobs (docs/jobs.md). Submit a file of the server's input
 * directory or upload one, with a pipeline; see every job's state and progress (polled from GET
 * /jobs), download its results (JSON lines), cancel a queued or running job, delete a finished one.
 * Self-contained: it mounts itself into #jobs-panel and needs nothing from app.js.
 */
import { inRequestOrder } from './in-order.js';
import { el } from './dom.js';

const POLL_MS = 1000;

/**
 * `GET /jobs`; rejects when the server cannot be reached or refuses (503 without the event store).
 * @param {(url: string, init?: {headers?: Record<string, string>}) => Promise<{ok: boolean, status: number, json(): Promise<any>}>} fetchFn
 * @returns {Promise<any[]>}
 */
export async function fetchJobs(fetchFn) {
  const response = await fetchFn('/jobs', { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const answer = await response.json().catch(() => ({}));
    throw new Error(answer.detail || `GET /jobs: HTTP ${response.status}`);
  }
  return (await response.json()).jobs;
}

/**
 * How far a job is: the bar's fraction (null: unknown, the bar is indeterminate) and one line of text.
 * @param {any} job a GET /jobs entry
 * @returns {{fraction: number | null, text: string}}
 */
export function jobProgress(job) {
  const total = typeof job.frames_total === 'number' && job.frames_total > 0 ? job.frames_total : null;
  const done = job.frames_done || 0;
  let fraction = total === null ? null : Math.min(1, done / total);
  if (job.state === 'done') fraction = 1;
  if (job.state === 'queued') fraction = 0;
  const frames = total === null ? `${done} frames` : `${done} / ${total} frames`;
  const parts = [job.state, frames];
  if (job.state === 'running' && job.fps > 0) parts.push(`${Number(job.fps).toFixed(1)} fps`);
  if (job.state === 'running' && typeof job.eta_s === 'number') parts.push(`ETA ${Math.round(job.eta_s)} s`);
  if (job.error) parts.push(job.error);
  return { fraction, text: parts.join(' · ') };
}

/**
 * What the job's remove button does: a queued or running job is cancelled, an ended one deleted.
 * @param {any} job
 * @returns {'Cancel' | 'Delete'}
 */
export function removeLabel(job) {
  return job.state === 'queued' || job.state === 'running' ? 'Cancel' : 'Delete';
}

/**
 * The JSON body of a path job, or an error sentence when the form is not filled in.
 * @param {{pipeline: string, path: string, stride: string, maxFrames: string}} form
 * @returns {{body: string} | {error: string}}
 */
export function pathJobBody(form) {
  const input = form.path.trim();
  if (!form.pipeline) return { error: 'Choose a pipeline.' };
  if (!input) return { error: 'Give a file of the input directory, or a URL, or choose a file to upload.' };
  const numbers = parseNumbers(form);
  if ('error' in numbers) return numbers;
  return { body: JSON.stringify({ pipeline_id: form.pipeline, input, ...numbers }) };
}

/**
 * The multipart form of an upload: the same fields, and the file last (the server reads the small
 * fields before the large one arrives, though it accepts any order).
 * @param {{pipeline: string, stride: string, maxFrames: string}} form
 * @param {Blob} file
 * @param {string} name
 * @returns {{body: FormData} | {error: string}}
 */
export function uploadJobBody(form, file, name) {
  if (!form.pipeline) return { error: 'Choose a pipeline.' };
  const numbers = parseNumbers(form);
  if ('error' in numbers) return numbers;
  const body = new FormData();
  body.append('pipeline_id', form.pipeline);
  body.append('stride', String(numbers.stride));
  body.append('max_frames', String(numbers.max_frames));
  body.append('file', file, name);
  return { body };
}

/**
 * @param {{stride: string, maxFrames: string}} form
 * @returns {{stride: number, max_frames: number} | {error: string}}
 */
function parseNumbers(form) {
  const stride = form.stride.trim() === '' ? 1 : Number(form.stride);
  const maxFrames = form.maxFrames.trim() === '' ? 0 : Number(form.maxFrames);
  if (!Number.isInteger(stride) || stride < 1) return { error: 'Stride must be a whole number of at least 1.' };
  if (!Number.isInteger(maxFrames) || maxFrames < 0) return { error: 'Max frames must be a whole number (0: all).' };
  return { stride, max_frames: maxFrames };
}

/** @param {string} id */
export function resultsUrl(id) {
  return `/jobs/${encodeURIComponent(id)}/results`;
}

class JobsPanel {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    this.path = /** @type {HTMLInputElement} */ (el('input', {
      id: 'job-path', type: 'text', placeholder: 'clip.mp4 (in the input directory) or rtsp://…', 'aria-label': 'Job input',
    }));
    this.file = /** @type {HTMLInputElement} */ (el('input', { id: 'job-file', type: 'file', accept: 'video/*', 'aria-label': 'Upload a video' }));
    this.pipeline = /** @type {HTMLSelectElement} */ (el('select', { id: 'job-pipeline', 'aria-label': 'Job pipeline' }));
    this.stride = /** @type {HTMLInputElement} */ (el('input', { id: 'job-stride', type: 'number', min: '1', placeholder: 'stride 1', 'aria-label': 'Stride' }));
    this.maxFrames = /** @type {HTMLInputElement} */ (el('input', { id: 'job-max-frames', type: 'number', min: '0', placeholder: 'max frames', 'aria-label': 'Max frames' }));
    this.submit = el('button', { id: 'job-submit', type: 'submit', class: 'primary' }, ['Run']);
    this.message = el('p', { id: 'job-message', class: 'jobs-message', role: 'status' });
    this.list = el('ul', { id: 'jobs-list', class: 'jobs-list' });
    const form = el('form', { class: 'jobs-form' }, [this.path, this.file, this.pipeline, this.stride, this.maxFrames, this.submit]);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.create();
    });
    root.append(el('h2', {}, ['Jobs']), form, this.message, this.list);
    /** @type {Map<string, HTMLElement>} */
    this.rows = new Map();
    // A poll's late answer must not list a job deleted since: answers are shown in request order.
    this.listJobs = inRequestOrder(() => fetchJobs(fetch), (jobs) => this.showJobs(jobs));
  }

  async start() {
    try {
      const response = await fetch('/pipelines', { headers: { Accept: 'application/json' } });
      const pipelines = response.ok ? await response.json() : [];
      for (const p of pipelines) this.pipeline.add(new Option(p.id, p.id));
    } catch (e) {
      console.warn('framewire: could not list pipelines for jobs', e);
    }
    await this.refresh();
    setInterval(() => void this.refresh(), POLL_MS);
  }

  async create() {
    this.message.textContent = '';
    const form = { pipeline: this.pipeline.value, path: this.path.value, stride: this.stride.value, maxFrames: this.maxFrames.value };
    const chosen = this.file.files && this.file.files[0];
    const request = chosen ? uploadJobBody(form, chosen, chosen.name) : pathJobBody(form);
    if ('error' in request) {
      this.message.textContent = request.error;
      return;
    }
    /** @type {Record<string, string>} */
    const headers = chosen ? {} : { 'Content-Type': 'application/json' };
    try {
      const response = await fetch('/jobs', { method: 'POST', headers, body: request.body });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        this.message.textContent = answer.detail || answer.error || `HTTP ${response.status}`;
        return;
      }
      this.path.value = '';
      this.file.value = '';
      this.listJobs.dropEarlier();
      await this.refresh();
    } catch (e) {
      this.message.textContent = `Could not submit the job: ${e}`;
    }
  }

  /** @param {string} id */
  async remove(id) {
    const response = await fetch(`/jobs/${encodeURIComponent(id)}`, { method: 'DELETE' });
    if (!response.ok && response.status !== 404) {
      const answer = await response.json().catch(() => ({}));
      this.message.textContent = answer.detail || `HTTP ${response.status}`;
    }
    this.listJobs.dropEarlier();
    await this.refresh();
  }

  async refresh() {
    try {
      await this.listJobs();
    } catch (e) {
      this.message.textContent = String(/** @type {Error} */ (e).message || e); // e.g. no event store
    }
  }

  /** @param {any[]} jobs */
  showJobs(jobs) {
    const rows = jobs.map((job) => this.rowFor(job));
    if (rows.length !== this.list.children.length || rows.some((r, i) => this.list.children[i] !== r)) {
      this.list.replaceChildren(...rows);
    }
    for (const id of [...this.rows.keys()]) {
      if (!jobs.some((job) => job.id === id)) this.rows.delete(id);
    }
  }

  /** @param {any} job */
  rowFor(job) {
    let row = this.rows.get(job.id);
    if (!row) {
      const remove = el('button', { type: 'button', 'data-action': 'remove' });
      remove.addEventListener('click', () => void this.remove(job.id));
      row = el('li', { class: 'job', 'data-job-id': job.id }, [
        el('div', { class: 'job-head' }, [
          el('strong', {}, [job.input]), el('span', { class: 'job-pipeline' }, [job.pipeline_id]),
          el('a', { class: 'job-results', href: resultsUrl(job.id), download: `${job.id}.jsonl` }, ['Results']), remove]),
        el('progress', { class: 'job-progress', max: '1' }),
        el('div', { class: 'job-text' })]);
      this.rows.set(job.id, row);
    }
    const { fraction, text } = jobProgress(job);
    const bar = /** @type {HTMLProgressElement} */ (row.querySelector('.job-progress'));
    if (fraction === null) bar.removeAttribute('value');
    else bar.value = fraction;
    row.dataset.state = job.state;
    /** @type {HTMLElement} */ (row.querySelector('.job-text')).textContent = text;
    /** @type {HTMLElement} */ (row.querySelector('[data-action="remove"]')).textContent = removeLabel(job);
    return row;
  }
}

if (typeof document !== 'undefined') {
  const root = document.getElementById('jobs-panel');
  if (root) void new JobsPanel(root).start();
}
