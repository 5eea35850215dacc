// @ts-check
/**
 * The framewire streaming protocol, client side, with no DOM dependency so that Node can test it.
 *
 * A {@link StreamClient} opens `ws(s)://HOST/ws/video/stream?pipeline_id=ID`, sends each JPEG frame
 * as one binary message, and dispatches the server's JSON answers to callbacks:
 * `{"frame_index":N,"result":{…}}`, `{"frame_index":N,"dropped":true}`,
 * `{"warning":"slow_down","max_fps":F,"drop_rate":R}` and `{"error":CODE,"detail":"…"}`.
 * It counts results, drops and slow-downs and measures each frame's latency (send → answer).
 *
 * In-flight limit: the server already sheds load itself (a latest-frame-wins slot answers superseded
 * frames `dropped`, and its drop rate is what triggers `slow_down`). A stop-and-wait client (one or
 * two frames in flight) would hide that overload from the server, so the server would never warn and
 * the throttler would never learn the sustainable rate. The client therefore only caps in-flight
 * frames at {@link DEFAULT_MAX_IN_FLIGHT} (about half a second at 15 fps) and refuses to send while
 * the socket's own send buffer holds more than {@link DEFAULT_MAX_BUFFERED_BYTES}: enough room for
 * the server's drop policy to work, while the browser's buffers stay bounded if the network or the
 * server stalls.
 */

/** Most frames sent and not yet answered (result or dropped). */
export const DEFAULT_MAX_IN_FLIGHT = 8;
/** Most bytes allowed in the WebSocket's send buffer before a new frame is held back. */
export const DEFAULT_MAX_BUFFERED_BYTES = 2 * 1024 * 1024;
/** How many recent latencies are kept. */
export const LATENCY_HISTORY = 10;
/** How many recent answers the client-side drop rate is computed over. */
export const DROP_WINDOW = 30;

/**
 * @typedef {{
 *   binaryType: string,
 *   readyState: number,
 *   bufferedAmount: number,
 *   send(data: any): void,
 *   close(code?: number, reason?: string): void,
 *   onopen: ((ev: any) => void) | null,
 *   onmessage: ((ev: {data: any}) => void) | null,
 *   onclose: ((ev: {code: number, reason: string, wasClean?: boolean}) => void) | null,
 *   onerror: ((ev: any) => void) | null,
 * }} SocketLike
 */

/**
 * @typedef {'idle' | 'connecting' | 'open' | 'closed' | 'error'} Status
 * @typedef {{code: string, detail: string}} StreamError
 * @typedef {{maxFps: number | null, dropRate: number | null}} SlowDown
 * @typedef {{
 *   onStatus?: (status: Status) => void,
 *   onResult?: (frameIndex: number, result: any, latencyMs: number | null, timingsMs?: Record<string, number> | null) => void,
 *   onDropped?: (frameIndex: number, latencyMs: number | null) => void,
 *   onSlowDown?: (warning: SlowDown) => void,
 *   onError?: (error: StreamError) => void,
 *   onClose?: (ev: {code: number, reason: string}) => void,
 *   onMalformed?: (raw: any, reason: string) => void,
 * }} Handlers
 */

/** WebSocket readyState OPEN. */
const OPEN = 1;

/**
 * The streaming URL for a page at `location` (uses ws: for http: and wss: for https:).
 * @param {{protocol: string, host: string}} location
 * @param {string} pipelineId
 * @returns {string}
 */
export function buildStreamUrl(location, pipelineId) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/video/stream?pipeline_id=${encodeURIComponent(pipelineId)}`;
}

export class StreamClient {
  /** Frames sent on this connection. */
  sent = 0;
  /** Answers with a result. */
  results = 0;
  /** Answers `dropped`. */
  dropped = 0;
  /** slow_down warnings received. */
  slowdowns = 0;
  /** Server messages that could not be understood. */
  malformed = 0;
  /** Highest frame_index answered, -1 before the first answer. */
  lastAnswered = -1;
  /** @type {Map<number, number>} frame_index → send time, for frames not answered yet */
  sentAt = new Map();
  /** @type {number[]} latest latencies in ms, most recent last */
  latencies = [];
  /** @type {boolean[]} whether each recent answer was a drop, most recent last */
  recentAnswers = [];
  /** @type {number[]} send times within the last second */
  recentSends = [];
  /** @type {SlowDown | null} */
  lastSlowDown = null;
  /** @type {StreamError | null} */
  lastError = null;

  /**
   * @param {{
   *   url: string,
   *   handlers?: Handlers,
   *   createSocket?: (url: string) => SocketLike,
   *   now?: () => number,
   *   maxInFlight?: number,
   *   maxBufferedBytes?: number,
   * }} options
   */
  constructor(options) {
    this.url = options.url;
    /** @type {Handlers} */
    this.handlers = options.handlers ?? {};
    /** @type {(url: string) => SocketLike} */
    this.createSocket =
      options.createSocket ?? ((url) => /** @type {SocketLike} */ (/** @type {unknown} */ (new WebSocket(url))));
    this.now = options.now ?? (() => performance.now());
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    /** @type {SocketLike | null} */
    this.socket = null;
    /** @type {Status} */
    this.status = 'idle';
  }

  /** Zeroes the counters (each connection counts from frame 0). */
  resetCounters() {
    this.sent = 0;
    this.results = 0;
    this.dropped = 0;
    this.slowdowns = 0;
    this.malformed = 0;
    this.lastAnswered = -1;
    this.sentAt = new Map();
    this.latencies = [];
    this.recentAnswers = [];
    this.recentSends = [];
    this.lastSlowDown = null;
    this.lastError = null;
  }

  /** Opens a new connection, closing any previous one; counters start from zero. */
  connect() {
    this.disconnect();
    this.resetCounters();
    const socket = this.createSocket(this.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.setStatus('connecting');
    socket.onopen = () => {
      if (this.socket === socket) this.setStatus('open');
    };
    socket.onmessage = (ev) => {
      if (this.socket === socket) this.handleMessage(ev.data);
    };
    socket.onerror = () => {
      // The close event that follows carries the details.
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.status !== 'error') this.setStatus('closed');
      this.handlers.onClose?.({ code: ev.code, reason: ev.reason });
    };
  }

  /** Closes the connection (if any) without reporting it as an error. */
  disconnect() {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try {
        socket.close(1000, 'client closed');
      } catch (_) {
        // already closing
      }
      this.setStatus('closed');
    }
  }

  /** Frames sent whose answer has not arrived yet. */
  get inFlight() {
    return this.sent - (this.lastAnswered + 1);
  }

  /** Whether a frame may be sent now: connection open and the in-flight and buffer limits respected. */
  canSend() {
    const socket = this.socket;
    return (
      socket !== null &&
      socket.readyState === OPEN &&
      this.inFlight < this.maxInFlight &&
      socket.bufferedAmount <= this.maxBufferedBytes
    );
  }

  /**
   * Sends one JPEG frame as a binary message.
   * @param {ArrayBuffer | Uint8Array | Blob} jpeg
   * @returns {number} the frame's index, or -1 when it was not sent (see {@link canSend})
   */
  sendFrame(jpeg) {
    if (!this.canSend() || this.socket === null) return -1;
    const index = this.sent;
    const t = this.now();
    this.socket.send(jpeg);
    this.sent += 1;
    this.sentAt.set(index, t);
    this.recentSends.push(t);
    this.pruneSends(t);
    return index;
  }

  /** Frames per second sent over the last second. */
  sentFps() {
    this.pruneSends(this.now());
    return this.recentSends.length;
  }

  /** Share of dropped answers among the last {@link DROP_WINDOW} answers (0 when none). */
  dropRate() {
    if (this.recentAnswers.length === 0) return 0;
    return this.recentAnswers.filter((d) => d).length / this.recentAnswers.length;
  }

  /** @param {number} t */
  pruneSends(t) {
    while (this.recentSends.length > 0 && t - this.recentSends[0] >= 1000) {
      this.recentSends.shift();
    }
  }

  /**
   * Parses and dispatches one server message. Malformed or unknown messages are counted and
   * reported through `onMalformed`; they never throw.
   * @param {any} data
   */
  handleMessage(data) {
    if (typeof data !== 'string') {
      this.reportMalformed(data, 'binary message from server');
      return;
    }
    /** @type {any} */
    let msg;
    try {
      msg = JSON.parse(data);
    } catch (e) {
      this.reportMalformed(data, 'invalid JSON');
      return;
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
      this.reportMalformed(data, 'not a JSON object');
      return;
    }
    if (typeof msg.error === 'string') {
      this.lastError = { code: msg.error, detail: typeof msg.detail === 'string' ? msg.detail : '' };
      this.setStatus('error');
      this.handlers.onError?.(this.lastError);
      return;
    }
    if (msg.warning === 'slow_down') {
      this.slowdowns += 1;
      this.lastSlowDown = {
        maxFps: typeof msg.max_fps === 'number' ? msg.max_fps : null,
        dropRate: typeof msg.drop_rate === 'number' ? msg.drop_rate : null,
      };
      this.handlers.onSlowDown?.(this.lastSlowDown);
      return;
    }
    if (Number.isInteger(msg.frame_index) && msg.frame_index >= 0) {
      const index = /** @type {number} */ (msg.frame_index);
      if (msg.dropped === true) {
        this.dropped += 1;
        const latency = this.answered(index, true);
        this.handlers.onDropped?.(index, latency);
        return;
      }
      if ('result' in msg) {
        this.results += 1;
        const latency = this.answered(index, false);
        this.handlers.onResult?.(index, msg.result, latency, msg.timings_ms ?? null);
        return;
      }
    }
    this.reportMalformed(data, 'unknown message');
  }

  /**
   * Records the answer to frame `index`: its latency and the drop window. Answers come in frame
   * order, so every earlier frame is settled too.
   * @param {number} index
   * @param {boolean} dropped
   * @returns {number | null} latency in ms, null if the frame's send time is unknown
   */
  answered(index, dropped) {
    const sentAt = this.sentAt.get(index);
    const latency = sentAt === undefined ? null : this.now() - sentAt;
    for (const key of this.sentAt.keys()) {
      if (key <= index) this.sentAt.delete(key);
    }
    this.lastAnswered = Math.max(this.lastAnswered, index);
    if (latency !== null) {
      this.latencies.push(latency);
      if (this.latencies.length > LATENCY_HISTORY) this.latencies.shift();
    }
    this.recentAnswers.push(dropped);
    if (this.recentAnswers.length > DROP_WINDOW) this.recentAnswers.shift();
    return latency;
  }

  /**
   * @param {any} raw
   * @param {string} reason
   */
  reportMalformed(raw, reason) {
    this.malformed += 1;
    this.handlers.onMalformed?.(raw, reason);
  }

  /** @param {Status} status */
  setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.handlers.onStatus?.(status);
  }
}
