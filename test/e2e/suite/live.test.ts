// The live tenant through Microsoft Graph, in the real editor: the place for these tests (the
// engineer who owns the live source adds them).
//
// The shape they can take with what is here: start test/support/graphServer.ts on 127.0.0.1 over
// the workspace's tenant/contoso (startGraphServer({ tenantDir })); register a stand-in
// authentication provider in the test (vscode.authentication.registerAuthenticationProvider) that
// hands out the server's token, and name it in "dynrule.graph.authenticationProvider"; point
// "dynrule.graph.endpoint" at the server; select { kind: 'live', endpoint } with
// dynrule.selectTenant; compare the code lenses with `dynrule preview --tenant live` against the
// same server (helpers.ts: runCli, codeLensTitles, expectedLensTitles). Then a throttle fault (the
// load still completes) and a 403 (the tenant fails with a reason the code lens shows). Restore the
// workspace's contoso folder in suiteTeardown, as tenant.test.ts does.
suite('Live tenant (Graph test server)', () => {
  test('the code lenses over a licensing rule equal dynrule preview --tenant live');
  test('throttled pages (429 with Retry-After) still load the whole tenant');
  test('a denied token (403) fails the tenant with a reason the code lens shows');
});
