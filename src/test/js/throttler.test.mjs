import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FPSThrottler,
  RateRecovery,
  START_FPS,
  DEFAULT_SLOWDOWN_FPS,
} from '../../main/resources/web/throttler.js';

/** A clock the test moves by hand. */
function fakeClock(start = 1000) {
  const clock = { t: start, now: () => clock.t, advance: (ms) => { clock.t += ms; } };
  return clock;
}

test('first throttle call runs the callback immediately', () => {
  const clock = fakeClock();
  const throttler = new FPSThrottler(10, clock.now);
  let runs = 0;
  throttler.throttle(() => runs++);
  assert.equal(runs, 1);
});

test('runs only when at least 1000/maxFps ms passed since the last run', () => {
  const clock = fakeClock();
  const throttler = new FPSThrottler(10, clock.now); // 100 ms interval
  let runs = 0;
  throttler.throttle(() => runs++);
  clock.advance(99.9);
  throttler.throttle(() => runs++);
  assert.equal(runs, 1, 'skipped before the interval');
  clock.advance(0.1);
  throttler.throttle(() => runs++);
  assert.equal(runs, 2, 'runs exactly at the interval');
  clock.advance(50);
  throttler.throttle(() => runs++);
  assert.equal(runs, 2);
  clock.advance(50);
  throttler.throttle(() => runs++);
  assert.equal(runs, 3);
});

test('skipped calls do not move the reference time', () => {
  const clock = fakeClock();
  const throttler = new FPSThrottler(4, clock.now); // 250 ms
  let runs = 0;
  throttler.throttle(() => runs++);
  for (let i = 0; i < 24; i++) {
    clock.advance(10);
    throttler.throttle(() => runs++);
  }
  assert.equal(runs, 1);
  clock.advance(10); // 250 ms since the first run
  throttler.throttle(() => runs++);
  assert.equal(runs, 2);
});

test('calling every ms for one second runs maxFps times', () => {
  const clock = fakeClock(0);
  const throttler = new FPSThrottler(15, clock.now);
  let runs = 0;
  for (let t = 0; t < 1000; t++) {
    clock.t = t;
    throttler.throttle(() => runs++);
  }
  // interval 66.67 ms: runs at 0, 67, 134, ... 938 -> 15 runs
  assert.equal(runs, 15);
});

test('setMaxFps changes the interval for the next call', () => {
  const clock = fakeClock();
  const throttler = new FPSThrottler(20, clock.now); // 50 ms
  let runs = 0;
  throttler.throttle(() => runs++);
  throttler.setMaxFps(5); // 200 ms
  assert.equal(throttler.maxFps, 5);
  clock.advance(50);
  throttler.throttle(() => runs++);
  assert.equal(runs, 1, 'the old 50 ms interval no longer applies');
  clock.advance(150);
  throttler.throttle(() => runs++);
  assert.equal(runs, 2);
  throttler.setMaxFps(20);
  clock.advance(50);
  throttler.throttle(() => runs++);
  assert.equal(runs, 3, 'raising the rate takes effect immediately');
});

test('default clock is performance.now', () => {
  const throttler = new FPSThrottler(15);
  const before = performance.now();
  const t = throttler.getTime();
  assert.ok(t >= before && t <= performance.now());
});

test('recovery starts at 15 fps', () => {
  const throttler = new FPSThrottler(99);
  new RateRecovery(throttler, { getTime: () => 0 });
  assert.equal(START_FPS, 15);
  assert.equal(throttler.maxFps, 15);
});

test('slow_down sets the given max_fps, or 5 when absent or invalid', () => {
  const clock = fakeClock();
  const throttler = new FPSThrottler(15, clock.now);
  const recovery = new RateRecovery(throttler, { getTime: clock.now });
  recovery.onSlowDown(7.5);
  assert.equal(throttler.maxFps, 7.5);
  recovery.reset();
  recovery.onSlowDown(undefined);
  assert.equal(throttler.maxFps, DEFAULT_SLOWDOWN_FPS);
  assert.equal(DEFAULT_SLOWDOWN_FPS, 5);
  recovery.reset();
  recovery.onSlowDown(0);
  assert.equal(throttler.maxFps, 5);
  recovery.reset();
  recovery.onSlowDown(-3);
  assert.equal(throttler.maxFps, 5);
});

test('a slow_down never raises the rate', () => {
  const clock = fakeClock();
  const throttler = new FPSThrottler(15, clock.now);
  const recovery = new RateRecovery(throttler, { getTime: clock.now });
  recovery.onSlowDown(3);
  recovery.onSlowDown(10);
  assert.equal(throttler.maxFps, 3);
});

test('after each calm period the rate rises one step, up to the start rate', () => {
  const clock = fakeClock();
  const throttler = new FPSThrottler(15, clock.now);
  const changes = [];
  const recovery = new RateRecovery(throttler, {
    getTime: clock.now, calmMs: 5000, stepFps: 2, onChange: (fps) => changes.push(fps),
  });
  recovery.onSlowDown(4);
  assert.equal(throttler.maxFps, 4);

  clock.advance(4999);
  recovery.tick();
  assert.equal(throttler.maxFps, 4, 'not calm long enough');

  clock.advance(1);
  recovery.tick();
  assert.equal(throttler.maxFps, 6, 'first step');
  recovery.tick();
  assert.equal(throttler.maxFps, 6, 'one step per calm period');

  const expected = [8, 10, 12, 14, 15];
  for (const fps of expected) {
    clock.advance(5000);
    recovery.tick();
    assert.equal(throttler.maxFps, fps);
  }
  clock.advance(60000);
  recovery.tick();
  assert.equal(throttler.maxFps, 15, 'never above the start rate');
  assert.deepEqual(changes, [4, 6, ...expected]);
});

test('a new slow_down during recovery restarts the calm period', () => {
  const clock = fakeClock();
  const throttler = new FPSThrottler(15, clock.now);
  const recovery = new RateRecovery(throttler, { getTime: clock.now, calmMs: 1000, stepFps: 2 });
  recovery.onSlowDown(5);
  clock.advance(1000);
  recovery.tick();
  assert.equal(throttler.maxFps, 7);
  clock.advance(500);
  recovery.onSlowDown(6);
  assert.equal(throttler.maxFps, 6);
  clock.advance(999);
  recovery.tick();
  assert.equal(throttler.maxFps, 6);
  clock.advance(1);
  recovery.tick();
  assert.equal(throttler.maxFps, 8);
});

test('reset returns to the start rate at once', () => {
  const clock = fakeClock();
  const throttler = new FPSThrottler(15, clock.now);
  const recovery = new RateRecovery(throttler, { getTime: clock.now });
  recovery.onSlowDown(2);
  recovery.reset();
  assert.equal(throttler.maxFps, 15);
  clock.advance(100000);
  recovery.tick();
  assert.equal(throttler.maxFps, 15);
});
