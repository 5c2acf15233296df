import { escapeHtml as e } from './html.js';
import { timelineStyle } from './timeline-style.js';

// What a browser gets for a ticket-note link that does not open the page: expired (410) or not
// made by changeflow for this change (403). It says what to do, and never which changes exist.
export function renderLinkRefusedPage(input: { changeId: string; reason: 'invalid' | 'expired'; message: string }): string {
  const expired = input.reason === 'expired';
  const title = expired ? 'This link has expired' : 'This link does not open a change';
  const what = expired
    ? `Links in ticket notes open the change's page for a limited time. An operator can still read it: <code>changeflow status ${e(input.changeId)}</code> and <code>changeflow audit show ${e(input.changeId)}</code>, or <code>/changes/${e(input.changeId)}</code> with AWS credentials.`
    : 'Copy the whole link from the ticket note again: it opens only the change it was written for, and only as written.';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(title)} · changeflow</title>
<style>${timelineStyle}</style></head><body>
<header><div class="eyebrow">changeflow · ${expired ? '410' : '403'}</div><h1>${e(title)}</h1>
<div class="sub">${e(input.message)}.</div></header>
<div class="outcome bad"><strong>${expired ? 'Expired' : 'Refused'}</strong> — ${what}</div>
</body></html>
`;
}
