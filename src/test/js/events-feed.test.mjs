import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EventFeed, HOUR_MS, chartStart, countBars, countsUrl, describeRefusal, describeStored, filterParams, listUrl,
  matches, mergeEvents, refreshDelay, tailUrl, typeColor,
} from '../../main/resources/web/events-feed.js';

/** Events with these ids (type tick, stream s). */
const ev = (...ids) => ids.map((id) => ({ id, type: 'tick', stream: 's', label: 'thing' }));
const ids = (list) => list.map((e) => e.id);

test('filters become query parameters: trimmed comma lists, empty ones left out, in a fixed order', () => {
  assert.deepEqual(filterParams({}), []);
  assert.deepEqual(filterParams({ label: ' person , car,', type: 'line_crossed', stream: '  ' }),
    [['type', 'line_crossed'], ['label', 'person,car']]);
  assert.equal(listUrl({ stream: 'source:door' }), '/events?stream=source%3Adoor&limit=100');
  assert.equal(listUrl({ type: 'a,b' }, { after: 41, order: 'asc', limit: 1000 }), '/events?type=a%2Cb&limit=1000&after=41&order=asc');
  assert.equal(tailUrl({ protocol: 'http:', host: 'h:8080' }, {}), 'ws://h:8080/ws/events');
  assert.equal(tailUrl({ protocol: 'https:', host: 'h' }, { label: 'person', type: 'zone_entered' }),
    'wss://h/ws/events?type=zone_entered&label=person');
});

test('the counts cover 24 whole UTC hours, the current one last, with the filters', () => {
  const now = Date.parse('2025-06-15T15:42:10.000Z');
  assert.equal(new Date(chartStart(now)).toISOString(), '2025-06-14T16:00:00.000Z');
  assert.equal(countsUrl({ type: 'line_crossed' }, now),
    '/events/counts?type=line_crossed&group_by=type&bucket=1h&since=2025-06-14T16%3A00%3A00.000Z');
});

test('an event matches when each filter lists its value (or is empty)', () => {
  const e = { id: 1, type: 'line_crossed', stream: 'source:door', label: 'person' };
  assert.equal(matches({}, e), true);
  assert.equal(matches({ type: 'zone_entered, line_crossed', label: 'person' }, e), true);
  assert.equal(matches({ stream: 'source:gate' }, e), false);
  assert.equal(matches({ label: 'car' }, { id: 2, type: 'tick' }), false, 'no label matches no label filter');
});

test('merging keeps each id once, newest first, bounded; nothing new returns the same list', () => {
  const list = ev(5, 3, 2);
  assert.equal(mergeEvents(list, ev(3, 2)), list);
  assert.equal(mergeEvents(list, []), list);
  assert.deepEqual(ids(mergeEvents(list, ev(4, 6, 3))), [6, 5, 4, 3, 2]);
  assert.deepEqual(ids(mergeEvents(list, ev(7, 6), 3)), [7, 6, 5]);
  assert.equal(mergeEvents(list, ev(1), 3), list, 'older than the last of a full list: not kept, no change');
  assert.equal(mergeEvents(list, [{ type: 'no id' }]), list);
});

test('load then tail with no gap: the tail after the newest loaded id continues the list', () => {
  const feed = new EventFeed();
  feed.loaded(ev(12, 11, 10));
  assert.equal(feed.through, 12);
  assert.equal(feed.onTail({ tailing: true, after: 12 }), false);
  assert.equal(feed.pendingGap(), null);
  assert.equal(feed.onTail(ev(13)[0]), true);
  assert.equal(feed.onTail(ev(13)[0]), false, 'a duplicate changes nothing');
  assert.deepEqual(ids(feed.events), [13, 12, 11, 10]);
  assert.equal(feed.through, 13);
});

test('events stored between the load and the tail are filled oldest first up to the tail\'s after, page by page', () => {
  const feed = new EventFeed({}, 5);
  feed.loaded(ev(10, 9));
  feed.onTail({ tailing: true, after: 17 });
  assert.deepEqual(feed.pendingGap(), { after: 10, until: 17 });
  // The tail's events come while the gap is read: listed, but the list is complete only up to 10.
  feed.onTail(ev(18)[0]);
  assert.equal(feed.through, 10);
  assert.equal(feed.filled(ev(11, 12, 13), false), true);
  assert.deepEqual(feed.pendingGap(), { after: 13, until: 17 });
  feed.filled(ev(14, 15, 17), false);
  assert.equal(feed.pendingGap(), null, 'read up to the tail\'s after: complete');
  assert.equal(feed.through, 18, 'and through the events the tail gave meanwhile');
  assert.deepEqual(ids(feed.events), [18, 17, 15, 14, 13]);
});

test('a gap whose last page ends before its end (filtered out, or deleted) is closed by next = null', () => {
  const feed = new EventFeed();
  feed.loaded([]);
  assert.equal(feed.through, 0);
  feed.onTail({ tailing: true, after: 40 });
  assert.deepEqual(feed.pendingGap(), { after: 0, until: 40 });
  feed.filled(ev(3), true);
  assert.equal(feed.pendingGap(), null);
  assert.equal(feed.through, 40);
  feed.onTail({ tailing: true, after: 40 });
  assert.equal(feed.pendingGap(), null, 'a reconnect at the same point leaves no gap');
});

test('lost: a gap from the last event held to the newest; reconnects and lost widen an open gap', () => {
  const feed = new EventFeed();
  feed.loaded(ev(3, 2));
  feed.onTail({ tailing: true, after: 3 });
  feed.onTail(ev(4)[0]);
  feed.onTail({ lost: 7 });
  assert.deepEqual(feed.pendingGap(), { after: 4, until: null });
  feed.onTail(ev(12)[0]);
  assert.equal(feed.through, 4);
  feed.onTail({ tailing: true, after: 20 }); // the socket dropped and came back meanwhile
  assert.deepEqual(feed.pendingGap(), { after: 4, until: null }, 'to the newest already covers 20');
  feed.filled(ev(5, 6, 7, 8, 9, 10, 11, 12), false);
  assert.deepEqual(feed.pendingGap(), { after: 12, until: null }, 'not the last page: go on');
  feed.filled(ev(13), true);
  assert.equal(feed.pendingGap(), null);
  assert.equal(feed.through, 13);
  assert.deepEqual(ids(feed.events), [13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);

  const other = new EventFeed();
  other.loaded(ev(5));
  other.onTail({ tailing: true, after: 8 });
  other.onTail({ tailing: true, after: 11 });
  assert.deepEqual(other.pendingGap(), { after: 5, until: 11 });
  other.onTail({ lost: 1 });
  assert.deepEqual(other.pendingGap(), { after: 5, until: null });
});

test('the feed keeps only events matching its filters', () => {
  const feed = new EventFeed({ type: 'line_crossed' });
  feed.loaded([{ id: 1, type: 'line_crossed' }, { id: 2, type: 'tick' }]);
  assert.equal(feed.onTail({ id: 3, type: 'tick' }), false);
  assert.deepEqual(ids(feed.events), [1]);
  assert.equal(feed.through, 3, 'an event left out still moves the complete mark');
});

test('events_disabled is a state with how to turn the store on; other refusals are failures', () => {
  const off = describeRefusal(404, { error: 'events_disabled', detail: 'this server keeps no events' });
  assert.equal(off.disabled, true);
  assert.match(off.message, /EVENTS_ENABLED=true/);
  assert.deepEqual(describeRefusal(503, { error: 'store_unavailable' }),
    { disabled: false, message: 'The event store cannot answer now; retrying.' });
  assert.deepEqual(describeRefusal(400, { error: 'invalid_request', detail: 'limit must be…' }),
    { disabled: false, message: 'Could not load events (HTTP 400 invalid_request: limit must be…).' });
  assert.deepEqual(describeRefusal(404, null), { disabled: false, message: 'Could not load events (HTTP 404).' });
});

test('counts become 24 stacked bars: whole pixels, scaled to the fullest hour, types in name order', () => {
  const now = Date.parse('2025-06-15T15:42:10.000Z');
  const rows = [
    { bucket: '2025-06-15T15:00:00.000Z', type: 'zone_entered', count: 1 },
    { bucket: '2025-06-15T15:00:00.000Z', type: 'line_crossed', count: 3 },
    { bucket: '2025-06-15T14:00:00.000Z', type: 'line_crossed', count: 2 },
    { bucket: '2025-06-14T16:00:00.000Z', type: 'zone_entered', count: 4 },
    { bucket: '2025-06-14T15:00:00.000Z', type: 'line_crossed', count: 99 }, // before the chart
  ];
  const { bars, max, types } = countBars(rows, now, { width: 240, height: 40 });
  assert.equal(bars.length, 24);
  assert.equal(max, 4);
  assert.deepEqual(types, ['line_crossed', 'zone_entered']);
  assert.deepEqual(bars[0], {
    start: Date.parse('2025-06-14T16:00:00.000Z'), total: 4, x: 0, width: 9,
    segments: [{ type: 'zone_entered', count: 4, y: 0, height: 40, color: typeColor('zone_entered') }],
  });
  assert.deepEqual(bars[22].segments, [{ type: 'line_crossed', count: 2, y: 20, height: 20, color: typeColor('line_crossed') }]);
  assert.deepEqual(bars[23], {
    start: Date.parse('2025-06-15T15:00:00.000Z'), total: 4, x: 230, width: 9,
    segments: [
      { type: 'line_crossed', count: 3, y: 10, height: 30, color: '#c2185b' },
      { type: 'zone_entered', count: 1, y: 0, height: 10, color: '#1e6fd9' },
    ],
  });
  assert.deepEqual(bars[5].segments, []);
  assert.equal(bars[5].total, 0);
  assert.equal(countBars([], now, { width: 240, height: 40 }).max, 0);
  assert.equal(bars[1].start - bars[0].start, HOUR_MS);
});

test('a bar\'s segments touch and its top is its total\'s, whatever the rounding', () => {
  const now = Date.parse('2025-06-15T15:00:00.000Z');
  const rows = ['a', 'b', 'c'].map((type) => ({ bucket: '2025-06-15T15:00:00.000Z', type, count: 1 }));
  rows.push({ bucket: '2025-06-15T14:00:00.000Z', type: 'a', count: 7 });
  const bar = countBars(rows, now, { width: 100, height: 50 }).bars[23];
  assert.deepEqual(bar.segments.map((s) => [s.y, s.height]), [[43, 7], [36, 7], [29, 7]]);
  assert.equal(typeColor('my_plugin_event'), typeColor('my_plugin_event'), 'an unknown type keeps its colour');
});

test('refreshes are spaced: at once after a quiet spell, else when the gap is over', () => {
  assert.equal(refreshDelay(null, 1000, 5000), 0);
  assert.equal(refreshDelay(1000, 7000, 5000), 0);
  assert.equal(refreshDelay(1000, 2500, 5000), 3500);
});

test('an event in the list: time of day, type, line or zone, direction, track and label', () => {
  assert.equal(describeStored({ time: '2025-06-15T15:06:40.120Z', type: 'line_crossed', line: 'door', direction: 'in', track_id: 17, label: 'person' }),
    '15:06:40 line_crossed door in #17 person');
  assert.equal(describeStored({ time: '2025-06-15T15:06:40.120Z', type: 'tick', label: null }), '15:06:40 tick');
});
