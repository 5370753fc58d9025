import type { Operations } from '../spec/workload.ts';
import { ENGINEER_HOURLY_USD, OPERATIONS_HOURS } from './catalogue/defaults.ts';
import { usd, userSet } from './provenance.ts';
import type { LineItem } from './types.ts';

// DESIGN §4: operations = engineer-hours per month for infrastructure, monitoring, updates, security
// and on-call × loaded hourly cost. The burden does not shrink with traffic: it is the fixed price of
// committing to self-hosting. Each activity is its own line so a reader can dispute one.

const ACTIVITIES = ['infrastructure', 'monitoring', 'updates', 'security', 'on_call'] as const;
const LABELS: Record<(typeof ACTIVITIES)[number], string> = {
  infrastructure: 'operations: infrastructure',
  monitoring: 'operations: monitoring',
  updates: 'operations: model and engine updates',
  security: 'operations: security',
  on_call: 'operations: on-call',
};

/** One line per operations activity: hours (workload or default) × loaded hourly cost (workload or default). */
export function operationsLines(ops: Operations | undefined): LineItem[] {
  const rate = ops?.engineer_hourly_usd;
  const hourly = rate ?? ENGINEER_HOURLY_USD.value;
  return ACTIVITIES.map((activity) => {
    const set = ops?.hours_per_month?.[activity];
    const hours = set ?? OPERATIONS_HOURS[activity].value;
    const sources = [
      set !== undefined
        ? 'hours set in the workload'
        : `hours: ${describeDefault(OPERATIONS_HOURS[activity].provenance)}`,
      rate !== undefined
        ? 'rate set in the workload'
        : `rate: ${describeDefault(ENGINEER_HOURLY_USD.provenance)}`,
    ];
    return {
      id: `ops.${activity}`,
      label: LABELS[activity],
      usd: hours * hourly,
      formula: `${hours} h/month × ${usd(hourly)}/h`,
      provenance:
        set !== undefined && rate !== undefined
          ? userSet()
          : {
              kind: 'estimate',
              basis: sources.join('; '),
              asOf:
                ENGINEER_HOURLY_USD.provenance.kind === 'estimate'
                  ? ENGINEER_HOURLY_USD.provenance.asOf
                  : undefined,
            },
    } satisfies LineItem;
  });
}

/** Total engineer-hours per month after defaults. */
export function operationsHours(ops: Operations | undefined): number {
  return ACTIVITIES.reduce((s, a) => s + (ops?.hours_per_month?.[a] ?? OPERATIONS_HOURS[a].value), 0);
}

function describeDefault(p: LineItem['provenance']): string {
  return p.kind === 'estimate' ? p.basis : p.kind === 'catalogue' ? `${p.source} as of ${p.asOf}` : p.kind;
}
