// The hostile store every browser test reads: a real run whose workload name, case ids, inputs,
// model ids and outputs are XSS payloads, and a synthetic run whose candidate ids are payloads too.
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Store } from '../src/store/store.ts';
import type { PageWatch } from './browser-chromium.ts';
import { makeRealRun, seedSyntheticRun, xssPayloads } from './report-fixture-run.ts';

export interface HostileRuns {
  realRunId: string;
  syntheticRunId: string;
}

export async function seedHostileRuns(store: Store, dir: string): Promise<HostileRuns> {
  const modelSafe = xssPayloads.filter((p) => !/[\n\r\u2028\u2029\u0000]/.test(p));
  const realRunId = await makeRealRun(store, dir, {
    name: xssPayloads[0]!,
    cases: xssPayloads.map((payload, index) => ({
      id: payload,
      text: xssPayloads[(index + 7) % xssPayloads.length]!,
      expected: xssPayloads[(index + 7) % xssPayloads.length]!,
      tags: [xssPayloads[index % 5]!.replace(/,/g, ' ')],
    })),
    // Echo the input (a pass) for most cases, answer another payload for every third (a fail).
    answer: (text) => {
      const index = xssPayloads.indexOf(text);
      return index % 3 === 0 ? xssPayloads[(index + 1) % xssPayloads.length]! : text;
    },
    models: [modelSafe[1]!, modelSafe[5]!],
  });
  const syntheticRunId = 'run"><img src=x onerror=alert(1)>';
  await seedSyntheticRun(store, {
    runId: syntheticRunId,
    workloadName: '<svg onload=alert(1)>',
    cases: 150,
    texts: xssPayloads,
    tags: xssPayloads.slice(10, 14),
    startedAt: '2026-11-24T12:00:00.000Z',
    candidates: [
      { id: '<script>alert(1)</script>', model: 'openai:<img src=x onerror=alert(1)>', passRate: 0.8 },
      {
        id: '" onmouseover="alert(1)',
        model: "openai-compatible:'><script>alert(1)</script>",
        passRate: 0.6,
      },
    ],
  });
  return { realRunId, syntheticRunId };
}

// Runs in the page (a string: the test code is type-checked without DOM types).
const findInjectedMarkup = `(() => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      if (/^on/i.test(attribute.name)) found.push(element.tagName + ' ' + attribute.name);
      if (/^\\s*javascript:/i.test(attribute.value)) found.push(element.tagName + ' ' + attribute.name + '=javascript:');
    }
    if (/^(IFRAME|OBJECT|EMBED|IMG|VIDEO|AUDIO|BASE|META|LINK|MARQUEE|DETAILS|TEMPLATE|MATH|FORM|INPUT|BODY)$/.test(element.tagName)) {
      const ours =
        (element.tagName === 'META' && element.parentElement.tagName === 'HEAD') ||
        (element.tagName === 'LINK' && element.getAttribute('href') === '/assets/style.css') ||
        (element.tagName === 'FORM' && (element.classList.contains('toolbar') || element.className === 'vega-bindings')) ||
        (element.tagName === 'INPUT' && element.closest('.toolbar')) ||
        (element.tagName === 'DETAILS' && element.className === 'section' && element.parentElement.tagName === 'MAIN') ||
        element.tagName === 'BODY';
      if (!ours) found.push('<' + element.tagName.toLowerCase() + '>');
    }
  }
  if (document.querySelectorAll('body').length !== 1) found.push('second <body>');
  return found;
})()`;

/** Elements and attributes that would mean untrusted markup became markup. */
export async function injectedMarkup(page: Page): Promise<string[]> {
  return page.evaluate(findInjectedMarkup);
}

/** Asserts nothing untrusted ran: no dialog, no console line, no page error, no stray request. */
export function quiet(watch: PageWatch): string[] {
  return [
    ...watch.dialogs.map((d) => `dialog ${d}`),
    ...watch.console.map((c) => `console ${c}`),
    ...watch.pageErrors.map((e) => `page error ${e}`),
    ...watch.strayRequests.map((r) => `request ${r}`),
  ];
}

export const hostileDir = (dir: string) => path.join(dir, 'hostile');
