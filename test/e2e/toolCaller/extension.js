// Test only: reads .e2e-tool/request.json in the workspace ({ name, input }), calls the tool with
// vscode.lm.invokeTool like a chat agent outside a chat request, and writes .e2e-tool/result.json
// ({ ok, texts, images } or { ok: false, error }), so the e2e test can check what the agent would get.
const vscode = require('vscode');

async function invokeFromRequestFile() {
  const folder = vscode.workspace.workspaceFolders[0].uri;
  const dir = vscode.Uri.joinPath(folder, '.e2e-tool');
  const request = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, 'request.json'))).toString('utf8'));
  let result;
  try {
    const answer = await vscode.lm.invokeTool(request.name, { input: request.input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
    const texts = answer.content.filter((part) => part instanceof vscode.LanguageModelTextPart).map((part) => part.value);
    const DataPart = vscode.LanguageModelDataPart;
    const images = DataPart ? answer.content.filter((part) => part instanceof DataPart).map((part) => ({ mimeType: part.mimeType, base64: Buffer.from(part.data).toString('base64') })) : [];
    result = { ok: true, texts, images, tools: vscode.lm.tools.map((t) => t.name) };
  } catch (e) {
    result = { ok: false, error: String((e && e.message) || e) };
  }
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'result.json'), Buffer.from(JSON.stringify(result, null, 2)));
}

module.exports = {
  activate(context) {
    context.subscriptions.push(vscode.commands.registerCommand('e2eToolCaller.invoke', invokeFromRequestFile));
  },
};
