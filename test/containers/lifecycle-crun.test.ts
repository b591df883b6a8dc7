import { lifecycleSuite } from './helpers/lifecycle-suite.js';

lifecycleSuite('crun');
