export * from './answerer.ts';
export * from './cluster-dns.ts';
export * from './dns-server.ts';
export * from './forwarder.ts';
export * from './names.ts';
export * from './query-handler.ts';
export * from './record-index.ts';
