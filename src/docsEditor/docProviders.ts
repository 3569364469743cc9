// The CodeLens above a missing or stale image link (model and estimated cost), and the quick
// fixes of the two diagnostics: Generate Image Here and Regenerate.
import * as vscode from 'vscode';
import type { Settings } from '../config';
import { planPrices } from '../docs/prices';
import { formatDollars } from '../shared/money';
import { MISSING_CODE, STALE_CODE, type DocImageDiagnostics } from './docDiagnostics';

export const GENERATE_DOC_IMAGE = 'geminiImage.generateDocImage';

export class DocImageCodeLens implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(
    private readonly diagnostics: DocImageDiagnostics,
    /** The settings with the model the commands would use (the automatic choice from the cached list). */
    private readonly settingsFor: (uri: vscode.Uri) => Settings,
  ) {
    this.onDidChangeCodeLenses = diagnostics.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('geminiImage', document.uri).get<boolean>('docs.codeLens', true)) return [];
    const analysis = this.diagnostics.analysis(document);
    if (!analysis) return [];
    const settings = this.settingsFor(document.uri);
    const priceOf = planPrices(settings.priceOverrides);
    return analysis.items
      .filter((i) => i.state === 'missing' || i.state === 'stale')
      .map((item) => {
        const model = item.image.spec.options.model ?? settings.model;
        const size = item.image.spec.options.imageSize ?? settings.imageSize;
        const price = priceOf(model, size, 'standard');
        const cost = price === undefined ? '' : ` · ${vscode.l10n.t('about {0}', formatDollars(price))}`;
        const title = item.state === 'missing' ? vscode.l10n.t('$(sparkle) Generate Image Here · {0}{1}', model, cost) : vscode.l10n.t('$(sparkle) Regenerate · {0}{1}', model, cost);
        const line = document.positionAt(item.link.start).line;
        return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title, command: GENERATE_DOC_IMAGE, arguments: [document.uri, item.image.relPath] });
      });
  }
}

export function docImageCodeActions(document: vscode.TextDocument, context: vscode.CodeActionContext): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  for (const d of context.diagnostics) {
    if (d.source !== 'Gemini Image' || (d.code !== MISSING_CODE && d.code !== STALE_CODE)) continue;
    const title = d.code === MISSING_CODE ? vscode.l10n.t('Generate Image Here') : vscode.l10n.t('Regenerate');
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [d];
    action.isPreferred = true;
    action.command = { title, command: GENERATE_DOC_IMAGE, arguments: [document.uri, undefined, d.range.start] };
    actions.push(action);
  }
  return actions;
}
