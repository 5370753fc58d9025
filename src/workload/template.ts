// Prompt templates use `{{name}}` placeholders, as promptfoo's users write them. Hand-written rather
// than nunjucks or mustache: verdict must list a template's variables before any call (to reject
// unknown ones) and must never evaluate template logic coming from test data.

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/** The variable names a template refers to, in order of first use. */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) names.add(match[1]!);
  return [...names];
}

/** Fills a template; values are inserted verbatim, never re-expanded. */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(vars, name) ? vars[name]! : whole,
  );
}
