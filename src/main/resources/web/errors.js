// @ts-check
/** Sentences a person understands for the server's error codes. */

/** @type {Readonly<Record<string, string>>} */
export const ERROR_MESSAGES = Object.freeze({
  invalid_pipeline: 'The selected pipeline is not available.',
  invalid_frame: 'The camera sent a frame the server could not read as a JPEG image.',
  frame_too_large: 'A camera frame was too large for the server. Try a lower camera resolution.',
  invalid_message: 'The server received a message it does not understand from this page.',
  pipeline_failure: 'The pipeline failed while processing a frame.',
  internal_error: 'The server ran into an unexpected problem.',
  too_many_sessions: 'The server is busy with too many streams right now. Try again in a moment.',
  unauthorized: 'You are not allowed to use this stream. Check your access token.',
  forbidden_origin: 'This page is not allowed to connect to the server from its current address.',
  server_shutting_down: 'The server is restarting.',
  idle_timeout: 'The stream was closed because no frames arrived for a while.',
  client_stalled: 'The stream was closed because this page stopped reading the server\'s answers.',
  source_not_found: 'There is no live source with that id (it may have been deleted).',
  source_stopped: 'The live source was deleted, or the server is stopping.',
});

/**
 * The sentence for an error code, with a generic fallback for codes this page does not know.
 * @param {string} code
 * @returns {string}
 */
export function describeError(code) {
  if (Object.prototype.hasOwnProperty.call(ERROR_MESSAGES, code)) {
    return ERROR_MESSAGES[code];
  }
  return `The stream stopped because of a server error (${code}).`;
}

/**
 * A sentence for a connection that closed without an error message.
 * @param {number} closeCode WebSocket close code
 * @returns {string}
 */
export function describeClose(closeCode) {
  if (closeCode === 1006) return 'The connection to the server was lost.';
  return `The connection to the server closed (code ${closeCode}).`;
}
