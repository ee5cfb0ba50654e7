/**
 * The dependency rules of the code (`npm run lint`). README "Project layout" says what each
 * folder holds; these keep each to its room.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules form no cycles: each can be read, tested and loaded on its own.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'shared/domain/ holds the business rules: it imports only itself, the compact-storage machinery (shared/columnar/) and npm packages; no I/O, no adapters.',
      from: { path: '^shared/domain/' },
      to: { pathNot: ['^shared/domain/', '^shared/columnar/', '^node_modules/'] },
    },
    {
      name: 'domain-does-no-io',
      severity: 'error',
      comment: 'shared/domain/ and shared/columnar/ use no Node.js built-in module (files, network, threads).',
      from: { path: ['^shared/domain/', '^shared/columnar/'] },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'columnar-stands-alone',
      severity: 'error',
      comment: 'shared/columnar/ is machinery with no knowledge of the domain: it imports only itself.',
      from: { path: '^shared/columnar/' },
      to: { pathNot: '^shared/columnar/' },
    },
    {
      name: 'handlers-call-use-cases',
      severity: 'error',
      comment:
        'A handler in functions/ decodes its event and calls a use case (shared/use-cases/); the console API also reads its contract and verifies tokens (shared/console/); nothing else of the project.',
      from: { path: '^functions/' },
      to: { path: '^(shared|local|infra|bench|test|scripts|web)/', pathNot: ['^shared/use-cases/', '^shared/console/'] },
    },
    {
      name: 'use-cases-speak-to-the-store',
      severity: 'error',
      comment: 'Use cases reach DynamoDB only through the plan store: keys, indexes and item encodings stay in shared/storage/dynamodb/.',
      from: { path: '^shared/use-cases/' },
      to: { path: '^shared/storage/dynamodb/', pathNot: '^shared/storage/dynamodb/dynamodb-plan-store\\.ts$' },
    },
    {
      name: 'shared-stands-alone',
      severity: 'error',
      comment:
        'shared/ is what the handlers and the CLI share: it never imports the CLI, the stack, handlers, benchmarks, tests or scripts.',
      from: { path: '^shared/' },
      to: { path: '^(local|infra|functions|bench|test|scripts)/' },
    },
    {
      name: 'infra-reads-declarations',
      severity: 'error',
      comment:
        "The CDK app reads only the declarations it must agree on (table design, bucket layout, service names and limits, the console's paths and token claim), so synth loads no AWS SDK client.",
      from: { path: '^infra/' },
      to: {
        path: '^shared/',
        pathNot: [
          '^shared/storage/dynamodb/table-design\\.ts$',
          '^shared/storage/bucket-layout\\.ts$',
          '^shared/config/',
          '^shared/console/contract\\.ts$',
        ],
      },
    },
    {
      name: 'web-is-browser-code',
      severity: 'error',
      comment:
        'web/ runs in the browser: besides itself and its npm packages it loads only pure code that needs no Node.js (the risk words, dates and week series of shared/domain/, the risk colours of shared/report/); of anything else, types only.',
      from: { path: '^web/' },
      to: {
        dependencyTypesNot: ['type-only'],
        pathNot: [
          '^web/',
          '^shared/domain/(risk|dates|words|week-series)\\.ts$',
          '^shared/report/risk-info\\.ts$',
          '^node_modules/(preact|preact-iso|oidc-client-ts)/',
        ],
      },
    },
    {
      name: 'web-uses-no-node',
      severity: 'error',
      comment: 'web/ runs in the browser: no Node.js built-in module.',
      from: { path: '^web/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'only-tests-read-web',
      severity: 'error',
      comment: "The web app is the browser's: the rest of the project does not import it (tests may read its pure modules).",
      from: { pathNot: '^(web|test)/' },
      to: { path: '^web/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'Every import resolves.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|cdk\\.out|out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Packages whose entry points are only in package.json "exports" (hono/aws-lambda, hono/route …).
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
