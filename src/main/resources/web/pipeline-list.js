// @ts-check
/**
 * The pipeline selector's list: `GET /pipelines`, the options it makes, and the loader app.js calls
 * at start and on every `framewire:pipelines-changed`. Two of those can be out at once (a save or
 * delete and workbench.js's poll seeing the change count move): the lists are shown in the order
 * they were asked for, and app.js drops those asked for before a change event, so a late answer
 * from before a delete cannot list the deleted pipeline again. No DOM, so Node tests it.
 */
import { inRequestOrder } from './in-order.js';

/**
 * @typedef {{id: string, name?: string, description?: string}} PipelineInfo
 * @typedef {(url: string, init?: {headers?: Record<string, string>}) => Promise<{ok: boolean, json(): Promise<any>}>} FetchLike
 */

/**
 * The listed pipelines; none when the server cannot be reached or refuses.
 * @param {FetchLike} fetchFn
 * @returns {Promise<PipelineInfo[]>}
 */
export async function fetchPipelines(fetchFn) {
  try {
    const response = await fetchFn('/pipelines', { headers: { Accept: 'application/json' } });
    if (response.ok) return await response.json();
  } catch (e) {
    console.warn('framewire: could not list pipelines', e);
  }
  return [];
}

/**
 * The selector's options: "name (id)" when the name differs, the description as a tooltip, and a
 * deep link's id that is not listed kept as "id (not listed)" (the server decides, and the banner
 * explains).
 * @param {PipelineInfo[]} pipelines
 * @param {string | null} wanted the URL's pipeline_id
 * @returns {{label: string, value: string, title: string}[]}
 */
export function pipelineOptions(pipelines, wanted) {
  const options = pipelines.map((p) => ({
    label: p.name && p.name !== p.id ? `${p.name} (${p.id})` : p.id,
    value: p.id,
    title: p.description ?? '',
  }));
  if (wanted && !pipelines.some((p) => p.id === wanted)) {
    options.push({ label: `${wanted} (not listed)`, value: wanted, title: '' });
  }
  return options;
}

/**
 * Lists the pipelines on every call and shows each list, unless a list asked for later was shown
 * first (web/in-order.js).
 * @param {FetchLike} fetchFn
 * @param {(pipelines: PipelineInfo[]) => void} show
 * @returns {(() => Promise<boolean>) & {dropEarlier(): void}} true if this call's list was shown;
 *   dropEarlier(): lists asked for so far are out of date (the pipelines changed since)
 */
export function pipelineLister(fetchFn, show) {
  return inRequestOrder(() => fetchPipelines(fetchFn), show);
}
