// `verdict init`: answer sets → the candidates the rules call for, each starter valid and priced at once.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { parse } from 'yaml';
import { main } from '../src/cli/main.ts';
import { tempDir } from './helpers/temp-dir.ts';

function captureIo(cwd: string, stdin?: NodeJS.ReadableStream & { isTTY?: boolean }) {
  const io = {
    out: '',
    err: '',
    stdout: { write: (text: string): unknown => (io.out += text) },
    stderr: { write: (text: string) => (io.err += text) },
    // Never the machine's own store: `verdict cost` reads stored load tests from the default one.
    env: { NO_COLOR: '1', VERDICT_STORE: path.join(cwd, 'none.db') },
    cwd,
    ...(stdin ? { stdin } : {}),
  };
  return io;
}

interface Starter {
  dir: string;
  workload: {
    candidates: Array<{
      id: string;
      model: string;
      serving?: string;
      hosting?: string;
      gpu?: { type: string };
    }>;
    constraints: Record<string, unknown>;
    operations: { hours_per_month: Record<string, number> };
  };
  note: string;
  cost: {
    decision: unknown;
    cost: { options: Array<{ optionId: string; family: string; lines?: Array<{ label: string }> }> };
  };
}

/** Runs init with an answers file, then validate and cost --json on what it wrote. */
async function initWith(answers: Record<string, unknown>, flags: string[] = []): Promise<Starter> {
  const dir = tempDir('verdict-init-');
  const file = path.join(dir, 'answers.yaml');
  writeFileSync(file, JSON.stringify(answers));
  const io = captureIo(dir);
  assert.equal(await main(['init', '--answers', file, '--dir', 'starter', ...flags], io), 0, io.err);
  const starter = path.join(dir, 'starter');
  const validate = captureIo(dir);
  assert.equal(await main(['validate', path.join(starter, 'workload.yaml')], validate), 0, validate.err);
  const cost = captureIo(dir);
  assert.equal(await main(['cost', path.join(starter, 'workload.yaml'), '--json'], cost), 0, cost.err);
  return {
    dir: starter,
    workload: parse(readFileSync(path.join(starter, 'workload.yaml'), 'utf8')),
    note: readFileSync(path.join(starter, 'BEFORE-ANY-RUN.md'), 'utf8'),
    cost: JSON.parse(cost.out),
  };
}

test('an on-premises HIPAA answer set yields only self-hosted candidates, on owned GPUs with a capex', async () => {
  const { workload, note, cost } = await initWith({
    task: 'Summarise discharge letters for the GP',
    requests_per_month: 200_000,
    hipaa: true,
    on_prem: true,
    gpu: 'h100-sxm',
    gpu_team_hours: 30,
    on_call: true,
  });
  assert.ok(workload.candidates.length >= 1);
  for (const c of workload.candidates) {
    assert.equal(c.serving, 'self-hosted', c.id);
    assert.equal(c.hosting, 'owned', c.id);
    assert.equal(c.gpu?.type, 'h100-sxm');
  }
  assert.deepEqual(
    { hipaa: workload.constraints.hipaa, on_prem: workload.constraints.on_prem },
    { hipaa: true, on_prem: true },
  );
  // The stated 30 hours, split like the defaults, on-call included.
  const hours = Object.values(workload.operations.hours_per_month).reduce((s, h) => s + h, 0);
  assert.ok(Math.abs(hours - 30) < 0.5, `${hours}`);
  assert.match(note, /frontier APIs\*\*: the data may not leave the premises/);
  assert.match(note, /open weights on a managed API\*\*: a managed API is outside the premises/);
  // Priced as owned hardware (the capex line), not left unpriced.
  const own = cost.cost.options.filter((o) => workload.candidates.some((c) => c.id === o.optionId));
  assert.equal(own.length, workload.candidates.length);
  for (const option of own) assert.equal(option.family, 'self-hosted-owned');
});

test('a low-volume answer set without sovereignty yields frontier APIs and managed open weights, no self-hosting', async () => {
  const { workload, note, cost } = await initWith({
    task: 'Route support tickets to a queue',
    requests_per_month: 50_000,
    input_tokens: 400,
    output_tokens: 20,
    difficulty: 'simple',
  });
  const servings = workload.candidates.map((c) => c.serving ?? 'api');
  assert.ok(!servings.includes('self-hosted'), servings.join());
  assert.ok(
    workload.candidates.some((c) => c.model.startsWith('openai:')),
    'a frontier API',
  );
  const managed = workload.candidates.find((c) => c.id.endsWith('-together'));
  assert.ok(managed, 'the same open weights on a managed API');
  assert.match(
    note,
    /\*\*self-hosting\*\*: no data sovereignty rule, no fine-tuning, no GPUs owned, and 21,000,000 tokens a month/,
  );
  // Operations hours are in the file even so: the catalogue's self-hosted comparisons price them.
  assert.equal(workload.operations.hours_per_month.on_call, 16);
  const families = new Set(cost.cost.options.map((o) => o.family));
  assert.ok(families.has('closed-api'), [...families].join());
  assert.ok(families.has('open-managed-api'), [...families].join());
});

test('a high-volume answer set adds self-hosting on the GPU named, rented on the cloud named', async () => {
  const { workload, note, cost } = await initWith({
    task: 'Draft replies to customer messages',
    requests_per_month: 5_000_000,
    input_tokens: 600,
    output_tokens: 150,
    hardware: 'cloud',
    cloud: 'aws',
    gpu: 'l40s',
    gpu_team_hours: 40,
    on_call: true,
  });
  const self = workload.candidates.filter((c) => c.serving === 'self-hosted');
  assert.equal(self.length, 1);
  assert.equal(self[0]!.gpu?.type, 'l40s');
  assert.equal(self[0]!.hosting, 'cloud');
  assert.ok(
    workload.candidates.some((c) => c.model.startsWith('openai:')),
    'frontier APIs stay',
  );
  assert.ok(
    workload.candidates.some((c) => c.id.endsWith('-together')),
    'managed open weights stay',
  );
  assert.match(note, /high volume: 3,750,000,000 tokens a month/);
  const option = cost.cost.options.find((o) => o.optionId === self[0]!.id);
  assert.ok(
    option?.lines?.some((l) => l.label.startsWith('GPU rental (NVIDIA L40S')),
    'priced on the L40S',
  );
  assert.ok(
    option?.lines?.some((l) => l.label === 'operations: on-call'),
    'operations priced',
  );
});

test('fine-tuning leaves the closed models out and self-hosts the open weights', async () => {
  const { workload, note } = await initWith({ requests_per_month: 100_000, fine_tuning: true });
  assert.ok(!workload.candidates.some((c) => /^(openai|anthropic):/.test(c.model)));
  assert.ok(workload.candidates.some((c) => c.serving === 'self-hosted'));
  assert.match(note, /frontier APIs\*\*: fine-tuning on your own data needs the weights/);
});

test('flags answer without a file and win over it; a misspelt answer is named with a suggestion', async () => {
  const dir = tempDir('verdict-init-');
  const io = captureIo(dir);
  assert.equal(
    await main(['init', '--requests-per-month', '1000', '--on-prem', 'true', '--gpu', 'l4'], io),
    0,
    io.err,
  );
  const workload = parse(readFileSync(path.join(dir, 'workload.yaml'), 'utf8'));
  assert.ok(workload.candidates.every((c: { gpu?: { type: string } }) => c.gpu?.type === 'l4'));
  const file = path.join(dir, 'answers.yaml');
  writeFileSync(file, 'requests_per_month: 1000\nhipa: true\n');
  const typo = captureIo(dir);
  assert.equal(await main(['init', '--answers', file, '--dir', 'other'], typo), 2);
  assert.match(typo.err, /unknown answer "hipa" \(did you mean "hipaa"\?\)/);
  const again = captureIo(dir);
  assert.equal(await main(['init', '--requests-per-month', '1000'], again), 2);
  assert.match(
    again.err,
    /workload\.yaml, cases\.jsonl, BEFORE-ANY-RUN\.md already exist; choose another --dir or overwrite with --force/,
  );
});

test('without a terminal and without answers, init says how to give them instead of waiting', async () => {
  const dir = tempDir('verdict-init-');
  const io = captureIo(dir, Object.assign(new PassThrough(), { isTTY: false }));
  assert.equal(await main(['init'], io), 2);
  assert.match(
    io.err,
    /stdin is not a terminal, so there is no one to ask: give the answers in a file \(--answers answers\.yaml\) or as flags/,
  );
});

test('on a terminal, init asks the questions the flags left open', async () => {
  const dir = tempDir('verdict-init-');
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin });
  const io = captureIo(dir, stdin);
  // Answer each question as it appears: keystrokes written before a prompt listens are lost.
  const replies: Array<[RegExp, string]> = [
    [/What should the model do/, 'Tag invoices by cost centre\r'],
    [/How many requests a month/, '80000\r'],
    [/Tokens per request/, '300/40\r'],
    [/Which rules apply to the data/, '\r'],
    [/Where must the data be processed/, '\r'],
    [/fine-tune/, 'n\r'],
    [/How hard is the task/, '\r'],
    [/Lowest acceptable pass rate/, '0.9\r'],
    [/Time to first token/, '800\r'],
    [/Engineer-hours a month/, '0\r'],
    [/Which hardware or cloud/, '\r'],
    [/Which GPU/, '\r'],
    [/Monthly budget/, '500\r'],
  ];
  let next = 0;
  let seen = '';
  io.stdout.write = (text: string) => {
    io.out += text;
    seen += text;
    // A prompt's last frame and the next question can come in one write: answer in order, keeping
    // what follows the question matched.
    let reply = replies[next];
    let match = reply?.[0].exec(seen);
    while (reply && match) {
      const keys = reply[1];
      next++;
      seen = seen.slice(match.index + match[0].length);
      setTimeout(() => stdin.write(keys), 5);
      reply = replies[next];
      match = reply?.[0].exec(seen);
    }
    return true;
  };
  const code = await main(['init', '--name', 'invoices'], io);
  assert.equal(code, 0, io.err);
  assert.equal(next, replies.length, `answered ${next} of ${replies.length}`);
  const workload = parse(readFileSync(path.join(dir, 'workload.yaml'), 'utf8'));
  assert.equal(workload.name, 'invoices');
  assert.equal(workload.traffic.requests_per_month, 80_000);
  assert.equal(workload.traffic.input_tokens_per_request, 300);
  assert.equal(workload.quality.floor, 0.9);
  assert.equal(workload.decision.max_ttft_p90_ms, 800);
});
