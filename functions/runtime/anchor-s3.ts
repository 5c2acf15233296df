import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AnchorObjects } from '../../shared/anchor/objects.js';

// The AWS anchor: a bucket with Object Lock in compliance mode (cdk/audit-anchor.ts), so no one —
// not the account root — can delete or overwrite a digest before its retention ends. Every put is
// conditional (If-None-Match: *, which the bucket policy requires), so a digest is written once.

export function s3AnchorObjects(client: S3Client, bucket: string): AnchorObjects {
  return {
    name: `s3://${bucket}`,
    async putNew(key, body) {
      try {
        await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json', IfNoneMatch: '*', ChecksumAlgorithm: 'SHA256' }),
        );
        return 'written';
      } catch (err) {
        // 412: the key exists; 409: a concurrent conditional put of the same key won.
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 412 || status === 409) return 'exists';
        throw err;
      }
    },
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : Buffer.alloc(0);
      } catch (err) {
        if (err instanceof Error && err.name === 'NoSuchKey') return undefined;
        throw err;
      }
    },
    async *list(prefix) {
      let token: string | undefined;
      do {
        const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const object of out.Contents ?? []) if (object.Key) yield object.Key;
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
    },
  };
}
