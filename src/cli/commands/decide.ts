// `verdict decide [RUN]`: decides a stored run again with today's catalogues — constraints, quality,

// latency, monthly cost, the hybrid split, what would flip it, when to look again — and stores a new
// version of its decision when it differs from the latest, saying what changed.
import path from 'node:path';
import pc from 'picocolors';
import { catalogueSourceLines } from '../../decide/catalogue-sources.ts';
import { loadTestCapacities } from '../../report/cost-inputs.ts';
import { renderDecisionScreen } from '../../report/cost-terminal.ts';
import { redecide } from '../../report/decide-run.ts';
import { decisionChanges, renderDecisionChanges } from '../../report/decision-changes.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openStore } from '../../store/open-store.ts';
import { readStoredWorkload } from '../../workload/stored-workload.ts';
import { type Io, useColor } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';
import { resolveRunId } from './report.ts';

export const help = `verdict decide [RUN]

Decides on a stored run again (default: the newest completed run in which some candidate answered),
with today's catalogues, without calling any model: hard constraints remove candidates, the quality
floor and non-inferiority keep the good ones, the latency objective drops slow ones, and the rest are
priced at the workload's monthly volume from the tokens the run measured per case — closed APIs, open
weights on managed APIs, self-hosting with a stored load test's capacity or a labelled roofline
estimate. Near-ties go to the simpler operation; a
hybrid split is priced from per-case results. The decision names the winner, the runner-up, its
reasons with figures, what would flip it and when to look again.

The run's decision is stored with it, versioned: \`verdict report\` and \`verdict view\` render the
latest version and never decide on their own. When the new decision differs from the latest stored
one it is stored as the next version, and what changed is printed (pick, runner-up, the monthly cost
of each option, reasons added and removed, the catalogues); when it is the same, nothing is stored.

Flags:
  --store PATH    SQLite store file (default: $VERDICT_STORE, else ~/.local/share/verdict/verdict.db)
  --load-test [ID=]FILE
                  a load-test result JSON (max-rate search, or a test that met its SLO): its
                  capacity replaces the roofline estimate of the candidate with that base URL
                  and model (or of ID); repeatable. Without it, the files of the latest stored
                  decision are used again (their capacities were stored with it)
  --sources       list every catalogue the figures come from, with its source and date
  --json          print the decision, the cost section and what changed as JSON
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
  const store = await openStore((values.store as string | undefined) ?? defaultStorePath(io.env));
  try {
    const runId = await resolveRunId(store, positionals[0], (text) =>
      io.stderr.write(`verdict decide: ${text}`),
    );
    const loadTests = (values['load-test'] as unknown as string[] | undefined) ?? [];
    const run = (await store.getRun(runId))!;
    const capacities =
      loadTests.length > 0
        ? await loadTestCapacities(loadTests, readStoredWorkload(run.workloadJson, runId), io.cwd)
        : undefined;
    const files = loadTests.map((arg) => {
      const named = /^([A-Za-z0-9][\w.-]*)=(.+)$/.exec(arg);
      return named ? `${named[1]}=${path.resolve(io.cwd, named[2]!)}` : path.resolve(io.cwd, arg);
    });
    const { record, previous, stored } = await redecide(
      store,
      runId,
      capacities ? { loadTests: { files, capacities } } : {},
    );
    const changes = previous && stored ? decisionChanges(previous, record) : null;
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify(
          {
            schemaVersion: 1,
            kind: 'decision',
            runId,
            workload: run.workloadName,
            version: record.version,
            stored,
            createdAt: record.createdAt,
            verdictVersion: record.verdictVersion,
            inputs: record.inputs,
            decision: record.decision,
            cost: record.cost,
            catalogues: record.catalogues,
            changes,
          },
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    const c = pc.createColors(useColor(io.stdout, io.env, values['no-color'] ? false : undefined));
    const width = Math.min(io.stdout.columns ?? 80, 100);
    const status = !previous
      ? `first decision of this run, stored as version ${record.version}`
      : stored
        ? `stored as version ${record.version}`
        : `unchanged: the same as version ${record.version} of ${record.createdAt.slice(0, 10)}, nothing stored`;
    const screen = renderDecisionScreen(
      {
        title: `verdict decide · ${run.workloadName}`,
        subtitle: `run ${runId} · decision ${status}`,
        decision: record.decision,
        ...(record.cost ? { cost: record.cost } : {}),
        ...(values.sources ? { sources: catalogueSourceLines() } : {}),
      },
      c,
      width,
    );
    io.stdout.write(changes ? `${screen}\n${renderDecisionChanges(changes, c, width).join('\n')}\n` : screen);
    return 0;
  } finally {
    await store.close();
  }
}
