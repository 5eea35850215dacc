// @ts-check
/**
 * Frame-rate limiting for the streaming client.
 *
 * `FPSThrottler` keeps the API decided for framewire exactly: a constructor taking the maximum
 * rate and an injectable clock, `setMaxFps` to change the rate at run time, and `throttle` that
 * runs its callback only when at least `1000 / maxFps` ms have passed since the last run.
 *
 * `RateRecovery` is the policy on top of it: a `slow_down` warning lowers the rate at once, and
 * after a calm period (no warning) the rate is raised one step at a time back to the start rate.
 */

/** Frames per second the page starts at, and the ceiling recovery climbs back to. */
export const START_FPS = 15;
/** Rate used when a slow_down warning carries no usable `max_fps`. */
export const DEFAULT_SLOWDOWN_FPS = 5;
/** Quiet time (ms) after the last slow_down, or the last step up, before the next step up. */
export const DEFAULT_CALM_MS = 5000;
/** How many fps each recovery step adds. */
export const DEFAULT_STEP_FPS = 2;

export class FPSThrottler {
  /**
   * @param {number} maxFps most callbacks per second
   * @param {() => number} [getTime] clock in milliseconds (injectable for tests)
   */
  constructor(maxFps, getTime = () => performance.now()) {
    /** @type {number} */
    this.maxFps = maxFps;
    /** @type {() => number} */
    this.getTime = getTime;
    /** @type {number | null} */
    this.lastRun = null;
  }

  /** @param {number} maxFps */
  setMaxFps(maxFps) {
    this.maxFps = maxFps;
  }

  /**
   * Runs `callback` now if at least `1000 / maxFps` ms passed since the last run, else skips it.
   * @param {() => void} callback
   */
  throttle(callback) {
    const now = this.getTime();
    const minInterval = 1000 / this.maxFps;
    if (this.lastRun === null || now - this.lastRun >= minInterval) {
      this.lastRun = now;
      callback();
    }
  }
}

/**
 * Lowers a throttler's rate on slow_down and raises it back step by step when the server is calm.
 *
 * Call {@link RateRecovery#onSlowDown} for each warning and {@link RateRecovery#tick} regularly
 * (the page calls it once per animation frame); `tick` raises the rate by `stepFps` whenever
 * `calmMs` passed since the last warning or the last step, never above `startFps`.
 */
export class RateRecovery {
  /**
   * @param {FPSThrottler} throttler
   * @param {{startFps?: number, defaultSlowFps?: number, calmMs?: number, stepFps?: number,
   *          getTime?: () => number, onChange?: (fps: number) => void}} [options]
   */
  constructor(throttler, options = {}) {
    this.throttler = throttler;
    this.startFps = options.startFps ?? START_FPS;
    this.defaultSlowFps = options.defaultSlowFps ?? DEFAULT_SLOWDOWN_FPS;
    this.calmMs = options.calmMs ?? DEFAULT_CALM_MS;
    this.stepFps = options.stepFps ?? DEFAULT_STEP_FPS;
    this.getTime = options.getTime ?? (() => performance.now());
    this.onChange = options.onChange ?? (() => {});
    /** @type {number} */
    this.currentFps = this.startFps;
    /** @type {number | null} time of the last slow_down or step up; null when at full rate */
    this.lastChange = null;
    this.throttler.setMaxFps(this.currentFps);
  }

  /**
   * Applies a slow_down warning: the rate drops to `maxFps` (the default when absent or invalid).
   * A warning never raises the rate.
   * @param {number | undefined | null} maxFps
   */
  onSlowDown(maxFps) {
    const target =
      typeof maxFps === 'number' && Number.isFinite(maxFps) && maxFps > 0 ? maxFps : this.defaultSlowFps;
    this.lastChange = this.getTime();
    this.set(Math.min(this.currentFps, target));
  }

  /** Raises the rate one step if the calm period has passed. */
  tick() {
    if (this.lastChange === null || this.currentFps >= this.startFps) {
      return;
    }
    const now = this.getTime();
    if (now - this.lastChange >= this.calmMs) {
      this.lastChange = now;
      this.set(Math.min(this.startFps, this.currentFps + this.stepFps));
      if (this.currentFps >= this.startFps) {
        this.lastChange = null;
      }
    }
  }

  /** Back to the start rate (a new connection starts fresh). */
  reset() {
    this.lastChange = null;
    this.set(this.startFps);
  }

  /** @param {number} fps */
  set(fps) {
    const changed = fps !== this.currentFps;
    this.currentFps = fps;
    this.throttler.setMaxFps(fps);
    if (changed) {
      this.onChange(fps);
    }
  }
}
