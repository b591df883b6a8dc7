/** The kubectl/helm/client-node end-to-end suite on a real etcd (loopback, its own data dir). */
import { kubeE2eSuite } from './e2e-suite.js';

kubeE2eSuite('etcd');
