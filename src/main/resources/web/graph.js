// @ts-check
/**
 * Draws a pipeline as a DAG in inline SVG, with no DOM dependency (Node tests the layout and the
 * markup): {@link layoutPipeline} places nodes in columns by depth (longest path from an entry
 * node), orders each column by the mean row of its predecessors (fewer crossings), and routes each
 * edge as a curve from the right of its source to the left of its target. {@link graphSvg} turns a
 * layout into SVG markup, every text escaped, with each node's last and mean time from
 * {@link NodeTimings} when timings are on.
 *
 * A definition that is not a valid DAG (the editor previews whatever is typed) still draws: nodes in
 * a cycle go to one column after the others, edges naming unknown nodes are left out.
 */

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 58;
export const COLUMN_GAP = 56;
export const ROW_GAP = 18;
export const PADDING = 12;

/**
 * @typedef {{id: string, plugin_id?: string, tool_id?: string}} NodeDef
 * @typedef {{from_node: string, to_node: string}} EdgeDef
 * @typedef {{nodes?: NodeDef[], edges?: EdgeDef[], entry_nodes?: string[], output_nodes?: string[]}} PipelineDef
 * @typedef {{id: string, tool: string, column: number, row: number, x: number, y: number,
 *   entry: boolean, output: boolean}} PlacedNode
 * @typedef {{from: string, to: string, path: string}} PlacedEdge
 * @typedef {{nodes: PlacedNode[], edges: PlacedEdge[], width: number, height: number}} Layout
 */

/**
 * @param {PipelineDef} pipeline
 * @returns {Layout}
 */
export function layoutPipeline(pipeline) {
  /** @type {NodeDef[]} */
  const defs = [];
  const seen = new Set();
  for (const n of Array.isArray(pipeline?.nodes) ? pipeline.nodes : []) {
    if (n && typeof n.id === 'string' && n.id !== '' && !seen.has(n.id)) {
      seen.add(n.id);
      defs.push(n);
    }
  }
  const index = new Map(defs.map((n, i) => [n.id, i]));
  /** @type {number[][]} */
  const preds = defs.map(() => []);
  /** @type {number[][]} */
  const succs = defs.map(() => []);
  /** @type {[number, number][]} */
  const edges = [];
  for (const e of Array.isArray(pipeline?.edges) ? pipeline.edges : []) {
    const from = index.get(e?.from_node);
    const to = index.get(e?.to_node);
    if (from === undefined || to === undefined || from === to) continue;
    if (edges.some(([f, t]) => f === from && t === to)) continue;
    edges.push([from, to]);
    preds[to].push(from);
    succs[from].push(to);
  }

  // Columns: longest path from a node without predecessors (Kahn's order); cycle members go last.
  const column = defs.map(() => 0);
  const pending = preds.map((p) => p.length);
  const queue = defs.map((_, i) => i).filter((i) => pending[i] === 0);
  const placed = new Set();
  while (queue.length > 0) {
    const n = /** @type {number} */ (queue.shift());
    placed.add(n);
    for (const s of succs[n]) {
      column[s] = Math.max(column[s], column[n] + 1);
      if (--pending[s] === 0) queue.push(s);
    }
  }
  const acyclicColumns = placed.size === 0 ? 0 : Math.max(...[...placed].map((i) => column[i])) + 1;
  for (let i = 0; i < defs.length; i++) {
    if (!placed.has(i)) column[i] = acyclicColumns;
  }

  // Rows: column by column, ordered by the mean row of already placed predecessors, then definition order.
  const columns = Math.max(0, ...column) + (defs.length > 0 ? 1 : 0);
  const row = defs.map(() => 0);
  const rowsPerColumn = [];
  for (let c = 0; c < columns; c++) {
    const members = defs.map((_, i) => i).filter((i) => column[i] === c);
    const key = (/** @type {number} */ i) => {
      const ps = preds[i].filter((p) => column[p] < c);
      return ps.length === 0 ? i / defs.length - 1 : ps.reduce((sum, p) => sum + row[p], 0) / ps.length;
    };
    members.sort((a, b) => key(a) - key(b) || a - b);
    members.forEach((m, r) => {
      row[m] = r;
    });
    rowsPerColumn.push(members.length);
  }
  const maxRows = Math.max(1, ...rowsPerColumn);
  const height = PADDING * 2 + maxRows * NODE_HEIGHT + (maxRows - 1) * ROW_GAP;
  const width = PADDING * 2 + Math.max(1, columns) * NODE_WIDTH + Math.max(0, columns - 1) * COLUMN_GAP;

  const entries = new Set(Array.isArray(pipeline?.entry_nodes) ? pipeline.entry_nodes : []);
  const outputs = new Set(Array.isArray(pipeline?.output_nodes) ? pipeline.output_nodes : []);
  /** @type {PlacedNode[]} */
  const nodes = defs.map((n, i) => {
    const rows = rowsPerColumn[column[i]];
    // Centre short columns vertically.
    const offset = ((maxRows - rows) * (NODE_HEIGHT + ROW_GAP)) / 2;
    return {
      id: n.id,
      tool: `${n.plugin_id ?? '?'}/${n.tool_id ?? '?'}`,
      column: column[i],
      row: row[i],
      x: PADDING + column[i] * (NODE_WIDTH + COLUMN_GAP),
      y: PADDING + offset + row[i] * (NODE_HEIGHT + ROW_GAP),
      entry: entries.has(n.id),
      output: outputs.has(n.id),
    };
  });
  /** @type {PlacedEdge[]} */
  const placedEdges = edges.map(([f, t]) => {
    const a = nodes[f];
    const b = nodes[t];
    const x1 = a.x + NODE_WIDTH;
    const y1 = a.y + NODE_HEIGHT / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_HEIGHT / 2;
    // Backwards (a cycle drawn into the last column): loop around below.
    const bend = Math.max(24, Math.abs(x2 - x1) / 2);
    const path = `M${r(x1)},${r(y1)} C${r(x1 + bend)},${r(y1)} ${r(x2 - bend)},${r(y2)} ${r(x2)},${r(y2)}`;
    return { from: a.id, to: b.id, path };
  });
  return { nodes, edges: placedEdges, width, height };
}

/** @param {number} v */
function r(v) {
  return Math.round(v * 10) / 10;
}

/**
 * Escapes text for SVG/HTML markup (node ids come from user-written pipelines).
 * @param {unknown} text
 */
export function escapeXml(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * Each node's last and mean time over the results of one stream (`timings_ms` of each answer).
 */
export class NodeTimings {
  /** @type {Map<string, {last: number, sum: number, count: number}>} */
  byNode = new Map();
  results = 0;

  /** @param {Record<string, unknown> | null | undefined} timings */
  add(timings) {
    if (!timings || typeof timings !== 'object') return;
    this.results += 1;
    for (const [node, ms] of Object.entries(timings)) {
      if (typeof ms !== 'number' || !Number.isFinite(ms)) continue;
      const s = this.byNode.get(node) ?? { last: 0, sum: 0, count: 0 };
      s.last = ms;
      s.sum += ms;
      s.count += 1;
      this.byNode.set(node, s);
    }
  }

  /**
   * @param {string} node a node id, or `total`
   * @returns {{last: number, mean: number, count: number} | null}
   */
  get(node) {
    const s = this.byNode.get(node);
    return s ? { last: s.last, mean: s.sum / s.count, count: s.count } : null;
  }

  reset() {
    this.byNode.clear();
    this.results = 0;
  }
}

/** @param {number} ms */
export function formatMs(ms) {
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/**
 * SVG markup for a layout; with `timings`, each node shows "last · mean" and carries
 * `data-last-ms`/`data-mean-ms`, and the total is drawn under the graph.
 *
 * @param {Layout} layout
 * @param {NodeTimings | null} [timings]
 */
export function graphSvg(layout, timings = null) {
  const total = timings?.get('total') ?? null;
  const extra = total ? 22 : 0;
  const w = layout.width;
  const h = layout.height + extra;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="pipeline-graph" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="pipeline graph">`,
    '<defs><marker id="fw-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow"/></marker></defs>',
  ];
  for (const e of layout.edges) {
    parts.push(`<path class="edge" data-from="${escapeXml(e.from)}" data-to="${escapeXml(e.to)}" d="${e.path}" marker-end="url(#fw-arrow)"/>`);
  }
  for (const n of layout.nodes) {
    const t = timings?.get(n.id) ?? null;
    const classes = ['node', n.entry ? 'entry' : '', n.output ? 'output' : ''].filter(Boolean).join(' ');
    const data = t ? ` data-last-ms="${t.last}" data-mean-ms="${r(t.mean * 1000) / 1000}"` : '';
    parts.push(`<g class="${classes}" data-node="${escapeXml(n.id)}"${data} transform="translate(${r(n.x)},${r(n.y)})">`);
    parts.push(`<title>${escapeXml(n.id)}: ${escapeXml(n.tool)}${n.entry ? ' (entry)' : ''}${n.output ? ' (output)' : ''}</title>`);
    parts.push(`<rect width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="8"/>`);
    parts.push(`<text class="id" x="10" y="19">${escapeXml(clip(n.id, 22))}</text>`);
    parts.push(`<text class="tool" x="10" y="35">${escapeXml(clip(n.tool, 26))}</text>`);
    if (t) {
      parts.push(`<text class="time" x="10" y="50">${escapeXml(`${formatMs(t.last)} · mean ${formatMs(t.mean)}`)}</text>`);
    }
    parts.push('</g>');
  }
  if (total) {
    parts.push(`<text class="total" data-total-ms="${total.last}" x="${PADDING}" y="${layout.height + 14}">${escapeXml(
      `total ${formatMs(total.last)} · mean ${formatMs(total.mean)} over ${total.count} results`)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/**
 * @param {string} text
 * @param {number} max
 */
function clip(text, max) {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
