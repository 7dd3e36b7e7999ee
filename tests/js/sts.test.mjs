// STS through the AWS SDK for JavaScript v3: the caller's identity, and a wrong secret
// refused in strict mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startNimbus } from './harness.mjs';

function client(endpoint, secret = 'test') {
  return new STSClient({
    endpoint, region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: secret },
  });
}

test('GetCallerIdentity answers for the root of the default account', async () => {
  const nimbus = await startNimbus();
  try {
    const out = await client(nimbus.endpoint).send(new GetCallerIdentityCommand({}));
    assert.equal(out.Account, '000000000000');
    assert.equal(out.Arn, 'arn:aws:iam::000000000000:root');
    assert.match(out.$metadata.requestId, /^[0-9a-f-]{36}$/);
  } finally {
    await nimbus.stop();
  }
});

test('a wrong secret is refused with SignatureDoesNotMatch in strict mode', async () => {
  const nimbus = await startNimbus(['--auth', 'strict']);
  try {
    await assert.rejects(client(nimbus.endpoint, 'wrong').send(new GetCallerIdentityCommand({})),
      (err) => err.name === 'SignatureDoesNotMatch' && err.$metadata.httpStatusCode === 403);
  } finally {
    await nimbus.stop();
  }
});
