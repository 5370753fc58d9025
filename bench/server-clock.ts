// Places bench/runner-server.ts's request stamps (run with --keep-times: milliseconds since it
// started, by its own Date.now()) on this process's Date.now() clock, so a bench can say when a
// verdict process's first and last requests reached the server.
import type { ServerProcess } from './runner-common.ts';

/** One streamed chat completion from this process, as the runner sends it. */
async function request(url: string): Promise<void> {
  const response = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'bench-model',
      messages: [{ role: 'user', content: 'clock' }],
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  await response.text();
}

export interface ServerClock {
  /** The server's start on this process's Date.now() clock. */
  origin: number;
  /** Half the width of the window the origin lies in, rounding included. */
  uncertaintyMs: number;
}

/**
 * Each request from here arrived between the moments it was sent and answered, so its stamp bounds
 * the server's origin from both sides; `count` requests narrow the bounds to the quickest round trip.
 */
export async function serverClock(server: ServerProcess, count = 20): Promise<ServerClock> {
  let low = Number.NEGATIVE_INFINITY;
  let high = Number.POSITIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const before = (await server.stats()).answeredAtMs.length;
    const sent = Date.now();
    await request(server.url);
    const answered = Date.now();
    const stamp = (await server.stats()).answeredAtMs[before];
    if (stamp === undefined) throw new Error('the server keeps no request times: start it with --keep-times');
    low = Math.max(low, sent - stamp);
    high = Math.min(high, answered - stamp);
  }
  // Stamps are whole milliseconds on both sides: a millisecond of rounding either way.
  return { origin: (low + high) / 2, uncertaintyMs: (high - low) / 2 + 1 };
}

/** How many requests the server has stamped so far: the index the next request's stamp gets. */
export async function stampsSoFar(server: ServerProcess): Promise<number> {
  return (await server.stats()).answeredAtMs.length;
}

/** The first and last stamps from index `from` on, on this process's clock (Date.now() ms), and their count. */
export async function requestsSince(
  server: ServerProcess,
  clock: ServerClock,
  from: number,
): Promise<{ first: number; last: number; count: number }> {
  const stamps = (await server.stats()).answeredAtMs.slice(from);
  if (stamps.length === 0) throw new Error('the server saw no request');
  return {
    first: clock.origin + Math.min(...stamps),
    last: clock.origin + Math.max(...stamps),
    count: stamps.length,
  };
}
