import { escapeHtml as e } from './html.js';
import { timelineStyle } from './timeline-style.js';

// What a browser gets for a change id the audit trail does not know (a mistyped link, a change
// from another stack): a page that says so and leads to the index, not a JSON error.
export function renderNotFoundPage(changeId: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>No change ${e(changeId)} · changeflow</title>
<style>${timelineStyle}</style></head><body>
<header><div class="eyebrow">changeflow · 404</div><h1>No change ${e(changeId)}</h1>
<div class="sub">The audit trail of this stack has no change with this id.</div></header>
<div class="outcome bad"><strong>Not found</strong> — check the id in the link, or find the change by ticket, target or time in the <a href="/changes">index of changes</a>.</div>
</body></html>
`;
}
