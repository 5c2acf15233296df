import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

// The architecture document lives in the repository, and nothing the product prints, says in a
// comment or links from its docs points outside it (a fresh clone has no ../shared). Tests may
// still read files outside; they are not checked here.

const root = join(import.meta.dirname, '../..');
const tracked = execFileSync('git', ['ls-files', '-z', '--', ':!test/**', ':!node_modules'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f && /\.(ts|mjs|js|json|md|yaml|yml)$/.test(f) && existsSync(join(root, f)));

describe('docs in the repository', () => {
  it('has docs/architecture.md, and README links it in its Docs list', () => {
    expect(readFileSync(join(root, 'docs/architecture.md'), 'utf8')).toMatch(/^## 3\.2 |^### 3\.2 Webhooks and HTTP API$/m);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('[docs/architecture.md](docs/architecture.md)');
  });

  it('names no DESIGN.md and no ../shared path in product code, messages or docs', () => {
    const offenders = tracked.filter((f) => /DESIGN\.md|\.\.\/shared\/(DESIGN|STYLE|reference)|\]\(\.\.\/(\.\.\/)?shared\//.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('links only to files that exist inside the repository from README and docs/', () => {
    const broken: string[] = [];
    for (const doc of tracked.filter((f) => f === 'README.md' || f.startsWith('docs/') || f.endsWith('/README.md'))) {
      for (const [, target] of readFileSync(join(root, doc), 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        // Only links to files or folders (the generated reference quotes regexes in brackets).
        if (!target || /^[a-z]+:/.test(target) || !/(\.[a-z]+|\/)$/.test(target)) continue;
        const resolved = normalize(join(dirname(doc), target));
        if (resolved.startsWith('..') || !existsSync(join(root, resolved))) broken.push(`${doc} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
