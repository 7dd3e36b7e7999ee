// S3 through the AWS SDK for JavaScript v3 with its defaults (CRC32 checksums sent over
// aws-chunked bodies, checksums validated on GET): objects, listing, batch delete,
// lib-storage multipart uploads, presigned URLs used with fetch(), an error path, and
// virtual-hosted-style addressing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command,
  DeleteObjectsCommand, HeadObjectCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startNimbus } from './harness.mjs';

let nimbus;
let s3;
const unique = (p) => `${p}-${Math.random().toString(16).slice(2, 12)}`;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

// CRC32 of bytes, base64 of its big-endian value, as S3 reports ChecksumCRC32.
function crc32Base64(bytes) {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(zlib.crc32(bytes) >>> 0);
  return b.toString('base64');
}

async function newBucket(prefix = 'js') {
  const Bucket = unique(prefix);
  await s3.send(new CreateBucketCommand({ Bucket }));
  return Bucket;
}

before(async () => {
  nimbus = await startNimbus();
  s3 = new S3Client({
    endpoint: nimbus.endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1,
  });
});

after(async () => {
  s3?.destroy();
  await nimbus?.stop();
});

test('PutObject with a string body: bytes stored and the CRC32 the SDK sent', async () => {
  const Bucket = await newBucket();
  const body = 'hello from the js sdk\n';
  const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'greeting.txt', Body: body }));
  assert.equal(put.ChecksumCRC32, crc32Base64(Buffer.from(body)));
  assert.match(put.ETag, /^"[0-9a-f]{32}"$/);
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'greeting.txt', ChecksumMode: 'ENABLED' }));
  assert.equal(await got.Body.transformToString(), body);
  assert.equal(got.ChecksumCRC32, put.ChecksumCRC32);
  assert.equal(got.ContentLength, Buffer.byteLength(body));
  assert.equal(got.ETag, put.ETag);
});

test('PutObject with a binary Buffer body round-trips every byte', async () => {
  const Bucket = await newBucket();
  const body = Buffer.alloc(300 * 1024);
  for (let i = 0; i < body.length; ++i) body[i] = (i * 31 + (i >> 8)) & 0xff;
  const put = await s3.send(new PutObjectCommand({
    Bucket, Key: 'dir/blob.bin', Body: body, ContentType: 'application/octet-stream',
    Metadata: { colour: 'red' },
  }));
  assert.equal(put.ChecksumCRC32, crc32Base64(body));
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'dir/blob.bin', ChecksumMode: 'ENABLED' }));
  const bytes = Buffer.from(await got.Body.transformToByteArray());
  assert.equal(bytes.length, body.length);
  assert.ok(bytes.equals(body));
  assert.equal(got.ChecksumCRC32, crc32Base64(body));
  assert.equal(got.ContentType, 'application/octet-stream');
  assert.deepEqual(got.Metadata, { colour: 'red' });
});

test('ListObjectsV2 pages, prefixes and delimiters; DeleteObjects removes a batch', async () => {
  const Bucket = await newBucket();
  const keys = ['a/1', 'a/2', 'a/3', 'b/1', 'top'];
  for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));

  const all = await s3.send(new ListObjectsV2Command({ Bucket }));
  assert.equal(all.KeyCount, 5);
  assert.deepEqual(all.Contents.map((o) => o.Key), keys);
  assert.equal(all.Contents[0].Size, 3);

  const page1 = await s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 2 }));
  assert.equal(page1.IsTruncated, true);
  assert.deepEqual(page1.Contents.map((o) => o.Key), ['a/1', 'a/2']);
  const page2 = await s3.send(new ListObjectsV2Command({
    Bucket, MaxKeys: 2, ContinuationToken: page1.NextContinuationToken,
  }));
  assert.deepEqual(page2.Contents.map((o) => o.Key), ['a/3', 'b/1']);

  const grouped = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/' }));
  assert.deepEqual(grouped.CommonPrefixes.map((p) => p.Prefix), ['a/', 'b/']);
  assert.deepEqual(grouped.Contents.map((o) => o.Key), ['top']);

  const del = await s3.send(new DeleteObjectsCommand({
    Bucket, Delete: { Objects: [{ Key: 'a/1' }, { Key: 'a/2' }, { Key: 'never-existed' }] },
  }));
  assert.deepEqual(del.Deleted.map((d) => d.Key).sort(), ['a/1', 'a/2', 'never-existed']);
  assert.equal(del.Errors, undefined);
  const after = await s3.send(new ListObjectsV2Command({ Bucket }));
  assert.deepEqual(after.Contents.map((o) => o.Key), ['a/3', 'b/1', 'top']);
});

test('lib-storage Upload of 12 MB in 5 MB parts is a multipart upload', async () => {
  const Bucket = await newBucket();
  const body = Buffer.alloc(12 * 1024 * 1024);
  for (let i = 0; i < body.length; i += 4096) body.writeUInt32BE(i, i);
  const parts = [];
  const upload = new Upload({
    client: s3, params: { Bucket, Key: 'big.bin', Body: body }, partSize: 5 * 1024 * 1024, queueSize: 2,
  });
  upload.on('httpUploadProgress', (p) => { if (p.part) parts.push(p.part); });
  const done = await upload.done();
  assert.equal(done.Key, 'big.bin');
  assert.deepEqual([...new Set(parts)].sort(), [1, 2, 3]);
  // A multipart ETag is the MD5 of the part MD5s followed by the part count.
  assert.match(done.ETag, /^"[0-9a-f]{32}-3"$/);
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'big.bin' }));
  assert.equal(head.ContentLength, body.length);
  assert.equal(head.ETag, done.ETag);
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'big.bin' }));
  assert.ok(Buffer.from(await got.Body.transformToByteArray()).equals(body));
  const ranged = await s3.send(new GetObjectCommand({ Bucket, Key: 'big.bin', Range: 'bytes=5242880-5242887' }));
  assert.equal(ranged.ContentRange, `bytes 5242880-5242887/${body.length}`);
  assert.deepEqual([...(await ranged.Body.transformToByteArray())], [...body.subarray(5242880, 5242888)]);
});

test('presigned GET and PUT URLs work with fetch()', async () => {
  const Bucket = await newBucket();
  const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket, Key: 'presigned.txt' }), { expiresIn: 300 });
  assert.match(putUrl, /X-Amz-Signature=[0-9a-f]{64}/);
  const put = await fetch(putUrl, { method: 'PUT', body: 'uploaded through a presigned url' });
  assert.equal(put.status, 200, await put.clone().text());

  const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: 'presigned.txt' }), { expiresIn: 300 });
  const get = await fetch(getUrl);
  assert.equal(get.status, 200);
  assert.equal(await get.text(), 'uploaded through a presigned url');

  // A tampered signature is refused.
  const bad = await fetch(getUrl.replace(/X-Amz-Signature=[0-9a-f]/, (m) => m.slice(0, -1) + (m.endsWith('0') ? '1' : '0')));
  assert.equal(bad.status, 403);
  assert.match(await bad.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
});

test('GetObject of a missing key is NoSuchKey with its message', async () => {
  const Bucket = await newBucket();
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket, Key: 'missing.txt' })), (err) => {
    assert.equal(err.name, 'NoSuchKey');
    assert.equal(err.message, 'The specified key does not exist.');
    assert.equal(err.$metadata.httpStatusCode, 404);
    return true;
  });
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket: unique('nobucket'), Key: 'k' })),
    (err) => err.name === 'NoSuchBucket' && err.$metadata.httpStatusCode === 404);
});

// Virtual-hosted requests are signed over the path the client sent (/<key>), which nimbus
// verifies before routing's path-style rewrite matters (HttpRequest::sent_path).
test('virtual-hosted style at s3.localhost.localstack.cloud', async () => {
  // *.localhost.localstack.cloud resolves to 127.0.0.1 through public DNS, which this
  // offline machine does not reach; resolve it locally so the SDK still sends
  // Host: <bucket>.s3.localhost.localstack.cloud:<port> as it would against LocalStack.
  const lookup = (hostname, options, cb) => {
    const ok = hostname === 'localhost.localstack.cloud' || hostname.endsWith('.localhost.localstack.cloud');
    if (!ok) return cb(Object.assign(new Error(`unexpected host ${hostname}`), { code: 'ENOTFOUND' }));
    if (options && options.all) return cb(null, [{ address: '127.0.0.1', family: 4 }]);
    return cb(null, '127.0.0.1', 4);
  };
  const port = new URL(nimbus.endpoint).port;
  const vh = new S3Client({
    endpoint: `http://s3.localhost.localstack.cloud:${port}`, region: 'us-east-1', credentials,
    forcePathStyle: false, maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, lookup }) }),
  });
  const hosts = [];
  vh.middlewareStack.add((next) => async (args) => {
    hosts.push(args.request.hostname);
    return next(args);
  }, { step: 'finalizeRequest', name: 'recordHost' });
  try {
    const Bucket = unique('vhost');
    await vh.send(new CreateBucketCommand({ Bucket }));
    await vh.send(new PutObjectCommand({ Bucket, Key: 'dir/v.txt', Body: 'virtual' }));
    const got = await vh.send(new GetObjectCommand({ Bucket, Key: 'dir/v.txt' }));
    assert.equal(await got.Body.transformToString(), 'virtual');
    const list = await vh.send(new ListObjectsV2Command({ Bucket }));
    assert.deepEqual(list.Contents.map((o) => o.Key), ['dir/v.txt']);
    assert.ok(hosts.length >= 4 && hosts.every((h) => h === `${Bucket}.s3.localhost.localstack.cloud`), hosts.join());
    // The same object through the path-style client: one bucket namespace.
    const same = await s3.send(new GetObjectCommand({ Bucket, Key: 'dir/v.txt' }));
    assert.equal(await same.Body.transformToString(), 'virtual');
  } finally {
    vh.destroy();
  }
});
