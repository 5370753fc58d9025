// What bench/runner-crash.ts reads besides its server: the unread bytes of a stopped process's
// sockets, a V8 CPU profile cut to the moments answers were flowing, and quantiles.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Mean and quantiles, rounded to hundredths. */
export function quantiles(xs: number[]) {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (q: number) =>
    Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN).toFixed(2));
  const mean = sorted.reduce((s, x) => s + x, 0) / sorted.length;
  return { mean: Number(mean.toFixed(2)), p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

// The unread bytes of each socket, asked of a Python helper that takes a copy of each of the
// process's sockets (pidfd_getfd) and asks the kernel (FIONREAD). Reading rx_queue in
// /proc/<pid>/net/tcp took 5–12 ms here (the kernel walks its whole socket table per 4 KB read), and
// the process has to stay stopped that long. The bench talks to the helper through two FIFOs,
// synchronously, so that its own server does nothing in between.
const HELPER = `
import array, ctypes, fcntl, os, socket, sys, termios
libc = ctypes.CDLL(None, use_errno=True)
SYS_PIDFD_GETFD = 438
requests, replies = open(sys.argv[1]), open(sys.argv[2], 'w')
for line in requests:
    pid = int(line)
    found = []
    try:
        pidfd = os.pidfd_open(pid)
        for fd in os.listdir(f'/proc/{pid}/fd'):
            try:
                if not os.readlink(f'/proc/{pid}/fd/{fd}').startswith('socket:'):
                    continue
            except OSError:
                continue
            copy = libc.syscall(SYS_PIDFD_GETFD, pidfd, int(fd), 0)
            if copy < 0:
                continue
            s = socket.socket(fileno=copy)
            try:
                if s.family in (socket.AF_INET, socket.AF_INET6):
                    unread = array.array('i', [0])
                    fcntl.ioctl(copy, termios.FIONREAD, unread)
                    found.append(f'{s.getsockname()[1]}:{s.getpeername()[1]}:{unread[0]}')
            except OSError:
                pass
            finally:
                s.detach()
                os.close(copy)
        os.close(pidfd)
    except OSError as error:
        found = ['error:' + str(error).replace(' ', '_')]
    replies.write(' '.join(found) + '\\n')
    replies.flush()
`;

export interface UnreadProbe {
  /** Unread bytes of the process's TCP connections to `serverPort`, by the client's port. */
  unreadByPort(pid: number, serverPort: number): Map<number, number>;
  close(): void;
}

/** Starts the helper (python3 on Linux ≥ 5.6); `dir` holds its two FIFOs. */
export function startUnreadProbe(dir: string): UnreadProbe {
  const requests = path.join(dir, 'unread-requests');
  const replies = path.join(dir, 'unread-replies');
  execFileSync('mkfifo', [requests, replies]);
  spawn('python3', ['-c', HELPER, requests, replies], { stdio: 'inherit' }).unref();
  // Opening a FIFO blocks until its other end is opened: the helper opens them in the same order.
  const requestFd = openSync(requests, 'w');
  const replyFd = openSync(replies, 'r');
  const buffer = Buffer.alloc(1 << 16);
  return {
    unreadByPort(pid, serverPort) {
      writeSync(requestFd, `${pid}\n`);
      let reply = '';
      while (!reply.endsWith('\n')) {
        const n = readSync(replyFd, buffer, 0, buffer.length, null);
        if (n === 0) throw new Error('the unread-bytes helper stopped');
        reply += buffer.toString('utf8', 0, n);
      }
      if (reply.startsWith('error:')) throw new Error(`unread-bytes helper: ${reply.trim()}`);
      const unread = new Map<number, number>();
      for (const entry of reply.trim().split(' ').filter(Boolean)) {
        const [local, remote, bytes] = entry.split(':').map(Number);
        if (remote === serverPort) unread.set(local!, bytes!);
      }
      return unread;
    },
    close() {
      closeSync(requestFd);
      closeSync(replyFd);
    },
  };
}

/** The state letter of a process in /proc/<pid>/stat ('T' once stopped). */
export function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const end = stat.lastIndexOf(')');
  return stat.slice(end + 2, end + 3);
}

/**
 * Self time in a V8 CPU profile inside the given intervals of the monotonic clock (ms, merged where
 * they overlap), by part of the client and by function.
 */
export function summariseProfile(file: string, intervals: Array<[number, number]>) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
    startTime: number;
    samples: number[];
    timeDeltas: number[];
  };
  const merged: Array<[number, number]> = [];
  for (const [from, to] of [...intervals].sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map<string, number>();
  const byPart = new Map<string, number>();
  const part = (url: string, name: string) => {
    if (name.startsWith('(')) return name;
    if (/better-sqlite3|store\/sqlite/.test(url)) return 'store (SQLite)';
    if (/undici/.test(url)) return 'undici (HTTP)';
    if (/dist\/providers\//.test(url)) return 'provider (SSE, JSON)';
    if (/dist\/grade\//.test(url)) return 'grading';
    if (/dist\/run\//.test(url)) return 'runner';
    if (/progress/.test(url)) return 'progress';
    if (/runner-crash-trace/.test(url)) return 'the trace itself';
    if (/^node:/.test(url)) return 'node internals (net, streams, timers)';
    if (url === '') return 'native and builtins';
    return 'other';
  };
  let t = profile.startTime;
  let total = 0;
  let interval = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i]!;
    const at = t / 1000;
    while (interval < merged.length && merged[interval]![1] < at) interval++;
    if (interval >= merged.length || at < merged[interval]![0]) return;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const frame = frames.get(id)!;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules|dist)\//, '')}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const where = part(frame.url, frame.functionName);
    byPart.set(where, (byPart.get(where) ?? 0) + ms);
    total += ms;
  });
  const top = (map: Map<string, number>, n: number) =>
    Object.fromEntries(
      [...map]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, v]) => [k, `${v.toFixed(0)} ms (${((100 * v) / total).toFixed(1)}%)`]),
    );
  return {
    sampledMs: Number(total.toFixed(0)),
    byPart: top(byPart, 20),
    topFunctions: top(byFunction, 20),
  };
}
