// The change_request state model (reference/aws.md §2, Yokohama "State model and transitions"):
// -5 New, -4 Assess, -3 Authorize, -2 Scheduled, -1 Implement, 0 Review, 3 Closed, 4 Canceled.
// Normal changes move through every state; standard changes skip Assess and Authorize; emergency
// changes skip Assess. Cancel is allowed from anywhere except Review and Closed; Assess and
// Authorize may revert to New. Jumps (e.g. Implement → Closed) are refused.
const next: Readonly<Record<string, readonly string[]>> = {
  '-5': ['-4', '4'],
  '-4': ['-3', '-5', '4'],
  '-3': ['-2', '-5', '4'],
  '-2': ['-1', '4'],
  '-1': ['0', '4'],
  '0': ['3'],
  '3': [],
  '4': [],
};

const skipFromNew: Readonly<Record<string, string>> = { standard: '-2', emergency: '-3' };

export const changeStates = ['-5', '-4', '-3', '-2', '-1', '0', '3', '4'] as const;

export function canMove(type: string, from: string, to: string): boolean {
  if (from === to) return true;
  if (from === '-5' && skipFromNew[type] === to) return true;
  if (from === '-5' && to === '-4' && type !== 'normal' && type !== '') return false;
  return next[from]?.includes(to) ?? false;
}

export const closeCodes = ['successful', 'successful_issues', 'unsuccessful'] as const;
