/** Fills a template's {{variables}} (pure). Unknown names are refused when a template is saved. */
import { TEMPLATE_VARIABLES, type TemplateVariable } from './template-variables.js';
import type { TemplateText } from './default-templates.js';

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** Variables a template text names that do not exist. */
export function unknownVariables(text: string): string[] {
  const unknown = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) if (!(TEMPLATE_VARIABLES as readonly string[]).includes(m[1])) unknown.add(m[1]);
  return [...unknown];
}

function fill(text: string, vars: Record<TemplateVariable, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => ((TEMPLATE_VARIABLES as readonly string[]).includes(name) ? vars[name as TemplateVariable] : whole));
}

/**
 * Subject on one line (whitespace collapsed, so no value can start a header); the body with
 * its blank-line paragraphs kept, runs of 3+ newlines (an empty variable's line) squeezed, and
 * trailing spaces removed.
 */
export function renderTemplate(t: TemplateText, vars: Record<TemplateVariable, string>): TemplateText {
  const subject = fill(t.subject, vars).replace(/\s+/gu, ' ').trim();
  const body = fill(t.body, vars)
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { subject, body };
}
