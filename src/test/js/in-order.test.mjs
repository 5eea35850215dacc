import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inRequestOrder } from '../../main/resources/web/in-order.js';
import { fetchPipelines, pipelineLister, pipelineOptions } from '../../main/resources/web/pipeline-list.js';

/** A promise and the functions that settle it: the test decides when each answer arrives. */
function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A fetch whose answers stay out until the test settles them, one deferred per call, in call order. */
function heldFetch() {
  const calls = [];
  const fn = (url, init = {}) => {
    const answer = deferred();
    calls.push({ url, init, answer });
    return answer.promise;
  };
  fn.calls = calls;
  /** Answers call i with 200 and this body. */
  fn.answer = (i, body) => calls[i].answer.resolve({ status: 200, ok: true, json: async () => body });
  return fn;
}

const withEdited = [{ id: 'echo' }, { id: 'e2e_edited', name: 'Edited in the browser' }];
const afterDelete = [{ id: 'echo' }];

test('pipeline list: a list asked for before a delete and answered after the delete\'s list is dropped (issue #20)', async () => {
  const fetchFn = heldFetch();
  /** The selector as app.js fills it: option values of the last list shown. */
  let selector = [];
  const load = pipelineLister(fetchFn, (pipelines) => {
    selector = pipelineOptions(pipelines, null).map((o) => o.value);
  });

  const beforeDelete = load(); // workbench.js's poll saw the save's change count move
  const afterDeleteLoad = load(); // the delete's framewire:pipelines-changed
  assert.deepEqual(fetchFn.calls.map((c) => c.url), ['/pipelines', '/pipelines']);

  // The second request is answered first, without the deleted pipeline ...
  fetchFn.answer(1, afterDelete);
  assert.equal(await afterDeleteLoad, true);
  assert.deepEqual(selector, ['echo']);
  // ... and the first one's answer, from before the delete, arrives last.
  fetchFn.answer(0, withEdited);
  const staleShown = await beforeDelete;
  assert.deepEqual(selector, ['echo'], 'the deleted pipeline is not listed again');
  assert.equal(staleShown, false, 'the stale list is dropped');
});

test('pipeline list: a list asked for before a change event is dropped even when it arrives first', async () => {
  // app.js on framewire:pipelines-changed: dropEarlier(), then list again.
  const fetchFn = heldFetch();
  let selector = [];
  const load = pipelineLister(fetchFn, (pipelines) => {
    selector = pipelineOptions(pipelines, null).map((o) => o.value);
  });
  const beforeDelete = load(); // a poll's list, out while the delete runs
  load.dropEarlier(); // the delete's event
  const afterDeleteLoad = load();
  fetchFn.answer(0, withEdited); // the old list arrives first
  assert.equal(await beforeDelete, false);
  assert.deepEqual(selector, [], 'never listed, not even for a moment');
  fetchFn.answer(1, afterDelete);
  assert.equal(await afterDeleteLoad, true);
  assert.deepEqual(selector, ['echo']);
});

test('pipeline list: lists answered in request order are both shown', async () => {
  const fetchFn = heldFetch();
  const shown = [];
  const load = pipelineLister(fetchFn, (pipelines) => shown.push(pipelines.map((p) => p.id)));
  const first = load();
  const second = load();
  fetchFn.answer(0, withEdited);
  assert.equal(await first, true);
  fetchFn.answer(1, afterDelete);
  assert.equal(await second, true);
  assert.deepEqual(shown, [['echo', 'e2e_edited'], ['echo']]);
});

test('an answer older than one already shown is dropped, whatever is fetched', async () => {
  const answers = [deferred(), deferred(), deferred()];
  const shown = [];
  let asked = 0;
  const run = inRequestOrder((tag) => answers[asked++].promise.then((v) => `${tag}:${v}`), (value, tag) => shown.push([value, tag]));
  const a = run('a');
  const b = run('b');
  const c = run('c');
  answers[1].resolve(1);
  assert.equal(await b, true);
  answers[0].resolve(0);
  assert.equal(await a, false);
  answers[2].resolve(2);
  assert.equal(await c, true);
  assert.deepEqual(shown, [['b:1', 'b'], ['c:2', 'c']], 'the arguments of the call reach show');
});

test('a slow server that answers each request after the next one started still updates the page', async () => {
  // Every answer arrives after the following request was sent: dropping all but the newest
  // request's answer would never show anything.
  const answers = [];
  const shown = [];
  const run = inRequestOrder(() => {
    const d = deferred();
    answers.push(d);
    return d.promise;
  }, (v) => shown.push(v));
  const calls = [run()];
  for (let i = 1; i < 4; i++) {
    calls.push(run());
    answers[i - 1].resolve(i - 1);
    assert.equal(await calls[i - 1], true);
  }
  assert.deepEqual(shown, [0, 1, 2]);
});

test('after dropEarlier the answers of earlier calls are dropped, later calls are shown', async () => {
  // workbench.js after a save: a load asked for before it would blank the save's message.
  const before = deferred();
  const after = deferred();
  const shown = [];
  const run = inRequestOrder((d) => d.promise, (v) => shown.push(v));
  const a = run(before);
  run.dropEarlier();
  run.dropEarlier(); // twice changes nothing
  const b = run(after);
  before.resolve('before the save');
  assert.equal(await a, false);
  assert.deepEqual(shown, []);
  after.resolve('after the save');
  assert.equal(await b, true);
  assert.deepEqual(shown, ['after the save']);
});

test('a failed fetch shows nothing and does not hide an older answer', async () => {
  const older = deferred();
  const newer = deferred();
  const shown = [];
  const run = inRequestOrder((d) => d.promise, (v) => shown.push(v));
  const a = run(older);
  const b = run(newer);
  newer.reject(new Error('offline'));
  await assert.rejects(b, /offline/);
  older.resolve('older');
  assert.equal(await a, true, 'nothing newer was shown');
  assert.deepEqual(shown, ['older']);
});

test('pipeline options: name and id, description as title, an unlisted deep link kept', () => {
  const pipelines = [{ id: 'echo' }, { id: 'motion', name: 'Motion', description: 'boxes' }, { id: 'same', name: 'same' }];
  assert.deepEqual(pipelineOptions(pipelines, 'motion'), [
    { label: 'echo', value: 'echo', title: '' },
    { label: 'Motion (motion)', value: 'motion', title: 'boxes' },
    { label: 'same', value: 'same', title: '' },
  ]);
  assert.deepEqual(pipelineOptions(pipelines, 'ghost').at(-1), { label: 'ghost (not listed)', value: 'ghost', title: '' });
  assert.deepEqual(pipelineOptions([], null), []);
});

test('pipeline list: a refusal or an unreachable server lists none', async () => {
  assert.deepEqual(await fetchPipelines(async () => ({ ok: false, json: async () => ({ error: 'x' }) })), []);
  const warn = console.warn;
  console.warn = () => {};
  try {
    assert.deepEqual(await fetchPipelines(async () => {
      throw new TypeError('Failed to fetch');
    }), []);
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(await fetchPipelines(async () => ({ ok: true, json: async () => afterDelete })), afterDelete);
});
