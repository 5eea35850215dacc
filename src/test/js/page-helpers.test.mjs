import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeError, describeClose, ERROR_MESSAGES } from '../../main/resources/web/errors.js';
import { collectBoxes, summarize, trackColor } from '../../main/resources/web/overlay.js';
import { panelText, PANEL_IDS } from '../../main/resources/web/debug-panel.js';

test('every protocol error code has its own sentence', () => {
  assert.equal(describeError('invalid_pipeline'), 'The selected pipeline is not available.');
  const codes = ['invalid_pipeline', 'invalid_frame', 'frame_too_large', 'invalid_message',
    'pipeline_failure', 'internal_error', 'too_many_sessions', 'unauthorized', 'forbidden_origin',
    'idle_timeout', 'client_stalled', 'server_shutting_down'];
  const sentences = new Set(codes.map(describeError));
  assert.equal(sentences.size, codes.length);
  for (const code of codes) assert.ok(ERROR_MESSAGES[code]);
});

test('unknown codes get a generic sentence naming the code', () => {
  assert.equal(describeError('teapot'), 'The stream stopped because of a server error (teapot).');
  assert.match(describeError('toString'), /server error \(toString\)/);
  assert.equal(describeClose(1006), 'The connection to the server was lost.');
  assert.match(describeClose(1011), /1011/);
});

test('boxes come from motion regions, codes and detections', () => {
  const boxes = collectBoxes({
    width: 640, height: 480,
    motion: { regions: [{ x: 1, y: 2, w: 3, h: 4 }, { x: 'bad' }], score: 0.2 },
    codes: [{ format: 'QR_CODE', text: 'hello', box: { x: 10, y: 20, w: 30, h: 40 } }, { text: 'no box' }],
    detections: [{ x: 5, y: 6, w: 7, h: 8, label: 'cat', score: 0.91 }, { x: 0, y: 0, w: 1, h: 1 }],
  });
  assert.deepEqual(boxes, [
    { x: 1, y: 2, w: 3, h: 4, label: 'motion', kind: 'motion' },
    { x: 10, y: 20, w: 30, h: 40, label: 'QR_CODE: hello', kind: 'code' },
    { x: 5, y: 6, w: 7, h: 8, label: 'cat 91%', kind: 'detection' },
    { x: 0, y: 0, w: 1, h: 1, label: '', kind: 'detection' },
  ]);
  assert.deepEqual(collectBoxes({ frame_index: 3, bytes: 100 }), []);
  assert.deepEqual(collectBoxes(null), []);
});

test('tracks are boxed with their id and label, each id in a colour of its own', () => {
  const boxes = collectBoxes({
    tracks: [
      { track_id: 7, label: 'person', score: 0.9, x: 1, y: 2, w: 3, h: 4, age: 5, hits: 5, vx: 1, vy: 0 },
      { track_id: 8, x: 10, y: 20, w: 30, h: 40 },
      { x: 0, y: 0, w: 1, h: 1, label: 'no id' },
    ],
  });
  assert.deepEqual(boxes, [
    { x: 1, y: 2, w: 3, h: 4, label: '#7 person', kind: 'track', track_id: '7' },
    { x: 10, y: 20, w: 30, h: 40, label: '#8', kind: 'track', track_id: '8' },
  ]);
  assert.equal(trackColor('7'), trackColor('7'));
  assert.notEqual(trackColor('7'), trackColor('8'));
  assert.match(summarize({ tracks: [{}, {}] }), /^2 track\(s\)$/);
});

test('summary line lists the scalar facts', () => {
  assert.equal(summarize({ width: 640, height: 480, mean_luminance: 101.26 }), '640×480 · luminance 101.3');
  assert.equal(summarize({ frame_index: 0, bytes: 1234 }), '1234 bytes');
  assert.equal(summarize({ slept_ms: 250 }), '{"slept_ms":250}', 'unknown shapes as JSON');
  const long = summarize({ text: 'x'.repeat(500) });
  assert.equal(long.length, 120);
  assert.ok(long.endsWith('…'));
});

test('debug panel ids are stable and texts are formatted', () => {
  assert.equal(PANEL_IDS.status, 'status');
  assert.equal(PANEL_IDS.results, 'results-count');
  assert.equal(PANEL_IDS.dropped, 'dropped-count');
  assert.equal(PANEL_IDS.slowdowns, 'slowdown-count');
  assert.equal(PANEL_IDS.maxFps, 'max-fps');
  const text = panelText({
    status: 'open', results: 12, dropped: 3, slowdowns: 1, maxFps: 6.5, sentFps: 7,
    dropRate: 0.25, latencies: [12.4, 30.6], url: 'ws://h/ws', inFlight: 2,
  });
  assert.deepEqual(text, {
    status: 'open', results: '12', dropped: '3', slowdowns: '1', maxFps: '6.5', sentFps: '7',
    dropRate: '25%', latencies: '12, 31 ms', url: 'ws://h/ws', inFlight: '2',
  });
  assert.equal(panelText({ ...{ status: 'idle', results: 0, dropped: 0, slowdowns: 0, maxFps: 15,
    sentFps: 0, dropRate: 0, latencies: [], url: '', inFlight: 0 } }).latencies, '–');
});
