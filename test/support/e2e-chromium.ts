import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Debian's headless Chromium, driven from its command line (no playwright in this project): a
// screenshot of a page and the DOM after rendering. A browser navigation sends its own Accept
// header (text/html first), so what it shows is exactly what a change manager gets.

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

const run = promisify(execFile);

async function chromium(args: readonly string[]): Promise<string> {
  const profile = await mkdtemp(join(tmpdir(), 'changeflow-chromium-'));
  try {
    const { stdout } = await run(
      chromiumPath,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        ...args,
      ],
      { timeout: 30_000, maxBuffer: 32 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** Opens `url` once: saves a screenshot of the window to `file` and returns the rendered DOM. */
export async function openPage(url: string, file: string, size = { width: 1280, height: 2000 }): Promise<string> {
  return chromium([`--screenshot=${file}`, `--window-size=${size.width},${size.height}`, '--dump-dom', url]);
}
