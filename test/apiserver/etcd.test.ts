/**
 * The storage-sensitive suites again, on a real etcd instead of SQLite (each suite gets its own
 * etcd process on loopback): CRUD and concurrency, list/watch with compaction, the garbage
 * collector, CRDs and event expiry (etcd leases).
 */
process.env.BERTH_APISERVER_BACKEND = 'etcd';
await import('./crud.test.js');
await import('./list-watch.test.js');
await import('./gc.test.js');
await import('./crd.test.js');
await import('./event-ttl.test.js');
