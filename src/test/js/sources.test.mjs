import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyAnswer, emptyWatch, fetchSources, sourceCounters, sourceWatchUrl } from '../../main/resources/web/sources.js';

test('the watcher URL follows the page: ws for http, wss for https, id escaped', () => {
  assert.equal(sourceWatchUrl({ protocol: 'http:', host: 'cam.local:8080' }, 'door'), 'ws://cam.local:8080/ws/sources/door');
  assert.equal(sourceWatchUrl({ protocol: 'https:', host: 'x' }, 'a b'), 'wss://x/ws/sources/a%20b');
});

test('answers are counted: results keep the latest, dropped count, an error is kept with its detail', () => {
  let w = emptyWatch();
  w = applyAnswer(w, { frame_index: 3, result: { width: 160 } });
  w = applyAnswer(w, { frame_index: 4, dropped: true });
  w = applyAnswer(w, { frame_index: 5, result: { width: 161 } });
  assert.deepEqual(w, { results: 2, dropped: 1, lastIndex: 5, lastResult: { width: 161 }, error: null });
  w = applyAnswer(w, { error: 'source_stopped', detail: 'the source was deleted' });
  assert.equal(w.error, 'source_stopped: the source was deleted');
  assert.equal(applyAnswer(w, { what: 'ever' }), w, 'unknown messages change nothing');
});

test('counters line shows size and reconnects only when known', () => {
  const line = sourceCounters({ frames_processed: 10, frames_dropped: 2, frames_decoded: 12, fps: 24.96, width: 320, height: 240, reconnects: 1 });
  assert.equal(line, '10 processed · 2 dropped · 12 decoded · 25.0 fps · 320×240 · 1 reconnects');
  assert.equal(sourceCounters({ frames_processed: 0, frames_dropped: 0, frames_decoded: 0, fps: 0, width: null, height: null, reconnects: 0 }),
    '0 processed · 0 dropped · 0 decoded · 0.0 fps');
});

test('the sources list is GET /sources; a refusal rejects, so the list on screen stays', async () => {
  const calls = [];
  const list = await fetchSources(async (url, init) => {
    calls.push([url, init.headers.Accept]);
    return { ok: true, status: 200, json: async () => [{ id: 'door' }] };
  });
  assert.deepEqual(list, [{ id: 'door' }]);
  assert.deepEqual(calls, [['/sources', 'application/json']]);
  await assert.rejects(fetchSources(async () => ({ ok: false, status: 503, json: async () => ({}) })), /HTTP 503/);
});
