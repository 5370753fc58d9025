import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  parseArrival,
  parseDurationMs,
  parseLengthDistribution,
  parseSweepValues,
} from '../src/load/parse-load-values.ts';
import { VerdictError } from '../src/spec/errors.ts';

function assertUsage(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(VerdictError.isInstance(error));
    assert.equal(error.code, 'USAGE');
    assert.match(error.message, message);
    return true;
  });
}

test('durations need a unit', () => {
  assert.equal(parseDurationMs('500ms'), 500);
  assert.equal(parseDurationMs('30s'), 30_000);
  assert.equal(parseDurationMs('1.5m'), 90_000);
  assert.equal(parseDurationMs(' 1h '), 3_600_000);
  assertUsage(() => parseDurationMs('30', '--duration'), /^--duration "30": no unit; write 30s or 30ms$/);
  assertUsage(() => parseDurationMs('30 days'), /unknown unit "days"; use ms, s, m or h/);
  assertUsage(() => parseDurationMs('soon'), /write a number with a unit/);
  assertUsage(() => parseDurationMs('0s'), /greater than zero/);
});

test('length distributions: fixed, uniform, normal', () => {
  assert.deepEqual(parseLengthDistribution('128'), { kind: 'fixed', value: 128 });
  assert.deepEqual(parseLengthDistribution('fixed:64'), { kind: 'fixed', value: 64 });
  assert.deepEqual(parseLengthDistribution('uniform:64-256'), { kind: 'uniform', min: 64, max: 256 });
  assert.deepEqual(parseLengthDistribution('normal:512,64'), { kind: 'normal', mean: 512, sd: 64 });
  assertUsage(
    () => parseLengthDistribution('12.5', '--output-tokens'),
    /^--output-tokens "12.5": "12.5" is not a positive whole number$/,
  );
  assertUsage(() => parseLengthDistribution('uniform:256-64'), /the minimum 256 is above the maximum 64/);
  assertUsage(() => parseLengthDistribution('uniform:64'), /write uniform:MIN-MAX/);
  assertUsage(() => parseLengthDistribution('normal:512'), /write normal:MEAN,SD/);
  assertUsage(() => parseLengthDistribution('normal:512,-3'), /not a standard deviation ≥ 0/);
  assertUsage(() => parseLengthDistribution('zipf:2'), /unknown distribution "zipf"/);
});

test('arrivals: closed, constant, poisson, gamma', () => {
  assert.deepEqual(parseArrival('closed:8'), { kind: 'closed', concurrency: 8 });
  assert.deepEqual(parseArrival('constant:2.5'), { kind: 'constant', rate: 2.5 });
  assert.deepEqual(parseArrival('poisson:10'), { kind: 'poisson', rate: 10 });
  assert.deepEqual(parseArrival('gamma:10,2'), { kind: 'gamma', rate: 10, burstiness: 2 });
  assertUsage(() => parseArrival('poisson'), /write closed:CONCURRENCY, constant:RATE/);
  assertUsage(() => parseArrival('closed:1.5'), /not a positive whole number/);
  assertUsage(() => parseArrival('gamma:10'), /write gamma:RATE,BURSTINESS/);
  assertUsage(() => parseArrival('burst:10'), /unknown arrival "burst"/);
});

test('sweep values must rise', () => {
  assert.deepEqual(parseSweepValues('1, 2,4,8'), [1, 2, 4, 8]);
  assertUsage(() => parseSweepValues('1,4,2'), /values must rise/);
  assertUsage(() => parseSweepValues('1,,2'), /"" is not a positive number/);
});
