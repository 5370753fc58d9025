// `verdict load`: traffic against one self-hosted endpoint (or the embedded runtime) at a
// concurrency or a rate, a sweep, or a search for the highest rate within an SLO; the result is
// printed, kept in the store, and becomes the candidate's measured capacity per replica.
import { findGpu, GPUS } from '../../cost/index.ts';
import { findMaxRate } from '../../load/find-max-rate.ts';
import { describeHardware, embeddedHardware, endpointHardware } from '../../load/load-hardware.ts';
import {
  capacityUpperBound,
  type LoadResult,
  loadOutcome,
  loadTestsOf,
  newLoadTestId,
  toLoadTestRecord,
} from '../../load/load-record.ts';
import { type ResolvedLoadTarget, resolveLoadTarget } from '../../load/load-target.ts';
import {
  parseArrival,
  parseDurationMs,
  parseLengthDistribution,
  parsePrecision,
  parseSweepValues,
} from '../../load/parse-load-values.ts';
import { preflight } from '../../load/preflight.ts';
import { renderLoadTest, renderMaxRate, renderSweep } from '../../load/render-load-test.ts';
import { runLoadTest } from '../../load/run-load-test.ts';
import { parseSlo } from '../../load/slo.ts';
import { runSweep, type StepBase } from '../../load/sweep.ts';
import type { Arrival, PromptSource } from '../../load/types.ts';
import { VerdictError } from '../../spec/errors.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import {
  inputLimitFlagOptions,
  inputLimitHelpLines,
  inputLimitsFromFlags,
} from '../../workload/input-limits.ts';
import { ExitCode } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { createLoadProgress } from '../load-progress.ts';
import { parseFlags } from '../parse-flags.ts';

export const help = `verdict load --base-url URL --model M      an OpenAI-compatible endpoint
verdict load --workload FILE --candidate ID  a workload's self-hosted candidate
verdict load --model llama-cpp:FILE.gguf     a GGUF model run in this process

Sends streaming chat completions to one target and measures TTFT, TPOT,
inter-token and end-to-end latency, throughput and goodput; failed requests are
counted apart. Only the target named is sent requests; every test is bounded by
a duration and a request cap. The result is stored, and "verdict decide" and
"verdict report" take a candidate's latest one as its measured capacity.

Target:
  --base-url URL      endpoint ending in /v1 (vLLM, SGLang, llama.cpp server…)
  --model M           the model it serves, or llama-cpp:FILE.gguf (embedded)
  --api-key-env NAME  send the key in this variable as a bearer token
  --workload FILE     with --candidate ID: the candidate's endpoint or model,
  --candidate ID      key, sampling and max_tokens; the cases are the prompts
  --threads N         CPU threads of an embedded model
  --gpu TYPE[:COUNT]  the GPUs serving the endpoint (l4, a100-80gb, h100-sxm…),
                      recorded so the capacity counts only for that hardware

Traffic (one test unless a sweep or search is asked for):
  --arrival A         closed:8 (8 in flight) | constant:5 | poisson:12 (req/s)
                      | gamma:12,2 (burstiness 2); default closed:4
  --sweep-concurrency LIST
                      closed loop at each value, e.g. 1,2,4,8; stops at
                      saturation or an SLO breach
  --sweep-rates LIST  open loop at each rate (the process of --arrival, else
                      poisson); same stops
  --find-max-rate     the highest rate meeting --slo: doubling, bisection, then
                      repeated steps at the boundary for a 95% interval
  --precision P       half-width of that interval asked for; default 5%
  --duration D        measured window of a test or step; default 30s (10s/step)
  --max-requests N    most measured requests of a test or step; default 10000
  --warmup D          sent first, left out of all figures; default 5s (0s: none)
  --timeout D         a request running longer is a timeout; default 60s
  --input-tokens L    synthetic prompts: 256 | uniform:64-256 | normal:512,64;
                      default 256
  --output-tokens L   max_tokens, same forms; default 128 or the candidate's
  --ignore-eos        ask the server to ignore end-of-sequence (exact lengths)
  --slo S             e.g. ttft_p99=500ms,tpot_p99=50ms (ttft tpot itl e2e;
                      p50 p90 p95 p99 max mean): goodput and met/missed
  --seed N            seed of arrivals and prompts; default 1

Output:
  --json              the result as JSON (what verdict decide --load-test reads)
  --store PATH        SQLite store file (default: $VERDICT_STORE, else
                      ~/.local/share/verdict/verdict.db)
  --no-store          do not keep the result
  --run ID            tie the stored result to a run

Input limits (of --workload and its cases):
${inputLimitHelpLines(22)}

Exit codes: 0 ok · 2 bad input · 3 endpoint failure (the first request failed,
or none completed) · 4 SLO missed (by the test; by every step or rate tried)
· 5 the load generator itself was the bottleneck: figures may understate the
server. Details: docs/load.md
`;

const DEFAULT_ARRIVAL = 'closed:4';

export async function run(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      'base-url': { type: 'string' },
      model: { type: 'string' },
      'api-key-env': { type: 'string' },
      workload: { type: 'string' },
      candidate: { type: 'string' },
      threads: { type: 'string' },
      arrival: { type: 'string' },
      'sweep-concurrency': { type: 'string' },
      'sweep-rates': { type: 'string' },
      'find-max-rate': { type: 'boolean' },
      precision: { type: 'string' },
      gpu: { type: 'string' },
      duration: { type: 'string' },
      'max-requests': { type: 'string' },
      warmup: { type: 'string' },
      timeout: { type: 'string' },
      'input-tokens': { type: 'string' },
      'output-tokens': { type: 'string' },
      'ignore-eos': { type: 'boolean' },
      slo: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
      store: { type: 'string' },
      'no-store': { type: 'boolean' },
      run: { type: 'string' },
      ...inputLimitFlagOptions,
    },
    'load',
    { min: 0, max: 0 },
  );
  if (values.help) {
    io.stdout.write(help);
    return ExitCode.ok;
  }
  const str = (name: string) => values[name] as string | undefined;
  const usage = (message: string): never => {
    throw new VerdictError('USAGE', message);
  };

  // Every flag is checked before anything is sent.
  const modes = [str('sweep-concurrency'), str('sweep-rates'), values['find-max-rate']].filter(Boolean);
  if (modes.length > 1) usage('choose one of --sweep-concurrency, --sweep-rates and --find-max-rate');
  const stepped = modes.length === 1;
  const arrival = parseArrival(str('arrival') ?? DEFAULT_ARRIVAL, '--arrival');
  if (str('sweep-concurrency') && str('arrival'))
    usage('--sweep-concurrency sets the concurrency; drop --arrival');
  const slo = str('slo') === undefined ? undefined : parseSlo(str('slo')!);
  if (values['find-max-rate'] && !slo)
    usage('--find-max-rate needs --slo, e.g. --slo ttft_p99=500ms,tpot_p99=50ms');
  if ((values['find-max-rate'] || str('sweep-rates')) && arrival.kind === 'closed' && str('arrival'))
    usage('a rate search or sweep is open loop: give --arrival constant:R, poisson:R or gamma:R,B, or none');
  const durationMs = parseDurationMs(str('duration') ?? (stepped ? '10s' : '30s'), '--duration');
  const warmupText = str('warmup') ?? '5s';
  const warmupMs = /^\s*0+(\.0*)?\s*[a-z]*\s*$/i.test(warmupText)
    ? 0
    : parseDurationMs(warmupText, '--warmup');
  const requestTimeoutMs = parseDurationMs(str('timeout') ?? '60s', '--timeout');
  const maxRequests = wholeNumber(str('max-requests') ?? '10000', '--max-requests', 1);
  const seed = wholeNumber(str('seed') ?? '1', '--seed', 0);
  const threads = str('threads') === undefined ? undefined : wholeNumber(str('threads')!, '--threads', 1);
  const inputTokens = parseLengthDistribution(str('input-tokens') ?? '256', '--input-tokens');
  const outputFlag = str('output-tokens');
  const outputTokens =
    outputFlag === undefined ? undefined : parseLengthDistribution(outputFlag, '--output-tokens');
  const sweepValues = str('sweep-concurrency')
    ? parseSweepValues(str('sweep-concurrency')!, '--sweep-concurrency')
    : str('sweep-rates')
      ? parseSweepValues(str('sweep-rates')!, '--sweep-rates')
      : null;
  if (str('sweep-concurrency') && sweepValues!.some((v) => !Number.isInteger(v)))
    usage(`--sweep-concurrency "${str('sweep-concurrency')}": concurrencies are whole numbers`);
  const runId = str('run') ?? null;
  const precision = str('precision') === undefined ? undefined : parsePrecision(str('precision')!);
  if (precision !== undefined && !values['find-max-rate']) usage('--precision goes with --find-max-rate');
  const gpu = str('gpu') === undefined ? null : parseGpuFlag(str('gpu')!);

  const limits = inputLimitsFromFlags(values);
  let resolved: ResolvedLoadTarget | null = null;
  let store: Store | null = null;
  try {
    resolved = await resolveLoadTarget(
      {
        ...(str('base-url') === undefined ? {} : { baseUrl: str('base-url')! }),
        ...(str('model') === undefined ? {} : { model: str('model')! }),
        ...(str('api-key-env') === undefined ? {} : { apiKeyEnv: str('api-key-env')! }),
        ...(str('workload') === undefined ? {} : { workload: str('workload')! }),
        ...(str('candidate') === undefined ? {} : { candidate: str('candidate')! }),
        ...(threads === undefined ? {} : { threads }),
        limits,
      },
      io.env,
      io.cwd,
    );
    const target = resolved;
    // Opened once the flags and the target are known good, so a mistake creates no store file.
    store = values['no-store'] === true ? null : await openStore(str('store') ?? defaultStorePath(io.env));
    if (store && runId && !(await store.getRun(runId)))
      throw new VerdictError('RUN_NOT_FOUND', `no run "${runId}" in ${store.location}`);
    if (values['ignore-eos'] && target.embedded)
      io.stderr.write(
        'verdict load: --ignore-eos is not applied to the embedded runtime; outputs may end early\n',
      );
    const prompts: PromptSource = target.conversations
      ? { kind: 'messages', conversations: target.conversations, order: 'random' }
      : { kind: 'synthetic', inputTokens };
    if (target.conversations && str('input-tokens'))
      io.stderr.write('verdict load: --input-tokens is ignored: the prompts are the workload cases\n');
    const output = outputTokens ?? target.outputTokens ?? { kind: 'fixed', value: 128 };

    await preflight(target, prompts, requestTimeoutMs);
    const endpointFacts = target.embedded
      ? null
      : await endpointHardware(target.target, withoutCredentials(target.target.baseUrl), gpu);

    const progress = createLoadProgress(io, {
      durationMs,
      warmupMs,
      stepped,
      steps: sweepValues?.length ?? null,
    });
    const base: StepBase = {
      target: target.target,
      ...(target.transport ? { transport: target.transport } : {}),
      prompts,
      outputTokens: output,
      ignoreEos: values['ignore-eos'] === true,
      durationMs,
      maxRequests,
      warmupMs,
      requestTimeoutMs,
      seed,
      ...(slo ? { slo } : {}),
      ...(target.extraBody ? { extraBody: target.extraBody } : {}),
      onRequest: progress.request,
    };
    const signal = io.signal;
    let result: LoadResult;
    try {
      if (values['find-max-rate']) {
        result = await findMaxRate({
          base,
          slo: slo!,
          ...processOf(arrival, str('arrival') !== undefined),
          ...(precision === undefined ? {} : { precision }),
          onStep: (step) => progress.step(`rate ${step.rate.toFixed(2)}/s`, step.result, step.held),
          ...(signal ? { signal } : {}),
        });
      } else if (sweepValues) {
        result = await runSweep({
          base,
          axis: str('sweep-concurrency') ? 'concurrency' : 'rate',
          values: sweepValues,
          ...processOf(arrival, str('arrival') !== undefined),
          onStep: (step) =>
            progress.step(
              `${str('sweep-concurrency') ? 'concurrency' : 'rate'} ${step.value}`,
              step.result,
              !step.saturated && step.reasons.length === 0,
            ),
          ...(signal ? { signal } : {}),
        });
      } else {
        result = await runLoadTest({ ...base, arrival, ...(signal ? { signal } : {}) });
      }
    } finally {
      progress.stop();
    }

    result.hardware = endpointFacts ?? embeddedHardware(target.runtimeBackend?.() ?? null, gpu);
    const id = newLoadTestId();
    const record = toLoadTestRecord(result, {
      id,
      target: loadTestsOf(result)[0]?.target ?? {
        baseUrl: target.target.baseUrl,
        model: target.target.model,
      },
      candidateId: target.candidateId,
      runId,
    });
    if (store) await store.saveLoadTest(record);
    const outcome = judge(result);
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ ...result, loadTestId: store ? id : null, candidateId: target.candidateId }, null, 2)}\n`,
      );
    } else {
      io.stdout.write(
        result.kind === 'load-test'
          ? renderLoadTest(result)
          : result.kind === 'sweep'
            ? renderSweep(result)
            : renderMaxRate(result),
      );
      const capacity = record.maxRateWithinSlo;
      const bound = capacity === null ? capacityUpperBound(result) : null;
      io.stdout.write(
        `\nHardware: ${describeHardware(result.hardware)}\n` +
          `${store ? `Stored as ${id} in ${store.location}` : 'Not stored (--no-store)'}` +
          (capacity !== null
            ? `; capacity within the SLO ${capacity.toFixed(2)} req/s${target.candidateId ? ` for ${target.candidateId}` : ''}`
            : bound !== null
              ? `; no capacity within the SLO: below ${bound.toFixed(2)} req/s (an upper bound)`
              : '') +
          '.\n',
      );
    }
    if (outcome.message) io.stderr.write(`verdict load: ${outcome.message}\n`);
    return outcome.code;
  } finally {
    await resolved?.close();
    await store?.close();
  }
}

/** `l4`, `l4:2`: a GPU of the catalogue and how many serve one replica. */
function parseGpuFlag(text: string): { model: string; count: number } {
  const [type = '', countText] = text.trim().toLowerCase().split(':');
  if (!findGpu(type))
    throw new VerdictError(
      'USAGE',
      `--gpu "${text}": unknown GPU type "${type}"; known: ${GPUS.map((g) => g.id).join(', ')}`,
    );
  const count = countText === undefined ? 1 : Number(countText);
  if (!Number.isInteger(count) || count < 1)
    throw new VerdictError('USAGE', `--gpu "${text}": the count after ":" is a whole number ≥ 1`);
  return { model: type, count };
}

function withoutCredentials(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.username = '';
  url.password = '';
  return url.href.replace(/\/$/, '');
}

function wholeNumber(text: string, flag: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new VerdictError('USAGE', `${flag} "${text}": expected a whole number ≥ ${min}`);
  return value;
}

/** The open-loop process of a sweep or search: the kind of --arrival when given, else poisson. */
function processOf(arrival: Arrival, given: boolean) {
  if (!given || arrival.kind === 'closed') return {};
  if (arrival.kind === 'gamma')
    return { process: 'gamma' as const, burstiness: arrival.burstiness, startRate: arrival.rate };
  return { process: arrival.kind, startRate: arrival.rate };
}

const EXIT_CODES = {
  ok: ExitCode.ok,
  'endpoint-failed': ExitCode.providerFailure,
  'generator-bound': ExitCode.generatorBound,
  'slo-missed': ExitCode.sloMissed,
} as const;

/** The exit code of a result, and the sentence that explains a non-zero one. */
function judge(result: LoadResult): { code: number; message: string | null } {
  const outcome = loadOutcome(result);
  return { code: EXIT_CODES[outcome.kind], message: outcome.message };
}
