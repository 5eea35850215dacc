// @ts-check
/**
 * Automatic reconnection of a stream, with no DOM dependency so that Node can test it.
 *
 * After the stream ends, {@link decideAfterEnd} says whether to come back: yes after
 * `server_shutting_down` (a deploy or restart: the server asks clients to reconnect), `idle_timeout`,
 * `too_many_sessions` (busy now, maybe not in a while), a stalled connection, or a connection that
 * closed without an error message (network drop, server killed: close codes 1006, 1001, 1011, 1012,
 * 1013, 1000); no after errors that a new connection would only repeat: `invalid_pipeline`,
 * `frame_too_large`, `invalid_frame`, `invalid_message`, `pipeline_failure`, `unauthorized`,
 * `forbidden_origin`, `internal_error` and codes this client does not know. Those are shown to the
 * user with the reason instead.
 *
 * {@link Backoff} spaces the attempts: exponential (0.5 s, 1 s, 2 s, … up to 30 s) with jitter (each
 * delay drawn between half and all of the step), so that the clients of a restarted server do not
 * all come back in the same instant. A connection that gets an answer resets it.
 */

/** Error codes after which a new connection is worth trying. */
export const RETRYABLE_ERRORS = Object.freeze(
  new Set(['server_shutting_down', 'idle_timeout', 'too_many_sessions', 'client_stalled', 'stalled']),
);

/** Close codes (without an error message before them) after which a new connection is worth trying. */
export const RETRYABLE_CLOSE_CODES = Object.freeze(new Set([1000, 1001, 1006, 1011, 1012, 1013]));

export const DEFAULT_BASE_MS = 500;
export const DEFAULT_MAX_MS = 30000;

/**
 * @typedef {{retry: boolean, reason: string}} Decision
 */

/**
 * Whether to reconnect after a stream ended.
 * @param {{errorCode?: string | null, closeCode?: number | null}} end the server's error code (if
 *   it sent one) and the WebSocket close code
 * @returns {Decision}
 */
export function decideAfterEnd(end) {
  const code = end.errorCode ?? null;
  if (code !== null) {
    if (RETRYABLE_ERRORS.has(code)) {
      return { retry: true, reason: `the server ended the stream (${code})` };
    }
    return { retry: false, reason: `not retrying: the server refused the stream (${code}); a new connection would get the same answer` };
  }
  const close = end.closeCode ?? 1006;
  if (RETRYABLE_CLOSE_CODES.has(close)) {
    return { retry: true, reason: close === 1006 ? 'the connection was lost' : `the connection closed (code ${close})` };
  }
  return { retry: false, reason: `not retrying: the connection closed with code ${close}` };
}

export class Backoff {
  /**
   * @param {{baseMs?: number, maxMs?: number, random?: () => number}} [options]
   */
  constructor(options = {}) {
    this.baseMs = options.baseMs ?? DEFAULT_BASE_MS;
    this.maxMs = options.maxMs ?? DEFAULT_MAX_MS;
    this.random = options.random ?? Math.random;
    /** Attempts since the last reset. */
    this.attempt = 0;
  }

  /** The step for the current attempt: base × 2^attempt, capped. */
  ceilingMs() {
    return Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
  }

  /** The delay before the next attempt (between half and all of the step), and counts the attempt. */
  next() {
    const ceiling = this.ceilingMs();
    const delay = Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
    this.attempt += 1;
    return delay;
  }

  reset() {
    this.attempt = 0;
  }
}

/**
 * Owns the reconnect timer and its countdown. The page tells it when the stream ended, when a
 * connection proved healthy (an answer arrived) and when the user took over (start, stop, retry).
 */
export class Reconnector {
  /**
   * @param {{
   *   reconnect: () => void,
   *   onCountdown?: (secondsLeft: number, reason: string) => void,
   *   backoff?: Backoff,
   *   now?: () => number,
   *   setTimer?: (fn: () => void, ms: number) => any,
   *   clearTimer?: (handle: any) => void,
   * }} options
   */
  constructor(options) {
    this.reconnect = options.reconnect;
    this.onCountdown = options.onCountdown ?? (() => {});
    this.backoff = options.backoff ?? new Backoff();
    this.now = options.now ?? (() => Date.now());
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h));
    /** @type {any} */
    this.timer = null;
    /** @type {any} */
    this.ticker = null;
    /** When the pending attempt fires (clock ms), or null. */
    this.dueAt = /** @type {number | null} */ (null);
    this.reason = '';
  }

  /** Whether an attempt is scheduled. */
  get pending() {
    return this.dueAt !== null;
  }

  /** Whole seconds until the scheduled attempt (rounded up), 0 when none. */
  secondsLeft() {
    return this.dueAt === null ? 0 : Math.max(0, Math.ceil((this.dueAt - this.now()) / 1000));
  }

  /**
   * The stream ended: schedules a new connection if {@link decideAfterEnd} says so.
   * @param {{errorCode?: string | null, closeCode?: number | null}} end
   * @returns {Decision & {delayMs?: number}}
   */
  streamEnded(end) {
    const decision = decideAfterEnd(end);
    this.cancel();
    if (!decision.retry) return decision;
    const delayMs = this.backoff.next();
    this.reason = decision.reason;
    this.dueAt = this.now() + delayMs;
    this.timer = this.setTimer(() => this.fire(), delayMs);
    this.tick();
    return { ...decision, delayMs };
  }

  /** A connection got an answer: the next failure starts from the shortest delay again. */
  connected() {
    this.backoff.reset();
  }

  /** The user took over (start, stop, retry now): no attempt is pending any more. */
  cancel() {
    if (this.timer !== null) this.clearTimer(this.timer);
    if (this.ticker !== null) this.clearTimer(this.ticker);
    this.timer = null;
    this.ticker = null;
    this.dueAt = null;
  }

  /** @private */
  tick() {
    if (this.dueAt === null) return;
    this.onCountdown(this.secondsLeft(), this.reason);
    this.ticker = this.setTimer(() => this.tick(), 1000);
  }

  /** @private */
  fire() {
    this.cancel();
    this.reconnect();
  }
}
