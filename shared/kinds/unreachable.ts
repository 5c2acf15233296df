/** The default of an exhaustive switch over change types: adding a kind makes it fail to compile. */
export function unreachable(value: never): never {
  throw new Error(`unhandled change kind: ${JSON.stringify(value)}`);
}
