// The demo's stand-in "model": keyword rules for the support-ticket triage example. Deliberately
// simple and imperfect, so the demo shows a pass rate with an interval rather than 100%.

const rules: Array<[label: string, pattern: RegExp]> = [
  ['billing', /\b(charg|invoice|refund|bill|payment|price|subscription|vat)/i],
  ['shipping', /\b(deliver|package|parcel|shipping|shipped|courier|tracking|arrive)/i],
  ['account', /\b(password|log ?in|sign ?in|account|email address|two-factor|2fa|username)/i],
  ['bug', /\b(crash|error|broken|bug|fails?|freez|blank|doesn't work|does not work)/i],
  ['feature_request', /\b(would be (great|nice)|please add|feature|wish|could you add|support for)/i],
];

/** Labels a support ticket by the first rule that matches, else `other`. */
export function classifyTicket(prompt: string): string {
  const ticket = prompt.includes('Ticket:') ? prompt.slice(prompt.lastIndexOf('Ticket:')) : prompt;
  return rules.find(([, pattern]) => pattern.test(ticket))?.[0] ?? 'other';
}
