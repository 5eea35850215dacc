import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ANCHORS, anchorIn, anchorOf, EVENTS_MAX, TRAIL_LENGTH, Trails, analyticsNodes, closedPolygon, countsOf, describeEvent, freshName, fromPixels,
  frameToScreen, geometryOf, inSide, screenToFrame, toPixels, withDrawing, withEvents,
} from '../../main/resources/web/analytics.js';

const counting = {
  id: 'counting',
  nodes: [
    { id: 'decode', plugin_id: 'image', tool_id: 'info' },
    { id: 'motion', plugin_id: 'motion', tool_id: 'detect' },
    { id: 'track', plugin_id: 'track', tool_id: 'bytetrack', params: { min_hits: 2 } },
    { id: 'doors', plugin_id: 'analytics', tool_id: 'lines', params: { lines: [{ name: 'door', from: [10, 20], to: [10, 200] }] } },
    {
      id: 'areas', plugin_id: 'analytics', tool_id: 'zones',
      params: { units: 'relative', zones: [{ name: 'desk', points: [[0.5, 0.5], [1, 0.5], [1, 1]] }] },
    },
  ],
  edges: [
    { from_node: 'decode', to_node: 'motion' }, { from_node: 'motion', to_node: 'track' },
    { from_node: 'track', to_node: 'doors' }, { from_node: 'track', to_node: 'areas' },
  ],
  entry_nodes: ['decode'],
  output_nodes: ['track', 'doors', 'areas'],
};

const frame = { width: 640, height: 480 };

test('geometryOf lists the lines and zones with their node and units, skipping malformed ones', () => {
  const broken = structuredClone(counting);
  broken.nodes[3].params.lines.push({ name: 'bad', from: [1], to: [2, 3] }, { from: [0, 0], to: [1, 1] });
  broken.nodes[4].params.zones.push({ name: 'two', points: [[0, 0], [1, 1]] });
  assert.deepEqual(geometryOf(broken), {
    lines: [{ node: 'doors', name: 'door', from: [10, 20], to: [10, 200], units: 'pixels' }],
    zones: [{ node: 'areas', name: 'desk', points: [[0.5, 0.5], [1, 0.5], [1, 1]], units: 'relative' }],
  });
  assert.deepEqual(geometryOf(null), { lines: [], zones: [] });
  assert.deepEqual(geometryOf({ nodes: [{ id: 'x', plugin_id: 'analytics', tool_id: 'lines' }] }), { lines: [], zones: [] });
});

test('relative points scale with the frame; pixels stay as they are', () => {
  assert.deepEqual(toPixels([0.5, 0.25], 'relative', frame), [320, 120]);
  assert.deepEqual(toPixels([12, 34], 'pixels', frame), [12, 34]);
  assert.deepEqual(fromPixels([320, 120], 'relative', frame), [0.5, 0.25]);
  assert.deepEqual(fromPixels([100, 100], 'relative', frame), [0.1563, 0.2083]);
  assert.deepEqual(fromPixels([12.4, 33.6], 'pixels', frame), [12, 34]);
});

test('screen to frame: the element shows the frame with object-fit contain', () => {
  // 800×400 box showing a 640×480 frame: height-bound, scale 400/480, 133.33 px of letterbox each side.
  const rect = { left: 100, top: 50, width: 800, height: 400 };
  const scale = 400 / 480;
  const left = 100 + (800 - 640 * scale) / 2;
  assert.deepEqual(screenToFrame(left, 50, rect, frame), [0, 0]);
  assert.deepEqual(screenToFrame(left + 320 * scale, 50 + 240 * scale, rect, frame), [320, 240]);
  // The letterbox clamps to the nearest edge.
  assert.deepEqual(screenToFrame(110, 460, rect, frame), [0, 480]);
  assert.deepEqual(screenToFrame(890, 40, rect, frame), [640, 0]);
  // And back.
  const [sx, sy] = frameToScreen([160, 360], rect, frame);
  assert.deepEqual(screenToFrame(sx, sy, rect, frame).map((v) => Math.round(v * 1e9) / 1e9), [160, 360]);
  assert.equal(sx, left + 160 * scale);
  // Same aspect ratio: a plain scale.
  assert.deepEqual(screenToFrame(200, 150, { left: 0, top: 0, width: 320, height: 240 }, frame), [400, 300]);
});

test('the in side is to the right of from→to as seen in the image (y down)', () => {
  // Left to right: in is below.
  assert.deepEqual(inSide([0, 100], [200, 100]), { mid: [100, 100], normal: [0, 1] });
  // Top to bottom: in is on the image's left.
  assert.deepEqual(inSide([50, 0], [50, 10]), { mid: [50, 5], normal: [-1, 0] });
  const diagonal = inSide([0, 0], [3, 4]).normal;
  assert.deepEqual(diagonal, [-0.8, 0.6]);
});

test('trails keep the last anchor points per track and forget tracks no longer reported', () => {
  const trails = new Trails(3, 'center');
  const box = (id, x) => ({ track_id: id, label: 'motion', x, y: 10, w: 20, h: 40 });
  trails.update({ tracks: [box(1, 0), box(2, 100)] });
  trails.update({ tracks: [box(1, 10), box(2, 110)] });
  trails.update({ tracks: [box(1, 20)] });
  assert.deepEqual(trails.of(1), [[10, 30], [20, 30], [30, 30]]);
  assert.deepEqual(trails.of(2), [], 'track 2 was not reported: forgotten');
  trails.update({ tracks: [box(1, 30), box(2, 200)] });
  assert.deepEqual(trails.of(1), [[20, 30], [30, 30], [40, 30]], 'at most 3 points');
  assert.deepEqual(trails.of(2), [[210, 30]], 'a track reported again starts a new trail');
  trails.update({ tracks: [{ track_id: 1, x: 'a' }, null] });
  assert.equal(trails.byTrack.size, 0, 'malformed tracks are ignored');
  trails.update({ tracks: [box(3, 0)] });
  trails.update({ motion: {} });
  assert.equal(trails.byTrack.size, 0, 'a result without tracks forgets them all');
  assert.equal(new Trails().length, TRAIL_LENGTH);
  assert.equal(TRAIL_LENGTH, 20);
});

test('trails follow the analytics nodes\' anchor, bottom centre by default', () => {
  const box = { x: 10, y: 20, w: 40, h: 60 };
  assert.deepEqual(anchorOf(box), [30, 80]);
  assert.deepEqual(anchorOf(box, 'top_left'), [10, 20]);
  assert.deepEqual(anchorOf(box, 'right_center'), [50, 50]);
  assert.equal(Object.keys(ANCHORS).length, 9);
  assert.equal(anchorIn(counting), 'bottom_center');
  const centred = structuredClone(counting);
  centred.nodes[4].params.anchor = 'center';
  assert.equal(anchorIn(centred), 'bottom_center', 'the first analytics node decides');
  centred.nodes[3].params.anchor = 'top_center';
  assert.equal(anchorIn(centred), 'top_center');
  centred.nodes[3].params.anchor = 'middle';
  assert.equal(anchorIn(centred), 'bottom_center', 'an unknown anchor: the default');
  assert.equal(anchorIn(null), 'bottom_center');
  const trails = new Trails(5, 'top_left');
  trails.update({ tracks: [{ track_id: 'a', ...box }] });
  assert.deepEqual(trails.of('a'), [[10, 20]]);
  assert.equal(new Trails().anchor, 'bottom_center');
});

test('events are listed newest first and bounded', () => {
  const ev = (i) => ({ type: 'line_crossed', line: 'door', direction: 'in', track_id: i, frame_index: i });
  let list = [];
  list = withEvents(list, { events: [ev(1), ev(2)] });
  assert.deepEqual(list.map((e) => e.track_id), [2, 1]);
  assert.equal(withEvents(list, { tracks: [] }), list, 'no events: the same list');
  for (let i = 3; i <= 60; i += 1) list = withEvents(list, { events: [ev(i)] });
  assert.equal(list.length, EVENTS_MAX);
  assert.equal(EVENTS_MAX, 50);
  assert.deepEqual([list[0].track_id, list[49].track_id], [60, 11]);
  assert.deepEqual(withEvents([], { events: [ev(1), ev(2), ev(3)] }, 2).map((e) => e.track_id), [3, 2]);
  assert.deepEqual(withEvents([], { events: [null, 'x', ev(4)] }).map((e) => e.track_id), [4]);
});

test('describeEvent: time of day, type, place, direction, track', () => {
  assert.equal(describeEvent({
    type: 'line_crossed', line: 'door', direction: 'out', track_id: 3, label: 'person', frame_index: 7,
    time: '2025-01-02T10:11:12.345Z', box: { x: 1, y: 2, w: 3, h: 4 },
  }), '10:11:12.345 line_crossed door out #3 person');
  assert.equal(describeEvent({ type: 'zone_entered', zone: 'desk', track_id: 1, frame_index: 9 }), '#9 zone_entered desk #1');
});

test('countsOf: one row per line and zone with the per-label counts', () => {
  const rows = countsOf({
    lines: { door: { in: 2, out: 1, in_by_label: { person: 2 }, out_by_label: { person: 1 } } },
    zones: { desk: { inside: 1, inside_by_label: { cup: 1 }, entered: 3, exited: 2 } },
  });
  assert.deepEqual(rows, [
    { kind: 'line', name: 'door', counts: { in: 2, out: 1 }, text: 'door: in 2 (person 2) · out 1 (person 1)' },
    { kind: 'zone', name: 'desk', counts: { inside: 1, entered: 3, exited: 2 }, text: 'desk: inside 1 (cup 1) · entered 3 · exited 2' },
  ]);
  assert.deepEqual(countsOf({ lines: { x: {} } })[0].text, 'x: in 0 · out 0');
  assert.deepEqual(countsOf(null), []);
});

test('analyticsNodes and freshName', () => {
  assert.deepEqual(analyticsNodes(counting, 'lines'), [{ id: 'doors', units: 'pixels', names: ['door'] }]);
  assert.deepEqual(analyticsNodes(counting, 'zones'), [{ id: 'areas', units: 'relative', names: ['desk'] }]);
  assert.equal(freshName(counting, 'lines'), 'line1');
  const withLine1 = withDrawing(counting, { tool: 'lines', target: 'doors', name: 'line1', points: [[0, 0], [1, 1]], frame });
  assert.equal(freshName(withLine1.definition, 'lines'), 'line2');
  assert.equal(freshName({}, 'zones'), 'zone1');
});

test('a drawn line goes into the chosen node in its units; the input is not changed', () => {
  const before = structuredClone(counting);
  const out = withDrawing(counting, { tool: 'lines', target: 'doors', name: ' exit ', points: [[300.4, 10], [300, 470.6]], frame });
  assert.equal(out.ok, true);
  assert.equal(out.node, 'doors');
  assert.deepEqual(out.definition.nodes[3].params.lines, [
    { name: 'door', from: [10, 20], to: [10, 200] },
    { name: 'exit', from: [300, 10], to: [300, 471] },
  ]);
  assert.deepEqual(counting, before);
  // The same name again replaces it, in place.
  const moved = withDrawing(out.definition, { tool: 'lines', target: 'doors', name: 'door', points: [[1, 2], [3, 4]], frame });
  assert.deepEqual(moved.definition.nodes[3].params.lines.map((l) => [l.name, l.from]), [['door', [1, 2]], ['exit', [300, 10]]]);
  assert.deepEqual(moved.definition.edges, counting.edges);
});

test('a drawn zone in a relative node is stored as fractions of the frame', () => {
  const out = withDrawing(counting, { tool: 'zones', target: 'areas', name: 'floor', points: [[0, 240], [640, 240], [640, 480], [0, 480]], frame });
  assert.deepEqual(out.definition.nodes[4].params, {
    units: 'relative',
    zones: [
      { name: 'desk', points: [[0.5, 0.5], [1, 0.5], [1, 1]] },
      { name: 'floor', points: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]] },
    ],
  });
});

test('with no node chosen, a new analytics node goes after the tracker, fed by it and output', () => {
  const tracked = {
    id: 't',
    nodes: [
      { id: 'motion', plugin_id: 'motion', tool_id: 'detect' },
      { id: 'track', plugin_id: 'track', tool_id: 'bytetrack' },
      { id: 'zones', plugin_id: 'debug', tool_id: 'echo' },
    ],
    edges: [{ from_node: 'motion', to_node: 'track' }],
    entry_nodes: ['motion'],
    output_nodes: ['track'],
  };
  const out = withDrawing(tracked, { tool: 'zones', target: null, name: 'z', points: [[0, 0], [10, 0], [10, 10]], frame });
  assert.equal(out.ok, true);
  assert.equal(out.node, 'zones2', "'zones' is taken by another node");
  assert.deepEqual(out.definition.nodes.map((n) => n.id), ['motion', 'track', 'zones2', 'zones']);
  assert.deepEqual(out.definition.nodes[2], {
    id: 'zones2', plugin_id: 'analytics', tool_id: 'zones', params: { zones: [{ name: 'z', points: [[0, 0], [10, 0], [10, 10]] }] },
  });
  assert.deepEqual(out.definition.edges, [{ from_node: 'motion', to_node: 'track' }, { from_node: 'track', to_node: 'zones2' }]);
  assert.deepEqual(out.definition.output_nodes, ['track', 'zones2']);
  const line = withDrawing(tracked, { tool: 'lines', target: null, name: 'l', points: [[0, 0], [5, 5]], frame });
  assert.equal(line.node, 'lines');
});

test('drawings that cannot be saved say why', () => {
  const draw = (over) => withDrawing(counting, { tool: 'lines', target: 'doors', name: 'x', points: [[0, 0], [1, 1]], frame, ...over });
  assert.deepEqual(draw({ name: '  ' }), { ok: false, error: 'Give it a name.' });
  assert.deepEqual(draw({ points: [[0, 0]] }), { ok: false, error: 'A line needs two points.' });
  assert.deepEqual(draw({ tool: 'zones', target: 'areas' }), { ok: false, error: 'A zone needs at least three corners.' });
  assert.deepEqual(draw({ target: 'areas' }), { ok: false, error: "Node 'areas' is not an analytics/lines node." });
  assert.deepEqual(draw({ target: 'nope' }), { ok: false, error: "Node 'nope' is not an analytics/lines node." });
  assert.deepEqual(withDrawing({ id: 'm', nodes: [{ id: 'm', plugin_id: 'motion', tool_id: 'detect' }] },
    { tool: 'lines', target: null, name: 'x', points: [[0, 0], [1, 1]], frame }),
  { ok: false, error: 'The pipeline has no track/bytetrack node to put an analytics/lines node after.' });
  assert.deepEqual(draw({}).ok, true);
});

test('closing a polygon drops the repeated points of a double click and a last point on the first', () => {
  assert.deepEqual(closedPolygon([[0, 0], [10, 0], [10, 10], [10.5, 10], [10.5, 10.5]]), [[0, 0], [10, 0], [10, 10]]);
  assert.deepEqual(closedPolygon([[0, 0], [10, 0], [10, 10], [1, 1]]), [[0, 0], [10, 0], [10, 10]]);
  assert.deepEqual(closedPolygon([[0, 0], [10, 0], [10, 10], [0, 10]]), [[0, 0], [10, 0], [10, 10], [0, 10]]);
});
