// Jira Cloud's v3 REST API takes comment bodies as Atlassian Document Format only; a plain string
// is refused. Notes are plain text: blank lines separate paragraphs, single newlines become hard
// breaks, and ADF forbids empty text nodes.
export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: Array<{ type: 'paragraph'; content: Array<{ type: 'text'; text: string } | { type: 'hardBreak' }> }>;
}

export function adfDocument(text: string): AdfDocument {
  const paragraphs = text.replace(/\r\n/g, '\n').split(/\n{2,}/).filter((p) => p.trim() !== '');
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((p) => ({
      type: 'paragraph',
      content: p.split('\n').flatMap((line, i) => {
        const nodes: Array<{ type: 'text'; text: string } | { type: 'hardBreak' }> = i > 0 ? [{ type: 'hardBreak' }] : [];
        if (line !== '') nodes.push({ type: 'text', text: line });
        return nodes;
      }),
    })),
  };
}
