import { jiraErrors } from './jira-error.js';
import type { Workflow } from './workflow.js';

// Issues, their comments and their status history, in memory. Descriptions and comment bodies
// are kept as sent: ADF through /rest/api/3, plain strings through /rest/api/2.

export interface Comment {
  id: string;
  body: unknown;
  author: string;
  created: string;
}
export interface StatusChange {
  changelogId: string;
  from: string;
  to: string;
  by: string;
}
export interface Issue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  status: string;
  comments: Comment[];
  history: StatusChange[];
  created: string;
  updated: string;
}

export class IssueStore {
  private readonly issues = new Map<string, Issue>();
  private readonly perProject = new Map<string, number>();
  private nextId = 10000;
  private nextCommentId = 10000;
  private nextChangelogId = 10900;

  constructor(
    private readonly workflow: Workflow,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  create(fields: Record<string, unknown>, apiVersion: '2' | '3'): Issue {
    const project = (fields.project as { key?: unknown } | undefined)?.key;
    if (typeof project !== 'string' || !/^[A-Z][A-Z0-9_]{1,9}$/.test(project)) throw jiraErrors.field('project', 'valid project is required');
    if (typeof fields.summary !== 'string' || fields.summary.trim() === '') throw jiraErrors.field('summary', 'You must specify a summary of the issue.');
    if (typeof (fields.issuetype as { name?: unknown } | undefined)?.name !== 'string') throw jiraErrors.field('issuetype', 'Specify an issue type');
    if (apiVersion === '3' && fields.description !== undefined && fields.description !== null && !isAdf(fields.description)) {
      throw jiraErrors.notAdf('description');
    }
    const wantedStatus = (fields.status as { name?: unknown } | undefined)?.name;
    const status = typeof wantedStatus === 'string' ? this.workflow.status(wantedStatus)?.name : this.workflow.initial;
    if (status === undefined) throw jiraErrors.field('status', `unknown status ${String(wantedStatus)} in the lab workflow`);
    const n = (this.perProject.get(project) ?? 0) + 1;
    this.perProject.set(project, n);
    const now = this.clock().toISOString();
    const { status: _ignored, ...rest } = fields;
    const issue: Issue = { id: String(this.nextId++), key: `${project}-${n}`, fields: rest, status, comments: [], history: [], created: now, updated: now };
    this.issues.set(issue.key, issue);
    return issue;
  }

  has(key: string): boolean {
    return this.issues.has(key);
  }

  get(key: string): Issue {
    const issue = this.issues.get(key);
    if (!issue) throw jiraErrors.noIssue();
    return issue;
  }

  all(): Issue[] {
    return [...this.issues.values()];
  }

  comment(key: string, body: unknown, author: string, apiVersion: '2' | '3'): Comment {
    const issue = this.get(key);
    if (apiVersion === '3' ? !isAdf(body) : typeof body !== 'string' || body === '') {
      throw apiVersion === '3' ? jiraErrors.notAdf('comment') : jiraErrors.field('comment', 'Comment body can not be empty!');
    }
    const comment: Comment = { id: String(this.nextCommentId++), body, author, created: this.clock().toISOString() };
    issue.comments.push(comment);
    issue.updated = comment.created;
    return comment;
  }

  transition(key: string, id: string, by: string): StatusChange {
    const issue = this.get(key);
    const t = this.workflow.available(issue.status).find((x) => x.id === id);
    if (!t) throw jiraErrors.badTransition(id);
    const change: StatusChange = { changelogId: String(this.nextChangelogId++), from: issue.status, to: t.to, by };
    issue.history.push(change);
    issue.status = t.to;
    issue.updated = this.clock().toISOString();
    return change;
  }
}

export function isAdf(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const doc = value as { type?: unknown; version?: unknown; content?: unknown };
  return doc.type === 'doc' && doc.version === 1 && Array.isArray(doc.content) && adfNodesValid(doc.content);
}

/** ADF refuses empty text nodes and nodes without a type. */
function adfNodesValid(nodes: unknown[]): boolean {
  return nodes.every((n) => {
    if (typeof n !== 'object' || n === null) return false;
    const node = n as { type?: unknown; text?: unknown; content?: unknown };
    if (typeof node.type !== 'string') return false;
    if (node.type === 'text' && (typeof node.text !== 'string' || node.text === '')) return false;
    return node.content === undefined || (Array.isArray(node.content) && adfNodesValid(node.content));
  });
}
