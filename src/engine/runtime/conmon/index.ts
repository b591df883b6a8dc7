export { conmonCreate, conmonExec } from './spawn.js';
export type { ConmonCommon, ConmonExec } from './spawn.js';
export { ExitWatcher, readExitFile, removeExitFile } from './exit-file.js';
export { connectAttach, resizeTerminal, ConmonPipe } from './attach.js';
export type { AttachConnection } from './attach.js';
export { K8sLogParser, parseK8sLine, k8sTimeMs, readK8sLog, readK8sLogWith, followK8sLog } from './k8s-log.js';
export type { K8sLogEntry } from './k8s-log.js';
