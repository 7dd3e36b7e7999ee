// S3 Select through the AWS SDK for JavaScript v3: SelectObjectContent over a JSON-lines
// object, reading the event stream (Records, Stats, End) as an application would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, SelectObjectContentCommand,
} from '@aws-sdk/client-s3';
import { startNimbus } from './harness.mjs';

let nimbus;
let s3;
let Bucket;
const Key = 'dragons.jsonl';
const dragons = [
  { name: 'Atlas', family: 'red', age: 120, location: { city: 'anchorage' } },
  { name: 'Bliss', family: 'blue', age: 45, location: { city: 'juneau' } },
  { name: 'Cinder', family: 'red', age: 800, location: { city: 'nome' } },
  { name: 'Dusk', family: 'black', age: 300, location: { city: 'sitka' } },
  { name: 'Ember', family: 'red', age: 12, location: { city: 'kodiak' } },
];
const body = dragons.map((d) => JSON.stringify(d)).join('\n') + '\n';

before(async () => {
  nimbus = await startNimbus();
  s3 = new S3Client({
    endpoint: nimbus.endpoint, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  Bucket = `select-${Math.random().toString(16).slice(2, 12)}`;
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutObjectCommand({ Bucket, Key, Body: body }));
});

after(async () => {
  s3?.destroy();
  await nimbus?.stop();
});

// Runs a query and collects the event stream: the Records payloads joined, the Stats
// details, and the order in which event kinds arrived.
async function select(Expression, outputFormat = { JSON: { RecordDelimiter: '\n' } }) {
  const out = await s3.send(new SelectObjectContentCommand({
    Bucket, Key, Expression, ExpressionType: 'SQL',
    InputSerialization: { JSON: { Type: 'LINES' }, CompressionType: 'NONE' },
    OutputSerialization: outputFormat,
    RequestProgress: { Enabled: false },
  }));
  assert.equal(out.$metadata.httpStatusCode, 200);
  const decoder = new TextDecoder();
  let records = '';
  let stats;
  const kinds = [];
  for await (const event of out.Payload) {
    const [kind] = Object.keys(event);
    kinds.push(kind);
    if (event.Records) records += decoder.decode(event.Records.Payload, { stream: true });
    if (event.Stats) stats = event.Stats.Details;
  }
  records += decoder.decode();
  return { records, stats, kinds };
}

const jsonLines = (s) => s.split('\n').filter(Boolean).map((l) => JSON.parse(l));

test('SELECT * streams every record, then Stats, then End', async () => {
  const { records, stats, kinds } = await select('SELECT * FROM S3Object s');
  assert.deepEqual(jsonLines(records), dragons);
  assert.ok(kinds.includes('Records'));
  assert.deepEqual(kinds.slice(-2), ['Stats', 'End']);
  assert.equal(Number(stats.BytesScanned), Buffer.byteLength(body));
  assert.equal(Number(stats.BytesProcessed), Buffer.byteLength(body));
  assert.equal(Number(stats.BytesReturned), Buffer.byteLength(records));
});

test('a WHERE filter with a projection of nested fields', async () => {
  const { records, stats } = await select(
    "SELECT s.name, s.location.city AS city FROM S3Object s WHERE s.family = 'red' AND s.age > 100");
  assert.deepEqual(jsonLines(records), [
    { name: 'Atlas', city: 'anchorage' },
    { name: 'Cinder', city: 'nome' },
  ]);
  assert.equal(Number(stats.BytesReturned), Buffer.byteLength(records));
});

test('COUNT(*) and MAX() aggregates answer one record', async () => {
  const { records } = await select("SELECT COUNT(*) AS n, MAX(s.age) AS oldest FROM S3Object s WHERE s.family = 'red'");
  assert.deepEqual(jsonLines(records), [{ n: 3, oldest: 800 }]);
});

test('CSV output of selected columns', async () => {
  const { records } = await select('SELECT s.name, s.age FROM S3Object s LIMIT 2', { CSV: {} });
  assert.equal(records, 'Atlas,120\nBliss,45\n');
});

test('a malformed expression is a ParseError-family error, not a stream', async () => {
  await assert.rejects(select('SELEC * FROM S3Object'), (err) => {
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.match(err.name, /^Parse/);  // ParseUnsupportedSelect today
    assert.ok(err.message.length > 0);
    return true;
  });
});
