// Whether a file is there, through VS Code's file system (a missing drive or share answers no).
import * as vscode from 'vscode';

export async function fileExists(p: string): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(p));
    return true;
  } catch {
    return false;
  }
}
