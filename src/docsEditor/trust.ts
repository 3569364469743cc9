// The docs commands that spend money on a folder's say (Generate Missing Images, batch jobs) run
// only in a trusted workspace: in an untrusted one, its documents would decide what is generated,
// paid for and written. Refused with the reason and the way to trust it.
import * as vscode from 'vscode';

/** True when trusted; otherwise tells the user why nothing happens and returns false. */
export function trustedOrExplain(why: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window.showWarningMessage(why, manage).then((picked) => {
    if (picked === manage) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
