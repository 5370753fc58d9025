import { type Flip, volumeText } from '../cost/index.ts';
import type { ReevaluationCheck } from '../spec/decision.ts';

// DESIGN §5: nobody can predict the gap a year out, so every decision carries the date to look
// again and the events that should bring that date forward. A decision that one input's small move
// would flip gets an earlier date.

export interface Reevaluation {
  /** YYYY-MM-DD. */
  date: string;
  triggers: string[];
  /** The same triggers as data (the model-release one has none: nothing in verdict can see it). */
  checks: ReevaluationCheck[];
}

/** The re-evaluation date (default six months; three when a ±25% move of one input flips the pick) and its triggers. */
export function reevaluation(input: {
  now: Date;
  months?: number;
  volume: number;
  flips: Flip[];
  winnerFamily?: string;
}): Reevaluation {
  const fragile = input.flips.find((f) => f.factor >= 0.75 && f.factor <= 1.25);
  const months = input.months ?? (fragile ? 3 : 6);
  const date = new Date(input.now);
  date.setUTCMonth(date.getUTCMonth() + months);
  const triggers = [
    `Volume reaches ${volumeText(input.volume * 2)} requests a month (×2) or falls to ${volumeText(input.volume / 2)} (÷2).`,
    'A provider changes a token or GPU price used here, or a new price catalogue is released.',
    'A new model family is released (open or closed) in the size class of the candidates.',
  ];
  if (input.winnerFamily?.startsWith('self-hosted'))
    triggers.push('A load test measures a different capacity per replica than the one used here.');
  // The nearest flip is already the decision's first "what would change the pick" (said once there),
  // and a check below, so recheck tests it; it is not repeated as a sentence here.
  if (fragile)
    triggers.unshift(
      `The pick is fragile: ${fragile.label} moving ${Math.round(Math.abs(fragile.factor - 1) * 100)}% changes it, so look again in ${months} months.`,
    );
  const day = date.toISOString().slice(0, 10);
  const checks: ReevaluationCheck[] = [
    { kind: 'date', date: day },
    ...(input.volume > 0
      ? [{ kind: 'volume' as const, volume: input.volume, below: input.volume / 2, above: input.volume * 2 }]
      : []),
    { kind: 'price', share: 0 },
    ...input.flips.slice(0, 1).map((f) => ({
      kind: 'flip' as const,
      lever: f.lever,
      label: f.label,
      from: f.from,
      to: f.to,
      newWinner: f.newWinner,
    })),
  ];
  return { date: day, triggers, checks };
}
