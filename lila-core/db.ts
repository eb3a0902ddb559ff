import { MongoClient, type Db } from 'mongodb';

/**
 * MongoDB through the official driver only, so that it runs unchanged on MongoDB 6+
 * (and on FerretDB locally). Writes wait for the journal of a majority.
 */
export async function connectMongo(url: string): Promise<{ client: MongoClient; db: Db }> {
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: 3000,
    writeConcern: { w: 'majority', journal: true },
    appName: 'lila-core',
  });
  await client.connect();
  return { client, db: client.db() };
}

/** Resolves to whether MongoDB answers a ping within `timeoutMs`. */
export async function mongoAlive(db: Db, timeoutMs = 1000): Promise<boolean> {
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  // A failed ping is the answer itself: not alive.
  const ping = db.command({ ping: 1 }).then(
    () => true,
    () => false,
  );
  return Promise.race([ping, timeout]);
}
