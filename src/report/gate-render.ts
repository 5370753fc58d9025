// The gate's result for people and for CI systems: terminal lines, JUnit XML (one test case per
// check, a failure element per failed one), and GitHub Actions workflow commands (one ::error per
// failure, shown as an annotation on the job). Candidate ids and reasons come from the user's files
// and models: each format escapes them its own way.
import type { GateResult } from './gate.ts';
import { terminalText } from './terminal-safe.ts';

/** Terminal lines: the verdict and the one-line reason first, then every check. */
export function renderGateTerminal(
  result: GateResult,
  c: { bold: (s: string) => string; red: (s: string) => string; green: (s: string) => string },
): string {
  const head = result.passed ? c.green('verdict gate: pass') : c.red('verdict gate: FAIL');
  const base = result.baseline.file
    ? `baseline file ${result.baseline.file} (run ${result.baseline.runId})`
    : `baseline run ${result.baseline.runId}`;
  const lines = [
    `${c.bold(head)} — ${terminalText(result.summary)}`,
    `run ${terminalText(result.runId)} against ${terminalText(base)}`,
    ...result.checks.map((check) => `  ${check.passed ? '✓' : c.red('✗')} ${terminalText(check.message)}`),
  ];
  return `${lines.join('\n')}\n`;
}

const xml = (text: string) =>
  text
    // XML 1.0 has no way to write most control characters, even as references: they are dropped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** JUnit XML: a test suite of the gate's checks, grouped by candidate in the class name. */
export function renderGateJUnit(result: GateResult, workload: string): string {
  const failures = result.checks.filter((check) => !check.passed).length;
  const cases = result.checks.map((check) => {
    const name = xml(`${check.kind}${check.candidateId ? ` ${check.candidateId}` : ''}`);
    const open = `    <testcase classname="verdict.gate.${xml(workload)}" name="${name}">`;
    return check.passed
      ? `${open}<system-out>${xml(check.message)}</system-out></testcase>`
      : `${open}\n      <failure message="${xml(check.message)}" type="${check.kind}">${xml(check.message)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="verdict gate" tests="${result.checks.length}" failures="${failures}">`,
    `  <testsuite name="verdict gate: ${xml(workload)}" tests="${result.checks.length}" failures="${failures}" errors="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

// GitHub's workflow-command escaping: data escapes %, CR and LF; property values also : and ,.
const ghData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProperty = (text: string) => ghData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions annotations: one ::error line per failed check, or one ::notice when all passed. */
export function renderGateGithub(result: GateResult, file?: string): string {
  const where = file ? `file=${ghProperty(file)},` : '';
  const failed = result.checks.filter((check) => !check.passed);
  if (failed.length === 0)
    return `::notice ${where}title=${ghProperty('verdict gate passed')}::${ghData(terminalText(result.summary))}\n`;
  return failed
    .map(
      (check) =>
        `::error ${where}title=${ghProperty(`verdict gate: ${check.kind}${check.candidateId ? ` ${check.candidateId}` : ''}`)}::${ghData(terminalText(check.message))}\n`,
    )
    .join('');
}
