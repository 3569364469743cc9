// The panel's HTML: a strict CSP (nothing but our own script, by nonce, and our own styles and
// images), no inline handlers; everything else is rendered by dist/webview.js.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export function nonce(): string {
  return randomBytes(24).toString('base64');
}

/** The policy both pages share: nothing but our own styles, images and fonts, and one script by nonce. */
export function contentSecurityPolicy(cspSource: string, scriptNonce?: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    ...(scriptNonce ? [`script-src 'nonce-${scriptNonce}'`] : []),
  ].join('; ');
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, joinPath: typeof vscode.Uri.joinPath, lang: string): string {
  const n = nonce();
  const script = webview.asWebviewUri(joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(joinPath(extensionUri, 'media', 'panel.css'));
  const gallery = webview.asWebviewUri(joinPath(extensionUri, 'media', 'gallery.css'));
  return `<!DOCTYPE html>
<html lang="${escapeAttr(lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, n)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<link rel="stylesheet" href="${gallery.toString()}">
<title>Gemini Image Studio</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${n}" src="${script.toString()}"></script>
</body>
</html>`;
}

/** The page shown when the panel cannot be revived: the same policy, no script, our stylesheet. */
export function errorHtml(webview: vscode.Webview, extensionUri: vscode.Uri, joinPath: typeof vscode.Uri.joinPath, message: string): string {
  const style = webview.asWebviewUri(joinPath(extensionUri, 'media', 'panel.css'));
  return `<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource)}">
<link rel="stylesheet" href="${style.toString()}">
</head>
<body>
<p class="revive-error">${escapeHtml(message)}</p>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
const escapeAttr = escapeHtml;
