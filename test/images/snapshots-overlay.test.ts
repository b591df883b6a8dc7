import { snapshotSuite } from './snapshot-suite.js';

snapshotSuite('overlay');
