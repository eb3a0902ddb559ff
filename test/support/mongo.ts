import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startFerretdb, type Service } from '../../scripts/stack/services.js';

/**
 * A MongoDB-protocol server for one test file: `TEST_MONGO_URL` if set, else a FerretDB of its
 * own on a free port, its data in a temporary folder. `ferretdb` is absent with TEST_MONGO_URL;
 * `restart()` starts it again on the same port and data (after a test killed it).
 */
export async function testMongo(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `lila-${name}-`));
  const given = process.env.TEST_MONGO_URL;
  const port = await freePort();
  const data = join(dir, 'ferretdb');
  const db = {
    url: given ?? `mongodb://127.0.0.1:${port}/${name}`,
    ferretdb: given ? undefined : await startFerretdb(port, data),
    async restart(): Promise<Service> {
      db.ferretdb = await startFerretdb(port, data);
      return db.ferretdb;
    },
    async stop(): Promise<void> {
      db.ferretdb?.process.kill('SIGCONT');
      await db.ferretdb?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return db;
}
export type TestMongo = Awaited<ReturnType<typeof testMongo>>;
