import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { collectBoxes } from '../../main/resources/web/overlay.js';

// The JSON Detection.toMap() produces (DetectionTest checks the Java side against the same file).
const detection = JSON.parse(readFileSync(new URL('../resources/fixtures/detection.json', import.meta.url), 'utf8'));

test('a Detection as framewire-api serializes it is drawn as a labelled box', () => {
  const boxes = collectBoxes({ detections: [detection] });
  assert.deepEqual(boxes, [{ x: 10, y: 20, w: 30.5, h: 40, label: 'cat 87%', kind: 'detection' }]);
});
