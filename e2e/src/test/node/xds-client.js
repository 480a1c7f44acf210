// Proxyless gRPC client for meshpilot's end-to-end tests (grpc-js + grpc-js-xds).
//
// Usage: GRPC_XDS_BOOTSTRAP=bootstrap.json node xds-client.js xds:///FQDN:PORT
// Reads commands from stdin, one per line, and answers each on stdout with one line:
//   call   -> "OK <backend name>"  or  "ERR <STATUS_CODE_NAME> <description>"
//   call xds:///OTHER:PORT -> the same, through a client of that target made on its first call and kept
//   quit   -> exits
// Prints "READY" once the channel exists. The same channel serves every call, so tests can change the mesh
// under a client that keeps running.
'use strict';

const path = require('path');
const readline = require('readline');
const grpc = require('@grpc/grpc-js');
const grpcXds = require('@grpc/grpc-js-xds');
const protoLoader = require('@grpc/proto-loader');

const CALL_DEADLINE_MS = 5000;

function statusName(code) {
  const entry = Object.entries(grpc.status).find(([, value]) => value === code);
  return entry ? entry[0] : String(code);
}

function main() {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: node xds-client.js xds:///FQDN:PORT');
    process.exit(2);
  }
  grpcXds.register();
  const definition = protoLoader.loadSync(path.join(__dirname, 'whoami.proto'));
  const WhoAmI = grpc.loadPackageDefinition(definition).meshpilot.e2e.WhoAmI;
  const client = new WhoAmI(target, grpc.credentials.createInsecure());
  const clients = new Map([[target, client]]);
  const clientOf = (other) => {
    if (!clients.has(other)) {
      clients.set(other, new WhoAmI(other, grpc.credentials.createInsecure()));
    }
    return clients.get(other);
  };

  // Commands are answered strictly in order, one at a time.
  let chain = Promise.resolve();
  const input = readline.createInterface({ input: process.stdin });
  input.on('line', (line) => {
    const command = line.trim();
    chain = chain.then(() => (command.startsWith('call xds:///')
      ? handle('call', clientOf(command.substring('call '.length).trim()))
      : handle(command, client)));
  });
  input.on('close', () => chain.then(() => process.exit(0)));
  console.log('READY');
}

function handle(command, client) {
  if (command === 'quit') {
    process.exit(0);
  }
  if (command !== 'call') {
    console.log(`ERR UNKNOWN_COMMAND ${command}`);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const deadline = new Date(Date.now() + CALL_DEADLINE_MS);
    client.Who({}, { deadline }, (error, reply) => {
      if (error) {
        console.log(`ERR ${statusName(error.code)} ${String(error.details || error.message).replace(/\s+/g, ' ')}`);
      } else {
        console.log(`OK ${reply.backend}`);
      }
      resolve();
    });
  });
}

main();
