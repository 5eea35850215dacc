import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  layoutPipeline, graphSvg, NodeTimings, escapeXml, formatMs, NODE_WIDTH, NODE_HEIGHT, COLUMN_GAP, PADDING,
} from '../../main/resources/web/graph.js';
import {
  copyIdFor, createPipeline, definitionUpdate, deletePipeline, describeSave, drawingCopy, fileErrorLines, loadPipeline,
  pipelineIdOf, savePipeline, validatePipeline,
} from '../../main/resources/web/editor.js';

const motionCodes = {
  id: 'motion_codes',
  nodes: [
    { id: 'decode', plugin_id: 'image', tool_id: 'info' },
    { id: 'motion', plugin_id: 'motion', tool_id: 'detect' },
    { id: 'codes', plugin_id: 'codes', tool_id: 'scan' },
  ],
  edges: [{ from_node: 'decode', to_node: 'motion' }, { from_node: 'decode', to_node: 'codes' }],
  entry_nodes: ['decode'],
  output_nodes: ['motion', 'codes'],
};

const byId = (layout) => Object.fromEntries(layout.nodes.map((n) => [n.id, n]));

test('nodes go in columns by depth and rows in definition order', () => {
  const layout = layoutPipeline(motionCodes);
  const n = byId(layout);
  assert.deepEqual([n.decode.column, n.motion.column, n.codes.column], [0, 1, 1]);
  assert.deepEqual([n.motion.row, n.codes.row], [0, 1]);
  assert.equal(n.decode.x, PADDING);
  assert.equal(n.motion.x, PADDING + NODE_WIDTH + COLUMN_GAP);
  // The single node of column 0 is centred against the two of column 1.
  assert.equal(n.decode.y, (n.motion.y + n.codes.y) / 2);
  assert.equal(layout.width, PADDING * 2 + 2 * NODE_WIDTH + COLUMN_GAP);
  assert.ok(n.decode.entry && !n.decode.output && n.motion.output);
  assert.equal(n.decode.tool, 'image/info');
});

test('a node after two branches sits in the column after the longer one', () => {
  const layout = layoutPipeline({
    nodes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'join' }],
    edges: [
      { from_node: 'a', to_node: 'b' }, { from_node: 'b', to_node: 'c' },
      { from_node: 'a', to_node: 'join' }, { from_node: 'c', to_node: 'join' },
    ],
  });
  assert.deepEqual(layout.nodes.map((n) => n.column), [0, 1, 2, 3]);
  assert.equal(layout.edges.length, 4);
});

test('rows follow the predecessors to avoid crossings', () => {
  const layout = layoutPipeline({
    nodes: [{ id: 'top' }, { id: 'bottom' }, { id: 'fromBottom' }, { id: 'fromTop' }],
    edges: [{ from_node: 'top', to_node: 'fromTop' }, { from_node: 'bottom', to_node: 'fromBottom' }],
  });
  const n = byId(layout);
  assert.ok(n.fromTop.row < n.fromBottom.row, 'fromTop is drawn above fromBottom despite the definition order');
});

test('edges run from the right of the source to the left of the target', () => {
  const layout = layoutPipeline(motionCodes);
  const n = byId(layout);
  const edge = layout.edges.find((e) => e.to === 'codes');
  const start = edge.path.match(/^M([\d.]+),([\d.]+)/).slice(1).map(Number);
  const end = edge.path.match(/ ([\d.]+),([\d.]+)$/).slice(1).map(Number);
  assert.deepEqual(start, [n.decode.x + NODE_WIDTH, n.decode.y + NODE_HEIGHT / 2]);
  assert.deepEqual(end, [n.codes.x, n.codes.y + NODE_HEIGHT / 2]);
});

test('broken definitions still draw: cycles go last, unknown edge ends are skipped', () => {
  const layout = layoutPipeline({
    nodes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'a' }, null, { id: '' }],
    edges: [{ from_node: 'a', to_node: 'b' }, { from_node: 'b', to_node: 'c' }, { from_node: 'c', to_node: 'b' },
      { from_node: 'a', to_node: 'ghost' }, null],
  });
  assert.deepEqual(layout.nodes.map((n) => n.id), ['a', 'b', 'c'], 'duplicates and nameless nodes dropped');
  const n = byId(layout);
  assert.equal(n.a.column, 0);
  assert.equal(n.b.column, 1);
  assert.equal(n.c.column, 1);
  assert.equal(layout.edges.length, 3);
  assert.deepEqual(layoutPipeline({}).nodes, []);
  assert.deepEqual(layoutPipeline(null).edges, []);
});

test('timings keep the last and mean per node', () => {
  const t = new NodeTimings();
  t.add({ decode: 2, motion: 1, total: 3.5 });
  t.add({ decode: 4, motion: 'x', total: 4.5 });
  t.add(null);
  assert.equal(t.results, 2);
  assert.deepEqual(t.get('decode'), { last: 4, mean: 3, count: 2 });
  assert.deepEqual(t.get('motion'), { last: 1, mean: 1, count: 1 });
  assert.equal(t.get('codes'), null);
  t.reset();
  assert.equal(t.get('decode'), null);
  assert.equal(formatMs(0.1234), '0.12 ms');
  assert.equal(formatMs(12.34), '12.3 ms');
  assert.equal(formatMs(250.4), '250 ms');
});

test('the SVG shows each node, its tool and, with timings, last and mean', () => {
  const plain = graphSvg(layoutPipeline(motionCodes));
  assert.equal((plain.match(/<g class="node/g) || []).length, 3);
  assert.match(plain, /data-node="decode"/);
  assert.match(plain, />image\/info</);
  assert.doesNotMatch(plain, /data-last-ms/);
  const t = new NodeTimings();
  t.add({ decode: 2, motion: 1, codes: 5, total: 7 });
  t.add({ decode: 4, motion: 1, codes: 5, total: 9 });
  const timed = graphSvg(layoutPipeline(motionCodes), t);
  assert.match(timed, /data-node="decode" data-last-ms="4" data-mean-ms="3"/);
  assert.match(timed, />4.00 ms · mean 3.00 ms</);
  assert.match(timed, /data-total-ms="9"/);
  assert.match(timed, /over 2 results/);
});

test('node ids cannot inject markup', () => {
  const svg = graphSvg(layoutPipeline({ nodes: [{ id: '<script>alert(1)</script>', plugin_id: '"x', tool_id: "'y" }] }));
  assert.doesNotMatch(svg, /<script>/);
  assert.match(svg, /&lt;script&gt;/);
  assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

/** A fetch that records requests and answers from a table. */
function fakeFetch(answers) {
  const calls = [];
  const fn = async (url, init = {}) => {
    calls.push({ url, ...init });
    const [status, body] = answers(url, init);
    return { status, ok: status >= 200 && status < 300, json: async () => body };
  };
  fn.calls = calls;
  return fn;
}

test('validation lists every error the server reports', async () => {
  const fetchFn = fakeFetch(() => [200, { valid: false, errors: ['e1', 'e2'], exists: false, editable: true }]);
  const outcome = await validatePipeline(fetchFn, '{"id":"x"}');
  assert.deepEqual(outcome, { ok: false, message: '2 problems', errors: ['e1', 'e2'] });
  assert.equal(fetchFn.calls[0].url, '/pipelines/validate');
  assert.equal(fetchFn.calls[0].method, 'POST');
  const ok = await validatePipeline(fakeFetch(() => [200, { valid: true, errors: [], exists: true, editable: false }]), '{}');
  assert.equal(ok.ok, true);
  assert.match(ok.message, /built in/);
});

test('saving PUTs to the id in the text, with the admin token when given', async () => {
  const fetchFn = fakeFetch(() => [201, { id: 'my pipe', version: 1, persisted: true, file: 'my pipe.json' }]);
  const outcome = await savePipeline(fetchFn, '{"id": "my pipe", "name": "x"}', 's3cret');
  assert.equal(fetchFn.calls[0].url, '/pipelines/my%20pipe');
  assert.equal(fetchFn.calls[0].method, 'PUT');
  assert.equal(fetchFn.calls[0].headers.Authorization, 'Bearer s3cret');
  assert.deepEqual(outcome, { ok: true, message: "Created 'my pipe' version 1 in my pipe.json.", errors: [], id: 'my pipe' });
  const noToken = fakeFetch(() => [200, { id: 'p', version: 3, persisted: false }]);
  const saved = await savePipeline(noToken, '{"id": "p"}');
  assert.equal(noToken.calls[0].headers.Authorization, undefined);
  assert.equal(saved.message, "Saved 'p' version 3 (in memory only: PIPELINES_DIR is not set).");
});

test('a copy is created with POST, which is refused rather than replacing a pipeline that exists', async () => {
  const fetchFn = fakeFetch(() => [201, { id: 'motion_track_counting', version: 1, persisted: false }]);
  const outcome = await createPipeline(fetchFn, '{"id": "motion_track_counting"}', 'tok');
  assert.equal(fetchFn.calls[0].url, '/pipelines');
  assert.equal(fetchFn.calls[0].method, 'POST');
  assert.equal(fetchFn.calls[0].body, '{"id": "motion_track_counting"}');
  assert.equal(fetchFn.calls[0].headers.Authorization, 'Bearer tok');
  assert.deepEqual(outcome, {
    ok: true, message: "Created 'motion_track_counting' version 1 (in memory only: PIPELINES_DIR is not set).", errors: [],
    id: 'motion_track_counting',
  });
  const taken = await createPipeline(fakeFetch(() => [409, { error: 'conflict', detail: "pipeline 'x' already exists" }]), '{"id": "x"}');
  assert.deepEqual(taken, { ok: false, message: "Not saved: pipeline 'x' already exists", errors: [] });
});

test('the id of a copy is <id>_counting, then _2, _3, … while taken', () => {
  assert.equal(copyIdFor('motion_track', ['echo', 'motion_track']), 'motion_track_counting');
  assert.equal(copyIdFor('motion_track', ['motion_track', 'motion_track_counting']), 'motion_track_counting_2');
  assert.equal(copyIdFor('motion_track', new Set(['motion_track_counting', 'motion_track_counting_2', 'motion_track_counting_4'])),
    'motion_track_counting_3');
  assert.equal(copyIdFor('m', []), 'm_counting');
});

test('a drawing on a built-in goes into a copy under a free id; on an editable or unlisted pipeline, in place', () => {
  const withLine = {
    id: 'motion_track', name: 'Motion tracks', description: 'built in',
    nodes: [{ id: 'track', plugin_id: 'track', tool_id: 'bytetrack' }, { id: 'lines', plugin_id: 'analytics', tool_id: 'lines' }],
    edges: [{ from_node: 'track', to_node: 'lines' }], entry_nodes: ['track'], output_nodes: ['track', 'lines'],
  };
  const listed = [
    { id: 'echo', editable: false }, { id: 'motion_track', editable: false }, { id: 'motion_track_counting', editable: true },
  ];
  const copy = drawingCopy(withLine, listed);
  assert.equal(copy?.id, 'motion_track_counting_2');
  assert.deepEqual(copy?.definition, {
    ...withLine,
    id: 'motion_track_counting_2',
    name: 'Motion tracks (counting)',
    description: "A copy of the built-in 'motion_track' holding the lines and zones drawn on the page.",
  });
  assert.deepEqual(Object.keys(copy?.definition ?? {}).slice(0, 3), ['id', 'name', 'description'], 'the id stays first');
  assert.equal(withLine.id, 'motion_track', 'the definition given is not changed');
  assert.equal(drawingCopy({ ...withLine, name: undefined }, listed)?.definition.name, 'motion_track (counting)');
  assert.equal(drawingCopy({ ...withLine, id: 'motion_track_counting' }, listed), null, 'editable: saved in place');
  assert.equal(drawingCopy({ ...withLine, id: 'fresh' }, listed), null, 'not listed (the list failed): saved in place');
  assert.equal(drawingCopy(withLine, []), null);
});

test('a text without an id is not saved; the server words the JSON error', async () => {
  const fetchFn = fakeFetch(() => [200, { valid: false, errors: ['malformed JSON: … (line 1, column 2)'] }]);
  const outcome = await savePipeline(fetchFn, '{"id":');
  assert.equal(fetchFn.calls.length, 1);
  assert.equal(fetchFn.calls[0].url, '/pipelines/validate');
  assert.equal(outcome.ok, false);
  assert.deepEqual(outcome.errors, ['malformed JSON: … (line 1, column 2)']);
  assert.equal(pipelineIdOf('{"id": 3}'), null);
  assert.equal(pipelineIdOf('[1]'), null);
  assert.equal(pipelineIdOf('{"id": "a"}'), 'a');
});

test('refusals read as sentences with the error list', () => {
  assert.deepEqual(describeSave(400, { error: 'invalid_pipeline', errors: ['a', 'b'] }),
    { ok: false, message: 'Not saved: 2 problems', errors: ['a', 'b'] });
  assert.equal(describeSave(409, { error: 'conflict', detail: "pipeline 'echo' is built in" }).message,
    "Not saved: pipeline 'echo' is built in");
  assert.equal(describeSave(401, { detail: 'the admin token is not valid' }).message, 'Not saved: the admin token is not valid');
  assert.equal(describeSave(500, null).message, 'Not saved (HTTP 500)');
});

test('deleting sends DELETE for the id in the text and reports the answer', async () => {
  const fetchFn = fakeFetch((url, init) => (init.method === 'DELETE' ? [204, null] : [500, null]));
  const outcome = await deletePipeline(fetchFn, '{"id": "gone"}', 'tok');
  assert.deepEqual(outcome, { ok: true, message: "Deleted 'gone'.", errors: [], id: 'gone' });
  assert.equal(fetchFn.calls[0].url, '/pipelines/gone');
  assert.equal(fetchFn.calls[0].headers.Authorization, 'Bearer tok');
  const builtIn = await deletePipeline(fakeFetch(() => [409, { error: 'conflict', detail: "pipeline 'echo' is built in and cannot be deleted" }]), '{"id": "echo"}');
  assert.equal(builtIn.message, "Not deleted: pipeline 'echo' is built in and cannot be deleted");
  assert.equal((await deletePipeline(fakeFetch(() => [204, null]), 'nope')).ok, false);
});

test('invalid files of the pipelines directory read one error per line', () => {
  assert.deepEqual(fileErrorLines({ 'b.json': ['e1', 'e2'], 'a.json': ['malformed'] }),
    ['a.json: malformed', 'b.json: e1', 'b.json: e2']);
  assert.deepEqual(fileErrorLines({}), []);
  assert.deepEqual(fileErrorLines(null), []);
});

test('the list refilled twice after a save loads the same definition twice: the second changes nothing', async () => {
  // BrowserStreamingE2ETest failed at its "Created ..." and "Deleted ..." waits: the save's (or
  // delete's) own event refills the list, then the poll sees the change count move and refills it
  // again; that second load redrew the editor and blanked the message.
  const saved = { id: 'p', nodes: [] };
  const fetchFn = fakeFetch(() => [200, saved]);
  const first = await loadPipeline(fetchFn, 'p');
  const second = await loadPipeline(fetchFn, 'p');
  assert.equal(definitionUpdate({ id: '', text: 'typed before the save', dirty: false, drawn: false }, 'p', first), 'show');
  assert.equal(definitionUpdate({ id: 'p', text: first, dirty: false, drawn: true }, 'p', second), 'same');
});

test('a loaded definition is shown unless it is the one shown or edits of it are unsaved', () => {
  const json = JSON.stringify({ id: 'p' }, null, 2);
  const newer = JSON.stringify({ id: 'p', name: 'hot-reloaded' }, null, 2);
  assert.equal(definitionUpdate({ id: 'p', text: json, dirty: false, drawn: true }, 'p', newer), 'show', 'changed on the server');
  assert.equal(definitionUpdate({ id: 'p', text: 'my draft', dirty: true, drawn: true }, 'p', newer), 'edits');
  assert.equal(definitionUpdate({ id: 'q', text: json, dirty: true, drawn: true }, 'p', json), 'show', 'another pipeline');
  assert.equal(definitionUpdate({ id: 'p', text: json, dirty: false, drawn: false }, 'p', json), 'show', 'the last load failed: draw again');
});
