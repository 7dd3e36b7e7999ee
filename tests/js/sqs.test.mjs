// SQS through the AWS SDK for JavaScript v3 (JSON protocol; its middleware checks the MD5s
// of bodies and attributes): queues, messages with attributes, a long poll woken by a send,
// FIFO deduplication, batches, and the modelled errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand, DeleteMessageCommand,
  GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageBatchCommand, PurgeQueueCommand,
} from '@aws-sdk/client-sqs';
import { startNimbus } from './harness.mjs';

let nimbus;
let sqs;
const unique = (p) => `${p}-${Math.random().toString(16).slice(2, 12)}`;

before(async () => {
  nimbus = await startNimbus();
  sqs = new SQSClient({
    endpoint: nimbus.endpoint, region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1,
  });
});

after(async () => {
  sqs?.destroy();
  await nimbus?.stop();
});

test('send and receive with message attributes (MD5s verified by the SDK)', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: unique('js') }));
  const sent = await sqs.send(new SendMessageCommand({
    QueueUrl, MessageBody: 'hello from js',
    MessageAttributes: {
      colour: { DataType: 'String', StringValue: 'red' },
      bytes: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
      n: { DataType: 'Number', StringValue: '7' },
    },
  }));
  assert.match(sent.MessageId, /^[0-9a-f-]{36}$/);
  const got = await sqs.send(new ReceiveMessageCommand({
    QueueUrl, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'],
  }));
  assert.equal(got.Messages.length, 1);
  const [m] = got.Messages;
  assert.equal(m.Body, 'hello from js');
  assert.equal(m.MessageAttributes.colour.StringValue, 'red');
  assert.deepEqual([...m.MessageAttributes.bytes.BinaryValue], [0, 1, 2, 255]);
  assert.equal(m.Attributes.ApproximateReceiveCount, '1');
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
  assert.equal(attrs.Attributes.ApproximateNumberOfMessages, '0');
  assert.equal(attrs.Attributes.ApproximateNumberOfMessagesNotVisible, '0');
});

test('a long poll answers as soon as a message arrives', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: unique('poll') }));
  const started = Date.now();
  const poll = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
  await new Promise((r) => setTimeout(r, 300));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'wake up' }));
  const got = await poll;
  assert.equal(got.Messages[0].Body, 'wake up');
  assert.ok(Date.now() - started < 5000);
});

test('FIFO queues deduplicate and keep order', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({
    QueueName: `${unique('fifo')}.fifo`, Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
  }));
  const a = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one', MessageGroupId: 'g' }));
  const b = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one', MessageGroupId: 'g' }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'two', MessageGroupId: 'g' }));
  assert.equal(a.MessageId, b.MessageId);
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  assert.deepEqual(got.Messages.map((m) => m.Body), ['one', 'two']);
});

test('batches report per-entry failures', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: unique('batch') }));
  const out = await sqs.send(new SendMessageBatchCommand({
    QueueUrl,
    Entries: [{ Id: 'ok', MessageBody: 'x' }, { Id: 'late', MessageBody: 'y', DelaySeconds: 901 }],
  }));
  assert.deepEqual(out.Successful.map((e) => e.Id), ['ok']);
  assert.equal(out.Failed[0].Code, 'InvalidParameterValue');
  assert.equal(out.Failed[0].SenderFault, true);
});

test('modelled errors keep their names, codes and statuses', async () => {
  await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: unique('missing') })), (err) => {
    assert.equal(err.name, 'QueueDoesNotExist');
    assert.equal(err.message, 'The specified queue does not exist.');
    assert.equal(err.$metadata.httpStatusCode, 400);
    return true;
  });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: unique('purge') }));
  await sqs.send(new PurgeQueueCommand({ QueueUrl }));
  await assert.rejects(sqs.send(new PurgeQueueCommand({ QueueUrl })), (err) => {
    assert.equal(err.name, 'PurgeQueueInProgress');
    assert.equal(err.$metadata.httpStatusCode, 403);
    return true;
  });
});
