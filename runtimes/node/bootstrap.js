// nimbus's Lambda runtime for Node.js: loads the handler named by _HANDLER from
// LAMBDA_TASK_ROOT (CommonJS, or ES modules for .mjs files and "type": "module" packages)
// and serves invocations over the Lambda Runtime API, as AWS's Node.js runtime does:
// async and callback handlers, the same context object, console lines prefixed with
// timestamp, request id and level, and AWS's error shapes (errorType, errorMessage, trace).
'use strict';

const http = require('http');
const fs = require('fs');
const path = require('path');
const util = require('util');
const { pathToFileURL } = require('url');

const [HOST, PORT] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const PREFIX = '/2018-06-01/runtime';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let currentRequestId = '';

function call(method, p, body, headers) {
  headers = Object.assign({}, headers || {});
  if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: HOST, port: Number(PORT), method, path: PREFIX + p, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function patchConsole() {
  const write = (level) => (...args) => {
    const line = `${new Date().toISOString()}\t${currentRequestId || 'undefined'}\t${level}\t${util.format(...args)}`;
    process.stdout.write(line.replace(/\n/g, '\r') + '\n');
  };
  console.log = write('INFO');
  console.info = write('INFO');
  console.warn = write('WARN');
  console.error = write('ERROR');
  console.debug = write('DEBUG');
  console.trace = write('TRACE');
}

function errorDoc(err, fallbackType) {
  if (err instanceof Error) {
    return { errorType: err.name || fallbackType || 'Error', errorMessage: err.message,
      trace: (err.stack || '').split('\n') };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

class InitError extends Error {
  constructor(type, message, cause) {
    super(message);
    this.name = type;
    if (cause && cause.stack) this.stack = `${type}: ${message}\n${cause.stack.split('\n').slice(1).join('\n')}`;
  }
}

function isModuleFile(root, moduleName) {
  if (fs.existsSync(path.join(root, moduleName + '.mjs'))) return path.join(root, moduleName + '.mjs');
  const js = path.join(root, moduleName + '.js');
  let dir = path.dirname(js);
  while (dir.startsWith(root)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try { return JSON.parse(fs.readFileSync(pkg, 'utf8')).type === 'module' && fs.existsSync(js) ? js : null; } catch (e) { return null; }
    }
    if (dir === root) break;
    dir = path.dirname(dir);
  }
  return null;
}

async function loadHandler(root, spec) {
  const dot = spec.lastIndexOf('.');
  if (dot <= 0) throw new InitError('Runtime.MalformedHandlerName', `Bad handler ${spec}`);
  const moduleName = spec.slice(0, dot);
  const chain = spec.slice(dot + 1).split('.');
  let mod;
  try {
    const esm = isModuleFile(root, moduleName);
    mod = esm ? await import(pathToFileURL(esm).href) : require(path.resolve(root, moduleName));
  } catch (e) {
    if (e instanceof SyntaxError) throw new InitError('Runtime.UserCodeSyntaxError', `${e.name}: ${e.message}`, e);
    if (e && (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND') && String(e.message).includes(moduleName)) {
      throw new InitError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'\nRequire stack:\n- /var/runtime/index.mjs`, e);
    }
    throw e;
  }
  let handler = mod;
  for (const part of chain) handler = handler == null ? undefined : handler[part];
  if (handler === undefined && mod && mod.default) handler = chain.reduce((h, p) => (h == null ? undefined : h[p]), mod.default);
  if (typeof handler !== 'function') throw new InitError('Runtime.HandlerNotFound', `${spec} is undefined or not exported`);
  return handler;
}

function makeContext(headers, finish) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const cc = headers['lambda-runtime-client-context'];
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: undefined,
    clientContext: cc ? JSON.parse(cc) : undefined,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: (err, value) => finish(err, value),
    succeed: (value) => finish(null, value),
    fail: (err) => finish(err || new Error('handled'), undefined),
  };
}

function runHandler(handler, event, headers) {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (err, value) => {
      if (settled) return;
      settled = true;
      resolve({ err, value });
    };
    const context = makeContext(headers, finish);
    try {
      const out = handler(event, context, finish);
      if (out && typeof out.then === 'function') out.then((v) => finish(null, v), (e) => finish(e || new Error('rejected')));
      else if (handler.length < 3) finish(null, out);
    } catch (e) {
      finish(e);
    }
  });
}

async function main() {
  patchConsole();
  const root = process.env.LAMBDA_TASK_ROOT || process.cwd();
  let handler;
  try {
    handler = await loadHandler(root, process.env._HANDLER || '');
  } catch (e) {
    const doc = errorDoc(e);
    console.error(`${doc.errorType}: ${doc.errorMessage}`);
    await call('POST', '/init/error', JSON.stringify(doc), { 'Lambda-Runtime-Function-Error-Type': doc.errorType });
    process.exit(1);
  }
  for (;;) {
    const next = await call('GET', '/invocation/next');
    const id = next.headers['lambda-runtime-aws-request-id'];
    currentRequestId = id;
    process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'] || '';
    let event;
    try { event = next.body ? JSON.parse(next.body) : {}; } catch (e) { event = next.body; }
    const { err, value } = await runHandler(handler, event, next.headers);
    if (err) {
      const doc = errorDoc(err);
      console.error('Invoke Error \t' + JSON.stringify(doc));
      await call('POST', `/invocation/${id}/error`, JSON.stringify(doc), { 'Lambda-Runtime-Function-Error-Type': doc.errorType });
      continue;
    }
    let payload;
    try {
      payload = value === undefined ? 'null' : JSON.stringify(value);
    } catch (e) {
      const doc = { errorType: 'Runtime.MarshalError', errorMessage: `Unable to stringify response body: ${e.message}`, trace: [] };
      await call('POST', `/invocation/${id}/error`, JSON.stringify(doc), { 'Lambda-Runtime-Function-Error-Type': doc.errorType });
      continue;
    }
    await call('POST', `/invocation/${id}/response`, payload);
  }
}

main().catch((e) => {
  process.stderr.write(`nimbus node bootstrap failed: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
