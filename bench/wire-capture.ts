// The kernel's timestamps of a local server's requests and first response bytes, for checking a
// client's TTFT against the time a request really spent between the two processes. A server's
// own timestamps start only when its event loop gets round to the request: while it is busy
// writing other streams' tokens, a request waits in the socket unseen, and that wait would be
// counted against the client. The packet timestamps have no such blind spot: on loopback a packet
// is stamped as its sender writes it, the same instant the receiver's socket has it.
//
// Uses tcpdump (apt-get install -y tcpdump; needs CAP_NET_RAW, i.e. root) with a filter that keeps
// only the packets that start a request ("POST") or a response ("HTTP"), so a few packets per
// request are copied out, not every token. Each request is matched by its x-request-id; its
// response is the next one on the same connection (one request at a time per connection).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** One request on the wire; ms on the capture's clock (only differences mean anything). */
export interface WireTimes {
  requestAt: number;
  /** The packet with the response's head and first content chunk; null if none was seen. */
  firstTokenAt: number | null;
}

export interface WireCapture {
  /** Stops capturing and returns each request's times by x-request-id, and what was lost. */
  stop(): Promise<{ requests: Map<string, WireTimes>; dropped: number; headOnly: number }>;
}

const READY_TIMEOUT_MS = 5000;
// tcpdump's packet-buffer timeout (1 s) and some.
const BLOCK_TIMEOUT_MS = 1200;

/** Starts capturing on loopback for a server on `port`; a string says why it could not. */
export async function startWireCapture(port: number): Promise<WireCapture | string> {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-wire-'));
  const file = join(dir, 'capture.pcap');
  // The first four bytes of the TCP payload: "POST" or "HTTP".
  const payload = 'tcp[((tcp[12:1] & 0xf0) >> 2):4]';
  const filter = `tcp port ${port} and (${payload} = 0x504f5354 or ${payload} = 0x48545450)`;
  let child: ChildProcess;
  try {
    child = spawn(
      'tcpdump',
      ['-i', 'lo', '-n', '-s', '1024', '-B', '32768', '--time-stamp-precision=nano', '-w', file, filter],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (error) {
    return `tcpdump did not start: ${(error as Error).message}`;
  }
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', (error) => {
      stderr += error.message;
      resolve(-1);
    });
  });
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    child.stderr!.on('data', (part: Buffer) => {
      stderr += part.toString();
      if (stderr.includes('listening on')) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    exited.then(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!ready) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    return `tcpdump could not capture on lo (${stderr.trim().split('\n').at(-1) || 'no output'})`;
  }
  return {
    async stop() {
      // tcpdump takes packets from the kernel in blocks handed over at least once a second, and
      // on SIGINT it stops without the block still being filled: wait for that one first.
      await sleep(BLOCK_TIMEOUT_MS);
      child.kill('SIGINT');
      await exited;
      const dropped = Number(/(\d+) packets? dropped by kernel/.exec(stderr)?.[1] ?? 0);
      try {
        return { ...readCapture(readFileSync(file), port), dropped };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Reads a little-endian, nanosecond pcap of Ethernet-framed IPv4 (what tcpdump writes for lo). */
function readCapture(pcap: Buffer, port: number): { requests: Map<string, WireTimes>; headOnly: number } {
  if (pcap.readUInt32LE(0) !== 0xa1b23c4d) throw new Error('not a nanosecond pcap');
  if (pcap.readUInt32LE(20) !== 1) throw new Error(`link type ${pcap.readUInt32LE(20)}, not Ethernet`);
  const requests = new Map<string, WireTimes>();
  // The request waiting for its response, by the client's port.
  const open = new Map<number, WireTimes>();
  let headOnly = 0;
  let firstSecond: number | null = null;
  for (let at = 24; at + 16 <= pcap.length; ) {
    const second = pcap.readUInt32LE(at);
    const nanos = pcap.readUInt32LE(at + 4);
    const length = pcap.readUInt32LE(at + 8);
    const frame = at + 16;
    at = frame + length;
    if (pcap.readUInt16BE(frame + 12) !== 0x0800) continue;
    firstSecond ??= second;
    // Relative to the first packet, so the double keeps nanosecond digits.
    const time = (second - firstSecond) * 1000 + nanos / 1e6;
    const ip = frame + 14;
    const tcp = ip + (pcap[ip]! & 0x0f) * 4;
    const source = pcap.readUInt16BE(tcp);
    const destination = pcap.readUInt16BE(tcp + 2);
    const text = pcap.toString('latin1', tcp + (pcap[tcp + 12]! >> 4) * 4, at);
    if (destination === port) {
      const id = /\r\nx-request-id: *([^\r\n]+)/i.exec(text)?.[1];
      if (id === undefined) continue;
      const times: WireTimes = { requestAt: time, firstTokenAt: null };
      requests.set(id, times);
      open.set(source, times);
    } else if (source === port) {
      const times = open.get(destination);
      if (!times) continue;
      open.delete(destination);
      // Node sends a response's head with its first write; a head sent alone would not be a token.
      if (text.includes('"content"')) times.firstTokenAt = time;
      else headOnly += 1;
    }
  }
  return { requests, headOnly };
}
