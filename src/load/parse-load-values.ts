// Parsers for the value syntaxes a user types for a load test (flags, config), with errors that
// say what was wrong and how to write it. The CLI calls these; so can any other edge.
import { VerdictError } from '../spec/errors.ts';
import type { Arrival, LengthDistribution } from './types.ts';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

function fail(what: string, text: string, why: string): never {
  throw new VerdictError('USAGE', `${what} "${text}": ${why}`);
}

function positive(what: string, text: string, part: string, integer = false): number {
  const value = Number(part);
  if (part.trim() === '' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    fail(what, text, `"${part}" is not a positive ${integer ? 'whole ' : ''}number`);
  }
  return value;
}

/** `500ms`, `30s`, `2m`, `1h` → milliseconds. A unit is required. */
export function parseDurationMs(text: string, what = 'duration'): number {
  const match = /^\s*([0-9]*\.?[0-9]+)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) fail(what, text, 'write a number with a unit, e.g. 500ms, 30s or 2m');
  const [, amount, unit] = match!;
  if (unit === '') fail(what, text, `no unit; write ${amount}s or ${amount}ms`);
  const factor = DURATION_UNITS[unit!.toLowerCase()];
  if (factor === undefined) fail(what, text, `unknown unit "${unit}"; use ms, s, m or h`);
  const ms = Number(amount) * factor!;
  if (!(ms > 0)) fail(what, text, 'must be greater than zero');
  return ms;
}

/**
 * A token-length distribution: `128` or `fixed:128`, `uniform:64-256`, `normal:512,64`
 * (mean, standard deviation; draws are rounded and kept ≥ 1).
 */
export function parseLengthDistribution(text: string, what = 'token length'): LengthDistribution {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const kind = colon < 0 ? 'fixed' : trimmed.slice(0, colon).toLowerCase();
  const rest = colon < 0 ? trimmed : trimmed.slice(colon + 1);
  switch (kind) {
    case 'fixed':
      return { kind: 'fixed', value: positive(what, text, rest, true) };
    case 'uniform': {
      const parts = rest.split('-');
      if (parts.length !== 2) fail(what, text, 'write uniform:MIN-MAX, e.g. uniform:64-256');
      const min = positive(what, text, parts[0]!, true);
      const max = positive(what, text, parts[1]!, true);
      if (max < min) fail(what, text, `the minimum ${min} is above the maximum ${max}`);
      return { kind: 'uniform', min, max };
    }
    case 'normal': {
      const parts = rest.split(',');
      if (parts.length !== 2) fail(what, text, 'write normal:MEAN,SD, e.g. normal:512,64');
      const mean = positive(what, text, parts[0]!);
      const sdText = parts[1]!.trim();
      const sd = Number(sdText);
      if (sdText === '' || !Number.isFinite(sd) || sd < 0)
        fail(what, text, `"${parts[1]}" is not a standard deviation ≥ 0`);
      return { kind: 'normal', mean, sd };
    }
    default:
      return fail(
        what,
        text,
        `unknown distribution "${kind}"; use fixed:N, uniform:MIN-MAX or normal:MEAN,SD`,
      );
  }
}

/**
 * How requests arrive: `closed:8` (8 in flight), `constant:10`, `poisson:10` (req/s),
 * `gamma:10,2` (req/s, burstiness; 1 is Poisson).
 */
export function parseArrival(text: string, what = 'arrival'): Arrival {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  if (colon < 0)
    fail(what, text, 'write closed:CONCURRENCY, constant:RATE, poisson:RATE or gamma:RATE,BURSTINESS');
  const kind = trimmed.slice(0, colon).toLowerCase();
  const rest = trimmed.slice(colon + 1);
  switch (kind) {
    case 'closed':
      return { kind: 'closed', concurrency: positive(what, text, rest, true) };
    case 'constant':
    case 'poisson':
      return { kind, rate: positive(what, text, rest) };
    case 'gamma': {
      const parts = rest.split(',');
      if (parts.length !== 2) fail(what, text, 'write gamma:RATE,BURSTINESS, e.g. gamma:10,2');
      return {
        kind: 'gamma',
        rate: positive(what, text, parts[0]!),
        burstiness: positive(what, text, parts[1]!),
      };
    }
    default:
      return fail(what, text, `unknown arrival "${kind}"; use closed, constant, poisson or gamma`);
  }
}

/** Rising sweep values: `1,2,4,8,16`. */
export function parseSweepValues(text: string, what = 'sweep values'): number[] {
  const values = text.split(',').map((part) => positive(what, text, part.trim()));
  for (let i = 1; i < values.length; i++) {
    if (!(values[i]! > values[i - 1]!)) fail(what, text, 'values must rise, e.g. 1,2,4,8');
  }
  return values;
}

/** `5%` or `0.05`: a share between 0.1% and 50%. */
export function parsePrecision(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const value = m ? Number(m[1]) / (m[2] ? 100 : 1) : Number.NaN;
  if (!(value >= 0.001 && value <= 0.5))
    throw new VerdictError('USAGE', `--precision "${text}": expected a share such as 5% or 0.05 (0.1%–50%)`);
  return value;
}
