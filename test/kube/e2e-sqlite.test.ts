/** The kubectl/helm/client-node end-to-end suite on the SQLite datastore. */
import { kubeE2eSuite } from './e2e-suite.js';

kubeE2eSuite('sqlite');
