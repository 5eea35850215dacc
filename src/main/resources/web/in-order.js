// @ts-check
/**
 * Answers shown in the order they were asked for. The page fetches the same list or state again
 * while an earlier fetch is still out (a change event and a poll at once, a poll on a slow server),
 * and HTTP answers can arrive in any order: shown as they arrive, an older answer would overwrite a
 * newer one (a deleted pipeline listed again, a removed source back on screen). No DOM, so Node
 * tests it.
 */

/**
 * Wraps a fetch and the code that shows its answer: each call fetches, and its answer is shown
 * unless the answer of a later call was shown first; then it is dropped. Answers that arrive in
 * order are all shown, so a slow server that answers every poll after the next one has started
 * still updates the page (dropping every answer but the newest request's would show nothing then,
 * and aborting the earlier request would as well).
 *
 * @template {unknown[]} A
 * @template V
 * @param {(...args: A) => Promise<V>} load fetches; changes nothing on the page
 * @param {(value: V, ...args: A) => void} show puts an answer on the page; runs at once when the
 *   answer is taken, so nothing runs between the order check and the showing
 * @returns {((...args: A) => Promise<boolean>) & {dropEarlier(): void}} true if this call's answer
 *   was shown, false if it was older than one already shown (or dropped by dropEarlier); a failed
 *   fetch rejects and shows nothing. dropEarlier(): the answers of the calls made so far will not be
 *   shown, for when the page knows they are out of date (it saved or deleted, the server said the
 *   list changed) before a newer answer has arrived.
 */
export function inRequestOrder(load, show) {
  let asked = 0;
  let shown = 0;
  /** @param {A} args */
  const run = async (...args) => {
    const mine = ++asked;
    const value = await load(...args);
    if (mine <= shown) return false;
    shown = mine;
    show(value, ...args);
    return true;
  };
  return Object.assign(run, {
    dropEarlier() {
      shown = asked;
    },
  });
}
