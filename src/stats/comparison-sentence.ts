import type { PairedComparison } from './paired-comparison.ts';

/** One plain sentence for a paired comparison: the conclusion the data support, or how many cases it would take. */
export function describeComparison(comparison: PairedComparison): string {
  const { a, b, counts, difference, nonInferiority: ni } = comparison;
  if (counts.n === 0) return `No shared cases: ${a} and ${b} cannot be compared.`;
  const margin = `${points(ni.margin)}-point margin`;
  const ci = `${points(comparison.level)}% CI ${signedPoints(difference.low)} to ${signedPoints(difference.high)}`;
  const evidence =
    `${passes(comparison.passRateA.estimate, counts.bothPass + counts.onlyA, counts.n)} vs ` +
    `${passes(comparison.passRateB.estimate, counts.bothPass + counts.onlyB, counts.n)} on ${counts.n} shared cases, ` +
    `difference ${signedPoints(difference.estimate)} points (${ci}), ${pText(comparison)}`;
  switch (comparison.conclusion) {
    case 'better':
      return `${a} is better than ${b}: ${evidence}.`;
    case 'non-inferior':
      return comparison.adjustedPValue < comparison.alpha
        ? `${a} is behind ${b} but non-inferior at a ${margin}: ${evidence}.`
        : `${a} is non-inferior to ${b} at a ${margin}: ${evidence}.`;
    case 'inferior':
      return `${a} is worse than ${b} by more than the ${margin}: ${evidence}.`;
    case 'worse':
      return `${a} is worse than ${b}, and non-inferiority at a ${margin} is not shown: ${evidence}.`;
    default:
      return `Too few cases to tell ${a} from ${b}${need(comparison)}: ${evidence}.`;
  }
}

function need(comparison: PairedComparison): string {
  const { casesNeeded: needed, counts, plannedDifference, power } = comparison;
  if (!Number.isFinite(needed)) return '';
  const detect = `to detect a ${points(plannedDifference)}-point difference with ${Math.round(power * 100)}% power`;
  return needed > counts.n
    ? `, need ≈${needed} ${detect}`
    : ` although ${counts.n} cases exceed the ≈${needed} needed ${detect}`;
}

function pText(comparison: PairedComparison): string {
  const raw = `exact McNemar p ${pValue(comparison.pValue)}`;
  return comparison.adjustedPValue === comparison.pValue
    ? raw
    : `${raw}, Holm-adjusted ${pValue(comparison.adjustedPValue)}`;
}

function pValue(p: number): string {
  if (p < 0.001) return '< 0.001';
  // Two significant digits below 0.1, so that 0.047 never reads as 0.05.
  return `= ${p < 0.1 ? p.toPrecision(2) : p.toFixed(2)}`;
}

function passes(rate: number, passed: number, n: number): string {
  return `${passed}/${n} (${(rate * 100).toFixed(1)}%)`;
}

function points(proportion: number): string {
  return trimZero((proportion * 100).toFixed(1));
}

function signedPoints(proportion: number): string {
  const text = points(proportion);
  return proportion > 0 && text !== '0' ? `+${text}` : text === '-0' ? '0' : text;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}
