import { snapshotSuite } from './snapshot-suite.js';

snapshotSuite('copy');
