// The boundary of the pipeline: what runs in plain Node (the docs filler, the CLI, the tests)
// must not reach the editor, directly or through another module. Type-only imports of `vscode`
// are erased at compile time, so they are not seen here (tsPreCompilationDeps: false).
const PURE = '^src/(core|gemini|shared|generation|gallery|references|docs|cli)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'pure-imports-no-front-end',
      comment: 'The pipeline, core, gemini and shared code never import the commands or the panel.',
      severity: 'error',
      from: { path: PURE },
      to: { path: '^src/(commands|panel)/' },
    },
    {
      name: 'pure-reaches-no-vscode',
      comment: 'Nothing the pipeline, core, gemini or shared code loads at run time loads vscode, at any depth.',
      severity: 'error',
      from: { path: PURE },
      to: { path: '^vscode$', reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist|node_modules)/' },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
