// The describe image tool: an agent asks what a workspace image shows; the user confirms sending
// the image to Gemini's text model; the agent gets the description (also kept on the gallery card).
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { workspaceRelative } from '../core/toolPaths';
import { askAboutImage, describeQuestion } from '../commands/understanding';
import type { Services } from '../services';
import { assertTrusted, toolApiKey, toolImagePath, toToolError, ToolRefusal, untrustedRefusal, workspaceFolders } from './toolSupport';

export interface DescribeImageInput {
  file_path: string;
}

export class DescribeImageTool implements vscode.LanguageModelTool<DescribeImageInput> {
  constructor(private readonly services: Services) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<DescribeImageInput>): Promise<vscode.PreparedToolInvocation> {
    if (!vscode.workspace.isTrusted) return { invocationMessage: untrustedRefusal() };
    let where: string;
    try {
      where = workspaceRelative(await toolImagePath(options.input.file_path, false), workspaceFolders());
    } catch (e) {
      return { invocationMessage: (e as Error).message };
    }
    const model = readSettings().textModel;
    const message = new vscode.MarkdownString();
    message.appendMarkdown(`**${vscode.l10n.t('Image')}:** `).appendText(where).appendMarkdown('\n\n');
    message.appendMarkdown(`**${vscode.l10n.t('Model')}:** `).appendText(model).appendMarkdown('\n\n');
    message.appendMarkdown(`**${vscode.l10n.t('Estimated cost')}:** `).appendText(vscode.l10n.t('one text answer, usually well under $0.01 at Google\'s standard rate'));
    return {
      invocationMessage: vscode.l10n.t('Describing {0} with {1}…', where, model),
      confirmationMessages: { title: vscode.l10n.t('Send this image to Gemini for a description?'), message },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<DescribeImageInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const model = readSettings().textModel;
    try {
      assertTrusted();
      const file = await toolImagePath(options.input.file_path, false);
      const where = workspaceRelative(file, workspaceFolders());
      try {
        await vscode.workspace.fs.stat(vscode.Uri.file(file));
      } catch {
        throw new ToolRefusal(vscode.l10n.t('{0} does not exist. Give the workspace-relative path of an existing image.', where));
      }
      const apiKey = await toolApiKey(this.services);
      const text = await askAboutImage(this.services, file, describeQuestion(), vscode.l10n.t('Describing the image…'), { rethrow: true, cancellation: token, apiKey });
      if (!text) throw new ToolRefusal(vscode.l10n.t('The model gave no description.'));
      const record = this.services.gallery.all().find((r) => r.path === file);
      if (record) await this.services.gallery.update(record.id, { description: text });
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(`Description of ${where}:\n${text}`)]);
    } catch (e) {
      throw toToolError(this.services, e, model);
    }
  }
}
