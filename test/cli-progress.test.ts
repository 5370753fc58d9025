// Run progress on a terminal: the bar is redrawn at most ten times a second whatever the result rate,
// and the throttle never hides the last state: the final count, or an update held back when the run
// stops early.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createProgress } from '../src/cli/progress.ts';

/** A terminal-like stderr that keeps what was written. */
function terminal() {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 100, rows: 40 });
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return {
    stream,
    plain: () => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ''),
  };
}

const update = (done: number, total: number) => ({ candidateId: 'fast', done, total, errors: 0 });

test('a terminal bar fed thousands of updates at once ends on the last count', async () => {
  const tty = terminal();
  const progress = createProgress({ stdout: tty.stream, stderr: tty.stream, env: {}, cwd: '/' });
  for (let done = 0; done <= 5000; done++) progress.update(update(done, 5000));
  progress.stop();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal((tty.plain().match(/\d+\/5000/g) ?? []).at(-1), '5000/5000');
});

test('an update held back by the throttle is drawn when the run stops early', async () => {
  const tty = terminal();
  const progress = createProgress({ stdout: tty.stream, stderr: tty.stream, env: {}, cwd: '/' });
  progress.update(update(0, 100));
  progress.update(update(37, 100));
  progress.stop();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal((tty.plain().match(/\d+\/100/g) ?? []).at(-1), '37/100');
});

test('plain lines: a run that finishes under half a second says how long it took, not "0.0/s"', () => {
  let text = '';
  const stderr = { write: (chunk: string) => (text += chunk) };
  const progress = createProgress({ stdout: stderr, stderr, env: {}, cwd: '/' } as never);
  progress.update({ ...update(0, 30), errors: 1 });
  progress.update({ ...update(30, 30), errors: 1 });
  assert.match(text, /^fast: 0\/30 done · starting · 1 error\n/);
  assert.match(text, /\nfast: 30\/30 done · in \d+\.\ds · 1 error\n$/);
  assert.doesNotMatch(text, /0\.0\/s/);
});
