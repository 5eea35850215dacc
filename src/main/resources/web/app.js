// @ts-check
/**
 * Page wiring: pipeline selector, camera capture, throttled sending, overlay, banner, debug panel.
 * Deep link: `/?pipeline_id=ID&autostart=1` preselects ID and starts streaming without a click.
 * The overlay draws the streamed pipeline's lines and zones, from the definition workbench.js
 * announces (`framewire:definition`), and the tracks' trails; each result is passed on as
 * `framewire:result` (analytics-panel.js lists counts and events) and each new stream announced as
 * `framewire:stream-started`.
 */
import { FPSThrottler, RateRecovery, START_FPS } from './throttler.js';
import { StreamClient, buildStreamUrl } from './protocol.js';
import { Overlay, summarize } from './overlay.js';
import { DebugPanel } from './debug-panel.js';
import { describeClose, describeError } from './errors.js';
import { Reconnector } from './reconnect.js';
import { pipelineLister, pipelineOptions } from './pipeline-list.js';
import { Trails, anchorIn, geometryOf } from './analytics.js';

const JPEG_QUALITY = 0.8;
const PANEL_REFRESH_MS = 250;

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @returns {T}
 */
function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return /** @type {T} */ (el);
}

const select = /** @type {HTMLSelectElement} */ (byId('pipeline-select'));
const startButton = /** @type {HTMLButtonElement} */ (byId('start-button'));
const banner = byId('error-banner');
const bannerMessage = byId('error-message');
const bannerDetail = byId('error-detail');
const retryButton = /** @type {HTMLButtonElement} */ (byId('retry-button'));
const video = /** @type {HTMLVideoElement} */ (byId('video'));
const placeholder = byId('placeholder');
const summary = byId('result-summary');
const overlay = new Overlay(/** @type {HTMLCanvasElement} */ (byId('overlay')));
const panel = new DebugPanel(document);

const captureCanvas = document.createElement('canvas');
const captureCtx = /** @type {CanvasRenderingContext2D} */ (captureCanvas.getContext('2d'));

const trails = new Trails();
/** The pipeline streamed now ('' before the first start), and the last definition the workbench showed. */
let streamedId = '';
/** @type {{id: string, definition: any}} */
let shownDefinition = { id: '', definition: null };

/** The overlay's lines and zones: those of the streamed pipeline's definition, once it is known. */
function scene() {
  const definition = shownDefinition.id === streamedId ? shownDefinition.definition : null;
  trails.anchor = anchorIn(definition); // the trails show the point the lines and zones count
  return { geometry: geometryOf(definition), trails };
}

const throttler = new FPSThrottler(START_FPS);
const recovery = new RateRecovery(throttler, { onChange: refreshPanel });

const client = new StreamClient({
  url: '',
  handlers: {
    onStatus: refreshPanel,
    onResult: (index, result, _latency, timings) => {
      reconnector.connected();
      trails.update(result);
      overlay.draw(index, result, scene());
      summary.textContent = summarize(result) || '\u00a0';
      document.dispatchEvent(new CustomEvent('framewire:result', { detail: { index, result, pipeline: streamedId } }));
      // The workbench (workbench.js) shows node timings on the graph.
      if (timings) document.dispatchEvent(new CustomEvent('framewire:timings', { detail: timings }));
    },
    // Dropped frames are counted by the client; nothing is redrawn for them.
    onSlowDown: (warning) => recovery.onSlowDown(warning.maxFps),
    onError: (error) => {
      stopped();
      showBanner(describeError(error.code), error.detail);
    },
    onClose: (ev) => {
      stopped();
      const error = client.lastError;
      if (error === null) showBanner(describeClose(ev.code), ev.reason);
      // Comes back by itself after a restart, a drop or an idle timeout; not after a refusal.
      const decision = reconnector.streamEnded({ errorCode: error?.code ?? null, closeCode: ev.code });
      if (!decision.retry) bannerDetail.textContent = [bannerDetail.textContent, decision.reason].filter(Boolean).join(' · ');
    },
    onMalformed: (raw, reason) => console.warn('framewire: ignored server message', reason, raw),
  },
});

const reconnector = new Reconnector({
  reconnect: () => void start({ resume: true }),
  onCountdown: (seconds, reason) => {
    showBanner(`Reconnecting in ${seconds} s…`, reason);
  },
});

/** @type {MediaStream | null} */
let camera = null;
let streaming = false;
let encoding = false;

function refreshPanel() {
  panel.update(panelState());
}

function panelState() {
  return {
    status: reconnector.pending ? 'reconnecting' : client.status,
    results: client.results,
    dropped: client.dropped,
    slowdowns: client.slowdowns,
    maxFps: throttler.maxFps,
    sentFps: client.sentFps(),
    dropRate: client.dropRate(),
    latencies: client.latencies,
    url: client.url,
    inFlight: client.inFlight,
  };
}

/**
 * @param {string} message
 * @param {string} [detail]
 */
function showBanner(message, detail = '') {
  bannerMessage.textContent = message;
  bannerDetail.textContent = detail;
  banner.hidden = false;
  refreshPanel();
}

function hideBanner() {
  banner.hidden = true;
  bannerMessage.textContent = '';
  bannerDetail.textContent = '';
}

/** `/?…&autostart=1`: start streaming once the first list is shown. */
let autostart = new URLSearchParams(location.search).get('autostart') === '1';

/**
 * A copy of the streamed built-in that a drawing was saved into (workbench.js), to be streamed once
 * a list selects it (the URL's pipeline_id names it); null: none.
 * @type {{id: string, from: string} | null}
 */
let pendingCopy = null;

/** Fills the selector; the URL's pipeline_id (now, not when the list was asked for) is selected. */
function showPipelines(/** @type {import('./pipeline-list.js').PipelineInfo[]} */ pipelines) {
  const wanted = new URLSearchParams(location.search).get('pipeline_id');
  select.replaceChildren(...pipelineOptions(pipelines, wanted).map((o) => {
    const option = new Option(o.label, o.value);
    if (o.title) option.title = o.title;
    return option;
  }));
  if (wanted) select.value = wanted;
  refreshPanel();
  if (pendingCopy !== null && select.value === pendingCopy.id && pipelines.some((p) => p.id === pendingCopy?.id)) {
    const copy = pendingCopy;
    pendingCopy = null;
    if (streaming && streamedId === copy.from) void start({ resume: true });
  }
  if (autostart) {
    autostart = false;
    void start();
  }
}

/** Lists the pipelines again; a list older than the one on screen is dropped (web/pipeline-list.js). */
const loadPipelines = pipelineLister(fetch, showPipelines);

async function ensureCamera() {
  if (camera) return;
  camera = await navigator.mediaDevices.getUserMedia({
    video: { width: { ideal: 640 }, height: { ideal: 480 } },
    audio: false,
  });
  video.srcObject = camera;
  await video.play();
  placeholder.hidden = true;
}

/** @param {{resume?: boolean}} [options] resume: an automatic reconnect, keeping the throttled rate */
async function start(options = {}) {
  reconnector.cancel();
  hideBanner();
  if (!select.value) {
    showBanner('No pipeline is selected.', 'The server listed no pipelines.');
    return;
  }
  try {
    await ensureCamera();
  } catch (e) {
    showBanner('The camera is not available.', e instanceof Error ? e.message : String(e));
    return;
  }
  const timingsToggle = /** @type {HTMLInputElement | null} */ (document.getElementById('timings-toggle'));
  client.url = buildStreamUrl(location, select.value) + (timingsToggle?.checked ? '&timings=1' : '');
  if (!options.resume) recovery.reset();
  streamedId = select.value;
  trails.clear(); // a new stream's track ids start again from 1
  document.dispatchEvent(new CustomEvent('framewire:stream-started', { detail: { pipeline: streamedId } }));
  overlay.clear();
  summary.textContent = '\u00a0';
  client.connect();
  streaming = true;
  startButton.textContent = 'Stop';
  refreshPanel();
}

function stop() {
  reconnector.cancel();
  client.disconnect();
  stopped();
}

/** The stream ended (by the user, an error or the server): stop sending. */
function stopped() {
  streaming = false;
  startButton.textContent = 'Start';
  refreshPanel();
}

function captureAndSend() {
  const w = video.videoWidth;
  const h = video.videoHeight;
  if (!w || !h) return;
  if (captureCanvas.width !== w) captureCanvas.width = w;
  if (captureCanvas.height !== h) captureCanvas.height = h;
  overlay.resize(w, h);
  captureCtx.drawImage(video, 0, 0, w, h);
  encoding = true;
  captureCanvas.toBlob(
    (blob) => {
      encoding = false;
      if (blob && streaming) client.sendFrame(blob);
    },
    'image/jpeg',
    JPEG_QUALITY,
  );
}

function loop() {
  recovery.tick();
  if (streaming && !encoding && client.canSend()) {
    throttler.throttle(captureAndSend);
  }
  requestAnimationFrame(loop);
}

select.addEventListener('change', () => {
  pendingCopy = null; // the user chose: no copy is streamed on their behalf
  const url = new URL(location.href);
  url.searchParams.set('pipeline_id', select.value);
  url.searchParams.delete('autostart');
  history.replaceState(null, '', url);
  if (streaming || !banner.hidden) void start();
});
startButton.addEventListener('click', () => (streaming ? stop() : void start()));
retryButton.addEventListener('click', () => void start());

// The workbench saved or deleted a pipeline, or its poll saw the server's list change: list again
// (the URL's pipeline_id selects). A list asked for before this event is out of date: dropped.
document.addEventListener('framewire:pipelines-changed', (event) => {
  loadPipelines.dropEarlier();
  void loadPipelines();
  // The streamed pipeline was saved on this page (the editor, a drawn line or zone): open sessions
  // finish on the version they started with, so stream again to run the saved one.
  const { id: saved, copyOf } = /** @type {CustomEvent} */ (event).detail ?? {};
  if (streaming && saved !== undefined && saved === streamedId) void start({ resume: true });
  // A drawing on the streamed built-in was saved into a copy (workbench.js): once the list selects
  // the copy (the URL's pipeline_id), stream it, so its counts show and the next drawing goes there.
  // Whichever list selects it first: the poll's change event can drop this one's list.
  if (streaming && saved !== undefined && copyOf !== undefined && copyOf === streamedId) {
    pendingCopy = { id: saved, from: copyOf };
  }
});

// The workbench loaded a definition: its lines and zones are drawn while that pipeline streams.
document.addEventListener('framewire:definition', (event) => {
  const detail = /** @type {CustomEvent} */ (event).detail;
  shownDefinition = { id: detail.id, definition: detail.definition };
});

setInterval(refreshPanel, PANEL_REFRESH_MS);
requestAnimationFrame(loop);
void loadPipelines();
