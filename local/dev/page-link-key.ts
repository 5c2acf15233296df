import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// `changeflow dev` signs the page links in ticket notes as AWS does with its KMS HMAC key, with a
// 32-byte key in the data dir (page-link.key, base64, mode 0600). Kept across restarts, so the
// links in the lab's tickets keep opening.
export async function ensurePageLinkKey(dataDir: string): Promise<string> {
  const file = join(dataDir, 'page-link.key');
  try {
    await readFile(file, 'utf8');
    return file;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await writeFile(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  return file;
}
