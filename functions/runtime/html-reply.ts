import { createHash } from 'node:crypto';
import type { HttpReply } from './http.js';

// The pages the API serves to browsers (the index of changes, a change's timeline, "no such
// change"): self-contained HTML with a strict Content-Security-Policy.

/**
 * No scripts, images, frames or plugins; each inline <style> is allowed by its hash — so text
 * from a ticket or an audit detail that slipped past escaping still could not run or load
 * anything. `forms: true` lets a page's GET form (the index filters) submit to this origin.
 */
export function timelinePageHeaders(html: string, opts: { forms?: boolean } = {}): Record<string, string> {
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1] ?? '').digest('base64')}'`);
  return {
    'content-security-policy': `default-src 'none'; style-src ${styles.length > 0 ? styles.join(' ') : "'none'"}; img-src 'none'; base-uri 'none'; form-action ${opts.forms ? "'self'" : "'none'"}; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

export function htmlReply(statusCode: number, html: string, opts: { forms?: boolean } = {}): HttpReply {
  return { statusCode, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...timelinePageHeaders(html, opts) }, body: html };
}
