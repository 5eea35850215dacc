import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchJobs, jobProgress, pathJobBody, removeLabel, resultsUrl, uploadJobBody } from '../../main/resources/web/jobs.js';

test('progress: a fraction of the known total, indeterminate while unknown, full when done', () => {
  assert.deepEqual(jobProgress({ state: 'running', frames_done: 30, frames_total: 120, fps: 24.96, eta_s: 3.6, error: null }),
    { fraction: 0.25, text: 'running · 30 / 120 frames · 25.0 fps · ETA 4 s' });
  assert.deepEqual(jobProgress({ state: 'running', frames_done: 7, frames_total: null, fps: 0, eta_s: null, error: null }),
    { fraction: null, text: 'running · 7 frames' });
  assert.deepEqual(jobProgress({ state: 'queued', frames_done: 0, frames_total: null, fps: 0, eta_s: null, error: null }),
    { fraction: 0, text: 'queued · 0 frames' });
  assert.deepEqual(jobProgress({ state: 'done', frames_done: 12, frames_total: 12, fps: 80, eta_s: null, error: null }),
    { fraction: 1, text: 'done · 12 / 12 frames' });
  assert.deepEqual(jobProgress({ state: 'failed', frames_done: 3, frames_total: 12, fps: 0, eta_s: null, error: 'cannot open x.mp4' }),
    { fraction: 0.25, text: 'failed · 3 / 12 frames · cannot open x.mp4' });
});

test('a queued or running job is cancelled, an ended one deleted', () => {
  assert.equal(removeLabel({ state: 'queued' }), 'Cancel');
  assert.equal(removeLabel({ state: 'running' }), 'Cancel');
  for (const state of ['done', 'failed', 'cancelled']) assert.equal(removeLabel({ state }), 'Delete');
});

test('a path job: the JSON body with defaults, or a sentence saying what is missing', () => {
  assert.deepEqual(pathJobBody({ pipeline: 'inspect', path: ' clip.mp4 ', stride: '', maxFrames: '' }),
    { body: '{"pipeline_id":"inspect","input":"clip.mp4","stride":1,"max_frames":0}' });
  assert.deepEqual(pathJobBody({ pipeline: 'motion', path: 'rtsp://cam/1', stride: '5', maxFrames: '100' }),
    { body: '{"pipeline_id":"motion","input":"rtsp://cam/1","stride":5,"max_frames":100}' });
  assert.match(pathJobBody({ pipeline: '', path: 'a.mp4', stride: '', maxFrames: '' }).error, /pipeline/);
  assert.match(pathJobBody({ pipeline: 'inspect', path: ' ', stride: '', maxFrames: '' }).error, /file/);
  assert.match(pathJobBody({ pipeline: 'inspect', path: 'a.mp4', stride: '0', maxFrames: '' }).error, /Stride/);
  assert.match(pathJobBody({ pipeline: 'inspect', path: 'a.mp4', stride: '1', maxFrames: '-2' }).error, /Max frames/);
});

test('an upload: the fields, then the file under its name', async () => {
  const request = uploadJobBody({ pipeline: 'inspect', stride: '2', maxFrames: '' }, new Blob(['abc']), 'clip.mp4');
  assert.ok('body' in request);
  const fields = [...request.body.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : v.name]);
  assert.deepEqual(fields, [['pipeline_id', 'inspect'], ['stride', '2'], ['max_frames', '0'], ['file', 'clip.mp4']]);
  assert.equal(await request.body.get('file').text(), 'abc');
  assert.match(uploadJobBody({ pipeline: '', stride: '', maxFrames: '' }, new Blob([]), 'x').error, /pipeline/);
});

test('the list is GET /jobs; a refusal rejects with the server\'s detail', async () => {
  const jobs = await fetchJobs(async (url, init) => {
    assert.equal(url, '/jobs');
    assert.equal(init.headers.Accept, 'application/json');
    return { ok: true, status: 200, json: async () => ({ jobs: [{ id: 'a' }] }) };
  });
  assert.deepEqual(jobs, [{ id: 'a' }]);
  await assert.rejects(fetchJobs(async () => ({ ok: false, status: 503, json: async () => ({ error: 'jobs_unavailable', detail: 'jobs need the event store' }) })),
    /jobs need the event store/);
  assert.equal(resultsUrl('a b'), '/jobs/a%20b/results');
});
