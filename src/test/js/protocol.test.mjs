import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  StreamClient,
  buildStreamUrl,
  DEFAULT_MAX_IN_FLIGHT,
  LATENCY_HISTORY,
} from '../../main/resources/web/protocol.js';

/** A WebSocket stand-in: records what the client sends, lets the test play the server. */
class FakeSocket {
  constructor(url) {
    this.url = url;
    this.binaryType = 'blob';
    this.readyState = 0;
    this.bufferedAmount = 0;
    this.sentData = [];
    this.closedWith = null;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
  }
  send(data) { this.sentData.push(data); }
  close(code, reason) { this.closedWith = { code, reason }; this.readyState = 3; }
  // server side
  open() { this.readyState = 1; this.onopen?.({}); }
  receive(data) { this.onmessage?.({ data: typeof data === 'string' ? data : data }); }
  receiveJson(obj) { this.receive(JSON.stringify(obj)); }
  serverClose(code = 1000, reason = '') { this.readyState = 3; this.onclose?.({ code, reason, wasClean: true }); }
}

/** A client wired to a fake socket and a hand-moved clock, recording every callback. */
function setup(options = {}) {
  const sockets = [];
  const clock = { t: 0 };
  const events = [];
  const client = new StreamClient({
    url: 'ws://127.0.0.1:1/ws/video/stream?pipeline_id=echo',
    createSocket: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; },
    now: () => clock.t,
    handlers: {
      onStatus: (s) => events.push(['status', s]),
      onResult: (i, r, l) => events.push(['result', i, r, l]),
      onDropped: (i, l) => events.push(['dropped', i, l]),
      onSlowDown: (w) => events.push(['slow_down', w]),
      onError: (e) => events.push(['error', e]),
      onClose: (e) => events.push(['close', e]),
      onMalformed: (raw, why) => events.push(['malformed', raw, why]),
    },
    ...options,
  });
  client.connect();
  const socket = sockets[0];
  socket.open();
  return { client, socket, sockets, clock, events, of: (kind) => events.filter((e) => e[0] === kind) };
}

const frame = () => new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);

test('buildStreamUrl picks ws/wss and encodes the pipeline id', () => {
  assert.equal(
    buildStreamUrl({ protocol: 'http:', host: '127.0.0.1:8080' }, 'motion_codes'),
    'ws://127.0.0.1:8080/ws/video/stream?pipeline_id=motion_codes');
  assert.equal(
    buildStreamUrl({ protocol: 'https:', host: 'cam.example' }, 'a b&c'),
    'wss://cam.example/ws/video/stream?pipeline_id=a%20b%26c');
});

test('connect opens the socket with binary arraybuffers and reports status', () => {
  const { client, socket, of } = setup();
  assert.equal(socket.url, 'ws://127.0.0.1:1/ws/video/stream?pipeline_id=echo');
  assert.equal(socket.binaryType, 'arraybuffer');
  assert.deepEqual(of('status').map((e) => e[1]), ['connecting', 'open']);
  assert.equal(client.status, 'open');
});

test('frames are sent as binary messages with increasing indexes', () => {
  const { client, socket } = setup();
  const a = frame();
  assert.equal(client.sendFrame(a), 0);
  assert.equal(client.sendFrame(frame()), 1);
  assert.equal(socket.sentData.length, 2);
  assert.equal(socket.sentData[0], a);
  assert.equal(client.sent, 2);
  assert.equal(client.inFlight, 2);
});

test('results are dispatched with their frame index, result and latency', () => {
  const { client, socket, clock, of } = setup();
  clock.t = 100;
  client.sendFrame(frame());
  clock.t = 130;
  client.sendFrame(frame());
  clock.t = 145;
  socket.receiveJson({ frame_index: 0, result: { frame_index: 0, bytes: 4 } });
  clock.t = 190;
  socket.receiveJson({ frame_index: 1, result: { width: 640, height: 480 } });
  assert.deepEqual(of('result'), [
    ['result', 0, { frame_index: 0, bytes: 4 }, 45],
    ['result', 1, { width: 640, height: 480 }, 60],
  ]);
  assert.equal(client.results, 2);
  assert.deepEqual(client.latencies, [45, 60]);
  assert.equal(client.inFlight, 0);
});

test('dropped frames are counted and dispatched, not treated as results', () => {
  const { client, socket, clock, of } = setup();
  for (let i = 0; i < 4; i++) { clock.t = i * 10; client.sendFrame(frame()); }
  clock.t = 100;
  socket.receiveJson({ frame_index: 0, result: {} });
  socket.receiveJson({ frame_index: 1, dropped: true });
  socket.receiveJson({ frame_index: 2, dropped: true });
  socket.receiveJson({ frame_index: 3, result: {} });
  assert.equal(client.results, 2);
  assert.equal(client.dropped, 2);
  assert.deepEqual(of('dropped'), [['dropped', 1, 90], ['dropped', 2, 80]]);
  assert.equal(client.dropRate(), 0.5);
  assert.equal(client.inFlight, 0);
});

test('slow_down warnings are counted and carry max_fps and drop_rate', () => {
  const { client, socket, of } = setup();
  socket.receiveJson({ warning: 'slow_down', max_fps: 6.5, drop_rate: 0.42 });
  socket.receiveJson({ warning: 'slow_down' });
  assert.equal(client.slowdowns, 2);
  assert.deepEqual(of('slow_down'), [
    ['slow_down', { maxFps: 6.5, dropRate: 0.42 }],
    ['slow_down', { maxFps: null, dropRate: null }],
  ]);
});

test('an error message is dispatched, sets status error, and the close keeps it', () => {
  const { client, socket, of } = setup();
  socket.receiveJson({ error: 'invalid_pipeline', detail: "unknown pipeline_id 'nope'" });
  assert.deepEqual(of('error'), [['error', { code: 'invalid_pipeline', detail: "unknown pipeline_id 'nope'" }]]);
  assert.equal(client.status, 'error');
  assert.deepEqual(client.lastError, { code: 'invalid_pipeline', detail: "unknown pipeline_id 'nope'" });
  socket.serverClose(1008, 'invalid_pipeline');
  assert.equal(client.status, 'error');
  assert.deepEqual(of('close'), [['close', { code: 1008, reason: 'invalid_pipeline' }]]);
  assert.equal(client.canSend(), false);
  assert.equal(client.sendFrame(frame()), -1);
});

test('an error without detail gets an empty detail', () => {
  const { client, socket } = setup();
  socket.receiveJson({ error: 'internal_error' });
  assert.deepEqual(client.lastError, { code: 'internal_error', detail: '' });
});

test('a close without error reports status closed', () => {
  const { client, socket, of } = setup();
  socket.serverClose(1006, '');
  assert.equal(client.status, 'closed');
  assert.equal(of('close').length, 1);
  assert.equal(client.lastError, null);
});

test('malformed and unknown messages are counted, reported, and do not throw', () => {
  const { client, socket, of } = setup();
  client.sendFrame(frame());
  socket.receive('{not json');
  socket.receive('[1,2]');
  socket.receive('null');
  socket.receiveJson({ frame_index: -1, result: {} });
  socket.receiveJson({ frame_index: 0 });
  socket.receiveJson({ hello: 'world' });
  socket.receive(new ArrayBuffer(3));
  assert.equal(client.malformed, 7);
  assert.deepEqual(of('malformed').map((e) => e[2]), [
    'invalid JSON', 'not a JSON object', 'not a JSON object',
    'unknown message', 'unknown message', 'unknown message', 'binary message from server',
  ]);
  assert.equal(client.results, 0);
  assert.equal(client.status, 'open');
  // the stream goes on after garbage
  socket.receiveJson({ frame_index: 0, result: { ok: true } });
  assert.equal(client.results, 1);
});

test('in-flight frames are capped; answers free the slots', () => {
  const { client, socket } = setup();
  for (let i = 0; i < DEFAULT_MAX_IN_FLIGHT; i++) assert.equal(client.sendFrame(frame()), i);
  assert.equal(client.canSend(), false);
  assert.equal(client.sendFrame(frame()), -1);
  assert.equal(socket.sentData.length, DEFAULT_MAX_IN_FLIGHT);
  socket.receiveJson({ frame_index: 0, result: {} });
  assert.equal(client.canSend(), true);
  assert.equal(client.sendFrame(frame()), DEFAULT_MAX_IN_FLIGHT);
});

test('an answer settles every earlier frame too (answers come in order)', () => {
  const { client, socket } = setup({ maxInFlight: 3 });
  client.sendFrame(frame());
  client.sendFrame(frame());
  client.sendFrame(frame());
  socket.receiveJson({ frame_index: 2, result: {} });
  assert.equal(client.inFlight, 0);
  assert.equal(client.sentAt.size, 0);
});

test('a full send buffer holds frames back', () => {
  const { client, socket } = setup({ maxBufferedBytes: 1000 });
  socket.bufferedAmount = 1001;
  assert.equal(client.canSend(), false);
  socket.bufferedAmount = 1000;
  assert.equal(client.canSend(), true);
});

test('nothing is sent before the socket is open', () => {
  const sockets = [];
  const client = new StreamClient({
    url: 'ws://x/ws/video/stream?pipeline_id=echo',
    createSocket: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; },
    now: () => 0,
  });
  assert.equal(client.sendFrame(frame()), -1);
  client.connect();
  assert.equal(client.sendFrame(frame()), -1);
  sockets[0].open();
  assert.equal(client.sendFrame(frame()), 0);
});

test('only the last few latencies are kept', () => {
  const { client, socket, clock } = setup({ maxInFlight: 100 });
  for (let i = 0; i < LATENCY_HISTORY + 5; i++) {
    clock.t = i * 100;
    client.sendFrame(frame());
    clock.t = i * 100 + i;
    socket.receiveJson({ frame_index: i, result: {} });
  }
  assert.equal(client.latencies.length, LATENCY_HISTORY);
  assert.equal(client.latencies.at(-1), LATENCY_HISTORY + 4);
});

test('sentFps counts the frames sent in the last second', () => {
  const { client, socket, clock } = setup({ maxInFlight: 100 });
  for (let i = 0; i < 10; i++) { clock.t = i * 100; client.sendFrame(frame()); }
  clock.t = 950;
  assert.equal(client.sentFps(), 10);
  clock.t = 1250;
  assert.equal(client.sentFps(), 7);
  clock.t = 5000;
  assert.equal(client.sentFps(), 0);
  assert.equal(socket.sentData.length, 10);
});

test('reconnecting closes the old socket, ignores its late events and resets counters', () => {
  const { client, socket, sockets, events } = setup();
  client.sendFrame(frame());
  socket.receiveJson({ frame_index: 0, result: {} });
  assert.equal(client.results, 1);
  client.connect();
  assert.equal(sockets.length, 2);
  assert.deepEqual(socket.closedWith, { code: 1000, reason: 'client closed' });
  assert.equal(client.results, 0);
  const before = events.length;
  socket.receiveJson?.({ frame_index: 1, result: {} });
  socket.onmessage?.({ data: '{"frame_index":1,"result":{}}' });
  assert.equal(client.results, 0, 'old socket is detached');
  sockets[1].open();
  assert.equal(client.status, 'open');
  assert.ok(events.length > before);
});

test('disconnect closes without an error or close callback', () => {
  const { client, socket, of } = setup();
  client.disconnect();
  assert.equal(client.status, 'closed');
  assert.equal(socket.closedWith.code, 1000);
  assert.equal(of('close').length, 0);
  assert.equal(client.canSend(), false);
});
