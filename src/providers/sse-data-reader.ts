// Server-sent events, fed in chunks as they come off the socket, read into their `data:` payloads.
// The OpenAI chat wire and the load generator both read streams through it: one place handles lines
// split across chunks, CRLF endings and UTF-8 characters split across chunks.
import { StringDecoder } from 'node:string_decoder';

/**
 * Calls `onData` with each `data:` field's value (one leading space removed, as the SSE spec says);
 * other fields and blank lines are skipped. `onData` returning false stops the reading for good
 * (the caller has what it needs, or has failed): later data is ignored.
 */
export function createSseDataReader(onData: (data: string) => boolean | undefined) {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let stopped = false;
  const line = (text: string) => {
    if (
      text.startsWith('data:') &&
      onData(text.charCodeAt(5) === 32 ? text.slice(6) : text.slice(5)) === false
    )
      stopped = true;
  };
  const lines = () => {
    let start = 0;
    let newline = pending.indexOf('\n');
    while (newline >= 0 && !stopped) {
      const end = newline > start && pending.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      if (end > start) line(pending.slice(start, end));
      start = newline + 1;
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  };
  return {
    /** Reads a chunk of the body. */
    push(chunk: Buffer): void {
      if (stopped) return;
      pending += decoder.write(chunk);
      lines();
    },
    /** The body ended: reads a last line that had no newline. */
    end(): void {
      if (stopped) return;
      pending += decoder.end();
      lines();
      const last = pending.endsWith('\r') ? pending.slice(0, -1) : pending;
      pending = '';
      if (last !== '' && !stopped) line(last);
    },
  };
}
