// Which job engine carries a distributed run's pages: pg-boss on the team's Postgres, or BullMQ on
// Redis. Each gets the same work — 2,000 jobs enqueued in bulk, taken one at a time by one consumer
// that does nothing, completed (pg-boss: fetch + complete; BullMQ: its Worker) — on servers started here, and prints milliseconds per job (take +
// complete) and the ratio. A page holds 50 cases, so a case pays a fiftieth of that.
// Run: npm install --no-save --prefix bench/.peers bullmq ioredis && node bench/queue-engines.ts
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PgBoss } from 'pg-boss';
import { freePort, startPostgres } from '../test/helpers/postgres-server.ts';

const JOBS = 2000;
const PAGE = 50;

async function pgBoss(): Promise<number> {
  const server = await startPostgres();
  if (!server) throw new Error('postgres binaries not found');
  try {
    const boss = new PgBoss({ connectionString: await server.createDatabase() });
    boss.on('error', () => {});
    await boss.start();
    await boss.createQueue('pages');
    await boss.insert(
      'pages',
      Array.from({ length: JOBS }, (_, i) => ({ data: { page: i } })),
    );
    // The worker's own loop (fetch, work, complete, fetch again at once): pg-boss's work() waits its
    // polling interval (0.5 s at least) between single-job fetches.
    const started = performance.now();
    for (;;) {
      const jobs = await boss.fetch('pages');
      if (jobs.length === 0) break;
      await boss.complete('pages', jobs[0]!.id);
    }
    const ms = performance.now() - started;
    await boss.stop({ graceful: false });
    return ms / JOBS;
  } finally {
    server.stop();
  }
}

async function bullmq(): Promise<number> {
  const require = createRequire(path.join(import.meta.dirname, '.peers', 'package.json'));
  // Peers installed under bench/.peers only: typed here by what this bench uses.
  type Closable = { close(): Promise<void> };
  const { Queue, Worker } = require('bullmq') as {
    Queue: new (name: string, options: object) => Closable & { addBulk(jobs: object[]): Promise<unknown> };
    Worker: new (name: string, handler: () => Promise<void>, options: object) => Closable;
  };
  const { Redis } = require('ioredis') as {
    Redis: new (options: object) => { disconnect(): void };
  };
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  await sleep(300);
  try {
    const connection = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: null });
    const queue = new Queue('pages', { connection });
    await queue.addBulk(Array.from({ length: JOBS }, (_, i) => ({ name: 'page', data: { page: i } })));
    let done = 0;
    const started = performance.now();
    let worker!: Closable;
    await new Promise<void>((resolve) => {
      worker = new Worker(
        'pages',
        async () => {
          if (++done === JOBS) resolve();
        },
        { connection, concurrency: 1 },
      );
    });
    const ms = performance.now() - started;
    await worker.close();
    await queue.close();
    connection.disconnect();
    return ms / JOBS;
  } finally {
    redis.kill('SIGKILL');
  }
}

const boss = await pgBoss();
const bull = await bullmq();
console.log(`jobs: ${JOBS}, one consumer, take + complete, no work`);
console.log(
  `pg-boss (Postgres): ${boss.toFixed(3)} ms/job = ${(boss / PAGE).toFixed(4)} ms per case at ${PAGE} cases a page`,
);
console.log(`BullMQ (Redis):     ${bull.toFixed(3)} ms/job = ${(bull / PAGE).toFixed(4)} ms per case`);
console.log(`pg-boss / BullMQ: ${(boss / bull).toFixed(2)}×`);
