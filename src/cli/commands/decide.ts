// `verdict decide [RUN]`: the decision on a stored run — constraints, quality, latency, monthly cost
// from the tokens the run measured per case, the hybrid split, what would flip it, when to look again.
import pc from 'picocolors';
import { catalogueSourceLines, catalogueSources } from '../../decide/catalogue-sources.ts';
import { buildReport } from '../../report/build-report.ts';
import { loadTestCapacities } from '../../report/cost-inputs.ts';
import { renderDecisionScreen } from '../../report/cost-terminal.ts';
import type { Workload } from '../../spec/workload.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { type Io, useColor } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';
import { resolveRunId } from './report.ts';

export const help = `verdict decide [RUN]

Decides on a stored run (default: the newest) without calling any model: hard constraints remove
candidates, the quality floor and non-inferiority keep the good ones, the latency objective drops
slow ones, and the rest are priced at the workload's monthly volume from the tokens the run
measured per case — closed APIs, open weights on managed APIs, self-hosting with a stored load
test's capacity or a labelled roofline estimate. Near-ties go to the simpler operation; a hybrid
split is priced from per-case results. The decision names the winner, the runner-up, its reasons
with figures, what would flip it and when to look again.

Flags:
  --store PATH    SQLite store file (default: $VERDICT_STORE, else ~/.local/share/verdict/verdict.db)
  --load-test [ID=]FILE
                  a load-test result JSON (max-rate search, or a test that met its SLO): its
                  capacity replaces the roofline estimate of the candidate with that base URL
                  and model (or of ID); repeatable
  --sources       list every catalogue the figures come from, with its source and date
  --json          print the decision and the cost section as JSON
  --no-color      no colour (also: NO_COLOR=1)
  -h, --help      this help
Exit codes: 0 decided (a winner was named), 1 internal error, 2 bad input (unknown run), 3 the store
failed; a decision that names no winner (too few cases, nothing meets the bar) also exits 0 and says why.
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      store: { type: 'string' },
      json: { type: 'boolean' },
      sources: { type: 'boolean' },
      'load-test': { type: 'string', multiple: true },
    },
    'decide',
    { min: 0, max: 1 },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const store = openSqliteStore((values.store as string | undefined) ?? defaultStorePath(io.env));
  try {
    const runId = await resolveRunId(store, positionals[0]);
    const loadTests = (values['load-test'] as unknown as string[] | undefined) ?? [];
    const run = (await store.getRun(runId))!;
    const capacities =
      loadTests.length > 0
        ? await loadTestCapacities(loadTests, JSON.parse(run.workloadJson) as Workload, io.cwd)
        : undefined;
    const report = await buildReport(store, runId, capacities ? { capacities } : {});
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify(
          {
            schemaVersion: 1,
            kind: 'decision',
            runId,
            workload: report.workload,
            decision: report.decision,
            cost: report.cost,
            catalogues: catalogueSources(),
          },
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    const c = pc.createColors(useColor(io.stdout, io.env, values['no-color'] ? false : undefined));
    io.stdout.write(
      renderDecisionScreen(
        {
          title: `verdict decide · ${report.workload}`,
          subtitle: `run ${runId} · ${report.cases} cases · ${report.candidates.length} candidates · tokens measured by the run`,
          decision: report.decision,
          ...(report.cost ? { cost: report.cost } : {}),
          ...(values.sources ? { sources: catalogueSourceLines() } : {}),
        },
        c,
        Math.min(io.stdout.columns ?? 80, 100),
      ),
    );
    return 0;
  } finally {
    await store.close();
  }
}
