import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, Reconnector, decideAfterEnd } from '../../main/resources/web/reconnect.js';

/** Timers and a clock the test moves by hand. */
function fakeTime() {
  const t = { now: 0, timers: [] };
  t.set = (fn, ms) => {
    const timer = { at: t.now + ms, fn, cancelled: false };
    t.timers.push(timer);
    return timer;
  };
  t.clear = (timer) => { timer.cancelled = true; };
  t.advance = (ms) => {
    const end = t.now + ms;
    for (;;) {
      const due = t.timers.filter((x) => !x.cancelled && x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      t.now = due.at;
      due.cancelled = true;
      due.fn();
    }
    t.now = end;
  };
  return t;
}

test('reconnects after server_shutting_down, idle_timeout, too_many_sessions and a dropped connection', () => {
  for (const errorCode of ['server_shutting_down', 'idle_timeout', 'too_many_sessions', 'client_stalled']) {
    assert.equal(decideAfterEnd({ errorCode, closeCode: 1000 }).retry, true, errorCode);
  }
  assert.equal(decideAfterEnd({ closeCode: 1006 }).retry, true);
  assert.match(decideAfterEnd({ closeCode: 1006 }).reason, /lost/);
  assert.equal(decideAfterEnd({ closeCode: 1001 }).retry, true);
  assert.equal(decideAfterEnd({ closeCode: 1000 }).retry, true, 'closed without an error message');
});

test('does not retry protocol and access errors, and says why', () => {
  for (const errorCode of ['invalid_pipeline', 'frame_too_large', 'invalid_frame', 'invalid_message',
    'pipeline_failure', 'unauthorized', 'forbidden_origin', 'internal_error', 'something_new']) {
    const d = decideAfterEnd({ errorCode, closeCode: 1000 });
    assert.equal(d.retry, false, errorCode);
    assert.match(d.reason, new RegExp(`not retrying.*${errorCode}`));
  }
  assert.equal(decideAfterEnd({ closeCode: 1008 }).retry, false, 'policy violation');
});

test('backoff doubles from 0.5 s up to 30 s, each delay between half and all of its step', () => {
  const low = new Backoff({ random: () => 0 });
  assert.deepEqual(Array.from({ length: 9 }, () => low.next()), [250, 500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  const high = new Backoff({ random: () => 0.999999 });
  assert.deepEqual(Array.from({ length: 9 }, () => high.next()), [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  high.reset();
  assert.equal(high.next(), 500);
});

test('jitter spreads clients of one restart over the step', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const firstDelays = Array.from({ length: 50 }, () => new Backoff({ random }).next());
  assert.ok(Math.min(...firstDelays) >= 250 && Math.max(...firstDelays) <= 500);
  assert.ok(new Set(firstDelays).size > 25, 'delays differ between clients');
});

test('the reconnector counts down, reconnects once when due, and backs off while it keeps failing', () => {
  const t = fakeTime();
  const countdown = [];
  let reconnects = 0;
  const r = new Reconnector({
    reconnect: () => reconnects++,
    onCountdown: (s, reason) => countdown.push([s, reason]),
    backoff: new Backoff({ random: () => 0.999999 }),
    now: () => t.now, setTimer: t.set, clearTimer: t.clear,
  });
  const first = r.streamEnded({ errorCode: 'server_shutting_down' });
  assert.equal(first.retry, true);
  assert.equal(first.delayMs, 500);
  assert.equal(r.pending, true);
  assert.deepEqual(countdown[0], [1, 'the server ended the stream (server_shutting_down)']);
  t.advance(499);
  assert.equal(reconnects, 0);
  t.advance(1);
  assert.equal(reconnects, 1);
  assert.equal(r.pending, false);

  // The new connection is lost too: a longer delay, shown as it counts down.
  countdown.length = 0;
  assert.equal(r.streamEnded({ closeCode: 1006 }).delayMs, 1000);
  r.streamEnded({ closeCode: 1006 }); // ended again before the attempt (replaces it)
  assert.equal(r.secondsLeft(), 2);
  t.advance(2000);
  assert.equal(reconnects, 2);
  assert.deepEqual(countdown.map((c) => c[0]), [1, 2, 1]);

  // An answer on the new connection resets the backoff.
  r.connected();
  assert.equal(r.streamEnded({ closeCode: 1006 }).delayMs, 500);
});

test('no attempt after a refusal, and the user cancels a pending one', () => {
  const t = fakeTime();
  let reconnects = 0;
  const r = new Reconnector({ reconnect: () => reconnects++, now: () => t.now, setTimer: t.set, clearTimer: t.clear });
  assert.equal(r.streamEnded({ errorCode: 'invalid_pipeline' }).retry, false);
  assert.equal(r.pending, false);
  r.streamEnded({ closeCode: 1006 });
  r.cancel();
  t.advance(60000);
  assert.equal(reconnects, 0);
});
