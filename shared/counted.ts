// "1 peer", "2 peers": counts in evidence and notes read as English.

/** `counted(1, 'peer')` → `1 peer`; `counted(3, 'leaf', 'leaves')` → `3 leaves`. */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
