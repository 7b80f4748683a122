// Child program of the kill -9 test: opens the SQLite store in the data dir given as argument and
// writes keys as fast as it can, many at a time, printing "key revision" for every write the store
// acknowledged. It runs until it is killed.
import { SqliteStore } from './sqlite-store.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-writer.ts DATA_DIR');
const store = await SqliteStore.open({ dataDir });
const value = new Uint8Array(512).fill(120);
const inFlight = 64;
let next = 0;

async function writeForever(): Promise<void> {
  for (;;) {
    const key = `/crash/${String(next++).padStart(8, '0')}`;
    const kv = await store.create(key, value);
    process.stdout.write(`${kv.key} ${kv.modRevision}\n`);
  }
}

await Promise.all(Array.from({ length: inFlight }, writeForever));
