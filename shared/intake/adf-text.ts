import * as z from '../zod.js';

// Jira Cloud's v3 API and webhooks carry rich-text fields (description, textarea custom fields) as
// Atlassian Document Format. Intake only needs their text: a ChangeSpec in a code block or a fence.
export interface AdfNode {
  type: string;
  text?: string | undefined;
  attrs?: Record<string, unknown> | undefined;
  content?: AdfNode[] | undefined;
}
export const AdfNode: z.ZodMiniType<AdfNode> = z.looseObject({
  type: z.string(),
  text: z.optional(z.string()),
  attrs: z.optional(z.record(z.string(), z.unknown())),
  get content() {
    return z.optional(z.array(AdfNode));
  },
});

export function isAdfDocument(value: unknown): value is AdfNode {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'doc';
}

const blockTypes = new Set(['paragraph', 'heading', 'codeBlock', 'blockquote', 'listItem', 'panel', 'rule', 'tableRow']);

/** The document's text: text nodes concatenated, hard breaks and block ends as newlines. */
export function adfPlainText(node: AdfNode): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  const inner = (node.content ?? []).map(adfPlainText).join('');
  if (node.type === 'codeBlock') {
    const language = typeof node.attrs?.language === 'string' ? node.attrs.language : '';
    return `\`\`\`${language}\n${inner.replace(/\n$/, '')}\n\`\`\`\n`;
  }
  return blockTypes.has(node.type) ? `${inner}\n` : inner;
}
