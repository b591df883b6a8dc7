// Machine-checked layering (see ARCHITECTURE.md). Imports flow one way, down.
// Each rule names the layer and what it may not reach; `npm test` fails on any violation.
/** @type {import('dependency-cruiser').IConfiguration} */
const layer = (name, path, forbidden) => ({
  name: `bad-layering-${name}`,
  comment: `Bad layering: src/${path} may not import ${forbidden.join(', ')}`,
  severity: 'error',
  from: { path: `^src/${path}` },
  to: { path: forbidden.map((f) => `^src/${f}`) },
});
module.exports = {
  forbidden: [
    layer('base', 'base/', ['api/', 'storage/', 'engine/', 'orchestrator/', 'server/', 'cmd/']),
    layer('api', 'api/', ['storage/', 'engine/', 'orchestrator/', 'server/', 'cmd/']),
    layer('storage', 'storage/', ['api/', 'engine/', 'orchestrator/', 'server/', 'cmd/']),
    layer('engine', 'engine/', ['orchestrator/', 'server/', 'cmd/']),
    layer('apiserver', 'orchestrator/apiserver/', ['engine/', 'orchestrator/(client|controllers|scheduler|agent|proxy|dns)/', 'server/', 'cmd/']),
    layer('client', 'orchestrator/client/', ['storage/', 'engine/', 'orchestrator/(apiserver|controllers|scheduler|agent|proxy|dns)/', 'server/', 'cmd/']),
    layer('controllers', 'orchestrator/(controllers|scheduler|proxy|dns)/', ['storage/', 'engine/', 'orchestrator/(apiserver|agent)/', 'server/', 'cmd/']),
    layer('agent', 'orchestrator/agent/', ['storage/', 'engine/(?!index\\.ts)', 'orchestrator/apiserver/', 'server/', 'cmd/']),
    layer('server', 'server/', ['cmd/']),
    {
      name: 'bad-layering-engine-internals',
      comment: 'Bad layering: engine subsystems talk through each other\'s index.ts, not internals',
      severity: 'error',
      from: { path: '^src/engine/([^/]+)/' },
      to: { path: '^src/engine/([^/]+)/.+', pathNot: ['^src/engine/$1/', '^src/engine/[^/]+/index\\.ts$', '^src/engine/[^/]+/types\\.ts$'] },
    },
    {
      name: 'only-some-layers-spawn',
      comment: 'Only engine/runtime, engine/network, engine/build (and cmd/ for the launcher) spawn processes',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/engine/(runtime|network|build)/', '^src/cmd/', '\\.test\\.ts$'] },
      to: { path: '^(node:)?child_process$', dependencyTypes: ['core'] },
    },
    {
      name: 'only-some-layers-spawn-natively',
      comment: 'The daemon spawns through src/base/process.ts (posix_spawn): the same layers only',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/engine/(runtime|network|build)/', '^src/cmd/', '^src/base/process(\\.test)?\\.ts$'] },
      to: { path: '^src/base/process\\.ts$' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$|^src/testing/' },
  },
};
