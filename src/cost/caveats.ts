import type { OptionSpec, Scenario } from './options.ts';
import { describeProvenance, stalenessCaveat } from './provenance.ts';
import type { Provenance } from './types.ts';

// Sentences a reader must see beside a cost comparison: figures that are estimates, and dated
// figures old enough that prices may have moved (DESIGN §5: every decision names its assumptions).

const isEstimate = (p: Provenance) =>
  p.kind === 'estimate' || (p.kind === 'catalogue' && p.estimate === true);

/** The dated and estimated figures one option rests on, with what each one is. */
function figures(o: OptionSpec): Array<[string, Provenance]> {
  if (o.kind === 'api') return [[`the token prices of ${o.id}`, o.price.provenance]];
  const out: Array<[string, Provenance]> = [[`the capacity per replica of ${o.id}`, o.capacity.provenance]];
  if (o.hardware.kind === 'cloud') out.push([`the GPU price of ${o.id}`, o.hardware.provenance]);
  else out.push([`the GPU purchase price of ${o.id}`, o.hardware.capexProvenance]);
  return out;
}

/** Caveats for a scenario: estimates in use and dated figures older than `maxDays` at `now`. */
export function scenarioCaveats(scenario: Scenario, now: Date, maxDays = 180): string[] {
  const out: string[] = [];
  for (const o of scenario.options) {
    for (const [what, p] of figures(o)) {
      const subject = what.charAt(0).toUpperCase() + what.slice(1);
      if (isEstimate(p)) out.push(`${subject} is an estimate (${describeProvenance(p)}).`);
      const stale = stalenessCaveat(subject, p, now, maxDays);
      if (stale) out.push(stale);
    }
  }
  return out;
}
