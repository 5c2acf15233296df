// semver 7 ships no type declarations (@types/semver is not installed); this is the part of its
// surface the engines test calls.
declare module 'semver' {
  interface RangeOptions {
    loose?: boolean;
    includePrerelease?: boolean;
  }
  const semver: {
    validRange(range: string, options?: RangeOptions): string | null;
    satisfies(version: string, range: string, options?: RangeOptions): boolean;
    /** True when every version `sub` allows is also allowed by `dom`. */
    subset(sub: string, dom: string, options?: RangeOptions): boolean;
  };
  export default semver;
}
