// A change-management workflow shaped like a JSM "Change" issue type: Awaiting approval →
// Approved → Implementing → Done / Failed, with Decline and Reopen. Done and Failed are reachable
// from Approved as well, so a change that never moved to Implementing can still be closed.

export interface Status {
  id: string;
  name: string;
  category: 'new' | 'indeterminate' | 'done';
}
export interface Transition {
  id: string;
  name: string;
  from: readonly string[];
  to: string;
}

export class Workflow {
  readonly statuses: readonly Status[];
  readonly transitions: readonly Transition[];
  readonly initial = 'Awaiting approval';

  constructor(readonly approvedStatus = 'Approved') {
    this.statuses = [
      { id: '10001', name: 'Awaiting approval', category: 'new' },
      { id: '10002', name: approvedStatus, category: 'indeterminate' },
      { id: '10003', name: 'Implementing', category: 'indeterminate' },
      { id: '10004', name: 'Done', category: 'done' },
      { id: '10005', name: 'Failed', category: 'done' },
      { id: '10006', name: 'Declined', category: 'done' },
    ];
    this.transitions = [
      { id: '11', name: 'Approve', from: ['Awaiting approval'], to: approvedStatus },
      { id: '12', name: 'Decline', from: ['Awaiting approval'], to: 'Declined' },
      { id: '21', name: 'Implement', from: [approvedStatus], to: 'Implementing' },
      { id: '31', name: 'Done', from: [approvedStatus, 'Implementing'], to: 'Done' },
      { id: '41', name: 'Failed', from: [approvedStatus, 'Implementing'], to: 'Failed' },
      { id: '51', name: 'Reopen', from: ['Done', 'Failed', 'Declined'], to: 'Awaiting approval' },
    ];
  }

  status(name: string): Status | undefined {
    return this.statuses.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  available(from: string): Transition[] {
    return this.transitions.filter((t) => t.from.includes(from));
  }
}
