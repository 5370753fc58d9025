// `verdict cost WORKLOAD`: every option priced at the workload's volume before any run, from the
// declared tokens per request, else the dry run's estimate from the cases — estimates, labelled so —
// with constraints, break-even, what would flip the cheapest option and the catalogues the figures
// come from.
import { existsSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { GPU_OFFERS, GPUS, OPEN_WEIGHT_MODELS } from '../../cost/index.ts';
import type { Capacity } from '../../cost/types.ts';
import { catalogueSourceLines, catalogueSources } from '../../decide/catalogue-sources.ts';
import { type DecisionCostInput, decideFully } from '../../decide/decide.ts';
import { declaredCostInputs, loadTestCapacities, readGgufHeaders } from '../../report/cost-inputs.ts';
import { renderDecisionScreen, wrapText } from '../../report/cost-terminal.ts';
import { storedLoadTestInputs } from '../../report/stored-load-tests.ts';
import { estimatedTokensPerRequest } from '../../run/plan-run.ts';
import { VerdictError } from '../../spec/errors.ts';
import type { Workload } from '../../spec/workload.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openStore } from '../../store/open-store.ts';
import {
  type InputLimits,
  inputLimitFlagOptions,
  inputLimitHelpLines,
  inputLimitsFromFlags,
} from '../../workload/input-limits.ts';
import { loadWorkload } from '../../workload/load-workload.ts';
import { type Io, useColor } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';

export const help = `verdict cost WORKLOAD

Prices every option of a workload at its monthly volume before any run: each candidate on its own
route (closed API, open weights on a managed API, or self-hosted on the GPU the workload names), the
same open weights on every managed API the catalogue prices, with every line of the self-hosted
TCO. Tokens per request come from traffic.input_tokens_per_request and output_tokens_per_request;
where traffic does not declare them, they are estimated from the cases as "verdict run --dry-run"
does (input ≈ characters ÷ 4, output = max_tokens, else 256). Every figure is an estimate until
"verdict run" measures them ("verdict decide" then decides on the run). Quality is not known here:
the pick is on cost alone and says so.

Flags:
  --volume N      price at N requests a month instead of traffic.requests_per_month
  --load-test [ID=]FILE
                  a load-test result JSON (max-rate search, or a test that met its SLO): its
                  capacity replaces the roofline estimate (and any stored test) of the
                  candidate with that base URL and model (or of ID); repeatable
  --store PATH    read stored load tests (verdict load) from this SQLite store (default:
                  $VERDICT_STORE, else ~/.local/share/verdict/verdict.db, when it exists)
  --sources       list every catalogue the figures come from, with its source and date
  --json          print the decision and the cost section as JSON
${inputLimitHelpLines(18)}
  --no-color      no colour (also: NO_COLOR=1)
  -h, --help      this help
Exit codes: 0 priced, 2 bad input (invalid workload or cases, no traffic section).

${[
  `GPUs (candidates[].gpu.type): ${GPUS.map((gpu) => gpu.id).join(', ')}`,
  `Clouds (gpu.cloud): ${[...new Set(GPU_OFFERS.map((offer) => offer.cloud))].join(', ')}`,
  `Open-weight models (open_model): ${OPEN_WEIGHT_MODELS.map((model) => model.id).join(', ')}`,
]
  .flatMap((line) => wrapText(line, 80, '', '  '))
  .join('\n')}
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      json: { type: 'boolean' },
      volume: { type: 'string' },
      sources: { type: 'boolean' },
      'load-test': { type: 'string', multiple: true },
      store: { type: 'string' },
      ...inputLimitFlagOptions,
    },
    'cost',
    { min: 1, max: 1 },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const file = path.resolve(io.cwd, positionals[0]!);
  const limits = inputLimitsFromFlags(values);
  const workload = await loadWorkload(file, { checkCases: false, limits });
  const shown = positionals[0]!;
  if (values.volume !== undefined) {
    const volume = Number(String(values.volume).replace(/_/g, ''));
    if (!(Number.isFinite(volume) && volume > 0))
      throw new VerdictError(
        'USAGE',
        `verdict cost: --volume expects a positive number, got "${values.volume}"`,
      );
    workload.traffic = { peak_factor: 1, ...workload.traffic, requests_per_month: volume };
  }
  if (!workload.traffic)
    throw new VerdictError(
      'WORKLOAD_INVALID',
      `${shown}: no traffic section; add traffic.requests_per_month (and input/output tokens per request) to price it`,
    );
  const declared = await declaredCostInputs(workload);
  const estimated = declared ? null : await estimatedCostInputs(file, workload, shown, limits);
  const input = declared ?? estimated!.input;
  // Load tests kept in the store (verdict load) are measured capacities; files given explicitly win.
  const storeFile = (values.store as string | undefined) ?? defaultStorePath(io.env);
  const capacities = new Map<string, Capacity>();
  if (existsSync(storeFile)) {
    const store = await openStore(storeFile);
    try {
      for (const [id, capacity] of (await storedLoadTestInputs(store, workload)).capacities)
        capacities.set(id, capacity);
    } finally {
      await store.close();
    }
  }
  const loadTests = (values['load-test'] as unknown as string[] | undefined) ?? [];
  for (const [id, capacity] of await loadTestCapacities(loadTests, workload, io.cwd, limits))
    capacities.set(id, capacity);
  if (capacities.size > 0) input.capacities = capacities;
  const { decision, cost } = decideFully([], { cost: input });
  if (values.json) {
    io.stdout.write(
      `${JSON.stringify({ schemaVersion: 1, kind: 'cost', workload: workload.name, decision, cost, catalogues: catalogueSources() }, null, 2)}\n`,
    );
    return 0;
  }
  const c = pc.createColors(useColor(io.stdout, io.env, values['no-color'] ? false : undefined));
  io.stdout.write(
    renderDecisionScreen(
      {
        title: `verdict cost · ${workload.name}`,
        subtitle: `${workload.candidates.length} candidates · before any run: ${estimated ? `tokens per request estimated from the ${estimated.cases} cases` : 'declared tokens per request'}, estimates`,
        decision,
        ...(cost ? { cost } : {}),
        ...(values.sources ? { sources: catalogueSourceLines() } : {}),
      },
      c,
      Math.min(io.stdout.columns ?? 80, 100),
    ),
  );
  return 0;
}

/** Cost inputs when traffic does not declare tokens per request: the dry run's estimate from the cases. */
async function estimatedCostInputs(
  file: string,
  parsed: Workload,
  shown: string,
  limits: Partial<InputLimits>,
): Promise<{ input: DecisionCostInput; cases: number }> {
  // The cases are read now, so check them as a run would: a broken case is a located error.
  const workload = { ...(await loadWorkload(file, { limits })), traffic: parsed.traffic };
  const { cases, usage } = await estimatedTokensPerRequest(workload);
  if (cases === 0)
    throw new VerdictError(
      'WORKLOAD_INVALID',
      `${shown}: no cases to estimate tokens per request from; declare traffic.input_tokens_per_request and output_tokens_per_request`,
    );
  const ggufs = await readGgufHeaders(workload);
  return {
    cases,
    input: {
      workload,
      usage,
      usageSource: 'estimated' as const,
      ...(ggufs.size > 0 ? { ggufs } : {}),
      now: new Date(),
    },
  };
}
