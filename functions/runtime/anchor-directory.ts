import { link, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AnchorObjects } from '../../shared/anchor/objects.js';

// The local stack's anchor: write-once files in a directory of the data dir. A file is written to
// a temporary name and hard-linked into place, so it appears whole or not at all, and link() fails
// when the name is taken — the same put-if-absent the S3 bucket gives with If-None-Match.

export function directoryAnchorObjects(root: string): AnchorObjects {
  const pathOf = (key: string) => join(root, ...key.split('/'));
  return {
    name: root,
    async putNew(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, body, { mode: 0o444 });
      try {
        await link(temporary, path);
        return 'written';
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
        throw err;
      } finally {
        await unlink(temporary);
      }
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async *list(prefix) {
      // Walk from the deepest directory the prefix names; keys keep `/` whatever the platform.
      const base = prefix.slice(0, prefix.lastIndexOf('/') + 1);
      const keys: string[] = [];
      await walk(pathOf(base), keys);
      const matching = keys.map((path) => relative(root, path).split(sep).join('/')).filter((key) => key.startsWith(prefix) && key.endsWith('.json'));
      yield* matching.sort();
    },
  };
}

async function walk(dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    else if (entry.isFile()) out.push(path);
  }
}
