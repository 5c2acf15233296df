// The store an anchor is kept in: write-once objects under string keys. The directory of the
// local stack and the Object Lock bucket on AWS both implement it; neither ever overwrites.

export interface AnchorObjects {
  /** A human name for messages, e.g. `s3://bucket` or the directory path. */
  readonly name: string;
  /** Writes the object only if the key is free; `exists` when it was already there. */
  putNew(key: string, body: Buffer): Promise<'written' | 'exists'>;
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  /** Every key under the prefix, in ascending key order. */
  list(prefix: string): AsyncIterable<string>;
}
